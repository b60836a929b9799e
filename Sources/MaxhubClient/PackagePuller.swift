import Foundation
import MaxhubArchive
import MaxhubCore

/// Pull: resolve, fetch the hub's signature and check it against a trusted key, download while hashing (resuming a
/// partial download), check the archive's digest, extract safely into a temporary folder, check every file against the
/// manifest and the signature, and only then rename the archive and the folder into the cache, the signature beside it.
public struct PackagePuller: Sendable {
    public var client: HubClient
    public var cache: PackageCache
    /// Resolve and serve from the cache alone.
    public var offline: Bool
    /// Accept a digest other than the one first seen for a version, and remember the new one.
    public var acceptNewDigest: Bool
    /// Which of the hub's signing keys are trusted.
    public var keyTrust: HubKeyTrust

    public init(
        client: HubClient, cache: PackageCache, offline: Bool = false, acceptNewDigest: Bool = false, keyTrust: HubKeyTrust = HubKeyTrust()
    ) {
        self.client = client
        self.cache = cache
        self.offline = offline
        self.acceptNewDigest = acceptNewDigest
        self.keyTrust = keyTrust
    }

    var signatures: SignatureChecker { SignatureChecker(client: client, cache: cache, trust: keyTrust) }

    public struct Result: Sendable, Encodable {
        public var name: ModelName
        public var version: Version
        public var digest: Digest?
        public var path: String
        /// Whether the archive came over the network (false when the package or its archive was cached).
        public var downloaded: Bool
        /// Whether the download continued a partial one with a ranged request.
        public var resumed: Bool
        /// Whether the package was extracted and every file checked by this pull (false when it was already cached).
        public var extracted: Bool
    }

    /// Pulls the version `reference` resolves to on the hub (offline: the highest cached one it matches) into the cache,
    /// unless it is there already. `progress` gets the bytes downloaded so far and the archive's size.
    public func pull(
        _ reference: PackageReference, includePrerelease: Bool = false,
        progress: @escaping @Sendable (Int64, Int64) -> Void = { _, _ in }
    ) async throws -> Result {
        let name = reference.name
        if offline {
            let cached = cache.cachedVersions(of: name).filter { reference.matches($0, includePrerelease: includePrerelease) }
            guard let version = cached.max() else {
                throw PullError.notCached(name, reference.range?.description ?? reference.version?.description ?? "*")
            }
            return Result(
                name: name, version: version, digest: cache.trustedDigest(name, version), path: cache.packagePath(name, version),
                downloaded: false, resumed: false, extracted: false)
        }
        let resolution = try await client.resolve(name, range: reference.rangeText, includePrerelease: includePrerelease)
        let version = resolution.version
        let digest = resolution.archive.digest
        if let trusted = cache.trustedDigest(name, version), trusted != digest, !acceptNewDigest {
            throw PullError.trustMismatch(name, version, trusted: trusted, served: digest)
        }
        let packagePath = cache.packagePath(name, version)
        let signaturePath = cache.signaturePath(name, version)
        if FileManager.default.fileExists(atPath: packagePath) {
            // A package pulled before the hub signed approvals gets its signature checked against the files on disk.
            if !FileManager.default.fileExists(atPath: signaturePath) {
                let signed = try await signatures.fetch(name, version)
                try signed.check(try await SignatureChecker.fileDigests(inFolder: packagePath))
                try Self.write(signed.bytes, to: signaturePath)
            }
            return Result(name: name, version: version, digest: digest, path: packagePath, downloaded: false, resumed: false, extracted: false)
        }
        // Before any byte of the archive: a version the hub does not vouch for under a trusted key goes no further.
        let signed = try await signatures.fetch(name, version)

        let blob = cache.blobPath(digest)
        try FileManager.default.createDirectory(atPath: cache.temporaryFolder, withIntermediateDirectories: true)
        let staging = "\(cache.temporaryFolder)/\(name.fileSystemName)-\(version)-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: staging) }
        var downloaded = false
        var resumed = false
        // The archive the package is checked from: the cached blob, or the download until every check passed.
        let archive: String
        let extraction: Swift.Result<[InspectedEntry], ArchiveError>
        if FileManager.default.fileExists(atPath: blob) {
            archive = blob
            extraction = await Self.extract(blob, into: staging, following: nil)
        } else {
            // One pass: the extractor follows the `.partial` file while the download appends to it, so the archive is
            // hashed, written, decompressed and checked at the pace of the network. Nothing reaches the cache's
            // packages until the archive's digest and every file have checked out.
            let partial = cache.partialPath(digest)
            archive = partial
            let size = resolution.archive.size
            let growth = GrowingFile()
            async let followed = Self.extract(partial, into: staging, following: growth)
            let download: (digest: Digest, resumed: Bool)
            do {
                download = try await client.downloadBlob(digest, size: size, to: partial) {
                    growth.grew(to: $0)
                    progress($0, size)
                }
            } catch {
                growth.abandon("\(error)")
                _ = await followed
                throw error
            }
            growth.finish()
            extraction = await followed
            guard download.digest == digest else {
                try? FileManager.default.removeItem(atPath: partial)
                throw PullError.archiveMismatch(name, version, expected: digest, actual: download.digest)
            }
            downloaded = true
            resumed = download.resumed
        }
        let entries: [InspectedEntry]
        switch extraction {
        case .success(let extracted):
            entries = extracted
        case .failure(let error):
            try? FileManager.default.removeItem(atPath: archive)
            throw PullError.unsafeArchive(name, version, error.description)
        }
        let manifest: Manifest
        do {
            manifest = try Manifest(contentsOfPackage: URL(fileURLWithPath: staging))
        } catch {
            try? FileManager.default.removeItem(atPath: archive)
            throw PullError.badManifest(name, version, "\(error)")
        }
        let mismatches = PackageVerifier.verify(entries: entries, against: manifest)
        guard mismatches.isEmpty, manifest.name == name, manifest.version == version else {
            try? FileManager.default.removeItem(atPath: archive)
            let problems = mismatches.isEmpty ? ["the archive holds \(manifest.reference)"] : mismatches.map(\.description)
            throw PullError.fileMismatch(name, version, problems)
        }
        var files: [String: String] = [:]
        for entry in entries where entry.kind == .file { files[entry.path] = entry.digest?.hex ?? "" }
        // The archive is the one the hub's digest names; a signature that does not cover it leaves the cache as it was.
        do {
            try signed.check(files)
        } catch {
            if downloaded { try? FileManager.default.removeItem(atPath: archive) }
            throw error
        }

        if downloaded {
            try FileManager.default.createDirectory(atPath: (blob as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try FileManager.default.moveItem(atPath: archive, toPath: blob)
        }
        try FileManager.default.createDirectory(
            atPath: (packagePath as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Self.write(signed.bytes, to: signaturePath)
        try FileManager.default.moveItem(atPath: staging, toPath: packagePath)
        try cache.trust(digest, for: name, version)
        return Result(
            name: name, version: version, digest: digest, path: packagePath, downloaded: downloaded, resumed: resumed, extracted: true)
    }

    /// Writes a file whole or not at all (a temporary file renamed over it).
    static func write(_ bytes: [UInt8], to path: String) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}

extension PackagePuller {
    /// Runs the extractor on a thread of its own: it blocks while it waits for a download, which a task of the
    /// cooperative pool must not do.
    static func extract(
        _ archive: String, into staging: String, following growth: GrowingFile?
    ) async -> Swift.Result<[InspectedEntry], ArchiveError> {
        await onOwnThread(named: "maxhub-extract") { () throws(ArchiveError) in
            try SafeExtractor().extract(archiveAt: archive, into: staging, following: growth)
        }
    }
}
