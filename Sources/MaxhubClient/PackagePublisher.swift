import Foundation
import MaxhubArchive
import MaxhubCore
import MaxhubJSON

/// `maxhub publish`: a package folder or a packed archive, uploaded only when the hub does not have it yet, then
/// published as a version that waits for review.
///
/// A folder is packed straight into a resumable upload: each file is read once, hashed while it is packed, and the
/// archive's digest is declared when the upload ends, so no archive is written unless one is asked for. When the
/// folder was packed before (`PackRecords`), the archive's digest is known at once and the hub is asked whether it has
/// it before anything is read or sent. An upload cut off by the network resumes where the hub's copy ends.
public struct PackagePublisher: Sendable {
    public var client: HubClient
    public var records: PackRecords?
    public var compression: ArchiveCompression
    /// How many times an upload cut off by the network is resumed.
    public var resumptions = 3

    public init(client: HubClient, records: PackRecords? = nil, compression: ArchiveCompression = .zstd) {
        self.client = client
        self.records = records
        self.compression = compression
    }

    /// An archive ready to send, with the manifest it carries.
    public struct PreparedPackage: Sendable {
        public var manifest: Manifest
        public var archivePath: String
        public var digest: Digest
        public var size: Int64
    }

    /// What a publish (or a dry run) found or the hub answered.
    public struct Outcome: Sendable {
        public var manifest: Manifest
        public var digest: Digest
        public var size: Int64
        /// The hub's answer; nil for a dry run.
        public var detail: VersionDetail?
        /// Whether the archive was sent (false when the hub had it already).
        public var uploaded: Bool
        /// Whether the folder's files were read (false when an earlier pack's record gave the digest).
        public var packed: Bool
    }

    /// Reads the manifest an archive carries and checks the archive's entries against it.
    public static func prepare(_ path: String) throws(PublishError) -> PreparedPackage {
        guard FileManager.default.fileExists(atPath: path) else { throw .noPackage(path) }
        let report: ArchiveInspector.Report
        do {
            report = try ArchiveInspector().inspect(archiveAt: path, capturing: Manifest.fileName)
        } catch {
            throw .packFailed(error.description)
        }
        guard let captured = report.captured else { throw .noManifest(path) }
        let manifest: Manifest
        do {
            manifest = try Manifest(yaml: String(decoding: captured, as: UTF8.self))
        } catch {
            throw .invalidManifest(path, "\(error)")
        }
        let mismatches = PackageVerifier.verify(entries: report.entries, against: manifest)
        guard mismatches.isEmpty else { throw .archiveMismatch(path, mismatches.map(\.description)) }
        return PreparedPackage(manifest: manifest, archivePath: path, digest: report.archiveDigest, size: report.archiveSize)
    }

    /// Publishes a folder or an archive. With `keepingAt`, a folder's archive is also written there. `progress` gets
    /// the bytes sent so far.
    public func publish(
        _ path: String, keepingAt keptPath: String? = nil, progress: @escaping @Sendable (Int64) -> Void = { _ in }
    ) async throws -> Outcome {
        guard try Self.isFolder(path) else {
            return try await publish(try Self.prepare(path), progress: progress)
        }
        let builder = PackageBuilder(folder: URL(fileURLWithPath: path), compression: compression)
        let plannedAt = Date()
        let plan = try Self.plan(builder, keepingAt: keptPath)
        if keptPath == nil, let record = records?.record(for: plan, compression: compression), try await client.hasBlob(record.digest) {
            var manifest = plan.manifest
            manifest.files = record.files
            do {
                _ = try builder.updateManifestFile(plan, with: manifest)
            } catch {
                throw PublishError.packFailed(error.description)
            }
            let detail = try await publish(manifest, ArchiveReference(digest: record.digest, size: record.size))
            return Outcome(manifest: manifest, digest: record.digest, size: record.size, detail: detail, uploaded: false, packed: false)
        }
        let (streamed, reference) = try await uploadPacking(builder, plan, keepingAt: keptPath, progress: progress)
        records?.remember(
            plan, compression: compression, plannedAt: plannedAt, digest: streamed.digest, size: streamed.size,
            files: streamed.manifest.files ?? [])
        let detail = try await publish(streamed.manifest, reference)
        return Outcome(manifest: streamed.manifest, digest: streamed.digest, size: streamed.size, detail: detail, uploaded: true, packed: true)
    }

    /// Uploads a packed archive unless the hub has it, then publishes its manifest.
    public func publish(_ package: PreparedPackage, progress: @escaping @Sendable (Int64) -> Void = { _ in }) async throws -> Outcome {
        var reference = ArchiveReference(digest: package.digest, size: package.size)
        var uploaded = false
        if try await !client.hasBlob(package.digest) {
            reference = try await client.uploadBlob(at: package.archivePath, digest: package.digest, size: package.size, progress: progress)
            uploaded = true
        }
        let detail = try await publish(package.manifest, reference)
        return Outcome(
            manifest: package.manifest, digest: package.digest, size: package.size, detail: detail, uploaded: uploaded, packed: false)
    }

    /// What publishing `path` would send, found without contacting the hub: a folder is packed (into `keepingAt` when
    /// given, else into nothing) unless an earlier pack's record gives the digest.
    public func dryRun(_ path: String, keepingAt keptPath: String? = nil) throws -> Outcome {
        guard try Self.isFolder(path) else {
            let package = try Self.prepare(path)
            return Outcome(manifest: package.manifest, digest: package.digest, size: package.size, detail: nil, uploaded: false, packed: false)
        }
        let builder = PackageBuilder(folder: URL(fileURLWithPath: path), compression: compression, updatesManifestFile: false)
        let plannedAt = Date()
        let plan = try Self.plan(builder, keepingAt: keptPath)
        if keptPath == nil, let record = records?.record(for: plan, compression: compression) {
            var manifest = plan.manifest
            manifest.files = record.files
            return Outcome(manifest: manifest, digest: record.digest, size: record.size, detail: nil, uploaded: false, packed: false)
        }
        let pipe = BytePipe()
        pipe.drain()
        let streamed: PackageBuilder.Streamed
        do {
            streamed = try builder.pack(plan, streamingTo: pipe, keepingAt: keptPath)
        } catch {
            throw PublishError.packFailed(error.description)
        }
        records?.remember(
            plan, compression: compression, plannedAt: plannedAt, digest: streamed.digest, size: streamed.size,
            files: streamed.manifest.files ?? [])
        return Outcome(manifest: streamed.manifest, digest: streamed.digest, size: streamed.size, detail: nil, uploaded: false, packed: true)
    }

    /// About how many bytes publishing `path` sends, for a progress bar: an archive's size, or the size of a
    /// folder's files (the archive is about as large for weights that do not compress).
    public static func estimatedSize(of path: String) -> Int64 {
        let manager = FileManager.default
        guard (try? isFolder(path)) == true else {
            return (try? manager.attributesOfItem(atPath: path)[.size] as? Int64) ?? 0
        }
        var total: Int64 = 0
        let enumerator = manager.enumerator(at: URL(fileURLWithPath: path), includingPropertiesForKeys: [.fileSizeKey, .isRegularFileKey])
        while let url = enumerator?.nextObject() as? URL {
            guard let values = try? url.resourceValues(forKeys: [.fileSizeKey, .isRegularFileKey]), values.isRegularFile == true else { continue }
            total += Int64(values.fileSize ?? 0)
        }
        return total
    }

    // MARK: Parts

    /// A dropped connection, or a resumed chunk that started before the end of what the hub holds (bytes from the
    /// broken connection were still arriving when the client asked): ask where the upload ends and go on from there.
    static func isResumable(_ error: any Error) -> Bool {
        switch error as? HubClientError {
        case .unreachable: true
        case .problem(let problem): problem.status == 416 && problem.type.hasSuffix(":upload-offset")
        default: false
        }
    }

    private static func isFolder(_ path: String) throws(PublishError) -> Bool {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else { throw .noPackage(path) }
        return isFolder.boolValue
    }

    private static func plan(_ builder: PackageBuilder, keepingAt keptPath: String?) throws(PublishError) -> PackageBuilder.Plan {
        do {
            return try builder.plan(excluding: keptPath.map { [$0] } ?? [])
        } catch {
            throw .packFailed(error.description)
        }
    }

    private func publish(_ manifest: Manifest, _ reference: ArchiveReference) async throws -> VersionDetail {
        try await client.publish(try JSONValue(json: manifest.canonicalJSON()), name: manifest.name, version: manifest.version, archive: reference)
    }

    /// Packs on a thread of its own into a pipe that a chunked upload drains, so that reading, packing, hashing and
    /// sending overlap; then declares the digest. An attempt cut off by the network packs again and sends only what
    /// the hub does not hold yet.
    private func uploadPacking(
        _ builder: PackageBuilder, _ plan: PackageBuilder.Plan, keepingAt keptPath: String?, progress: @escaping @Sendable (Int64) -> Void
    ) async throws -> (PackageBuilder.Streamed, ArchiveReference) {
        let location = try await client.startUpload()
        var held: Int64 = 0
        var attempt = 0
        while true {
            let pipe = BytePipe()
            async let packing = onOwnThread(named: "maxhub-pack") { () throws(PackageError) -> PackageBuilder.Streamed in
                try builder.pack(plan, streamingTo: pipe, keepingAt: keptPath)
            }
            var uploadError: (any Error)?
            var offset: Int64 = 0
            do {
                offset = try await client.appendUpload(location, from: pipe, skipping: held, progress: progress)
            } catch {
                uploadError = error
            }
            // The pack's own failure comes first: the upload only saw the stream stop.
            let packFailedFirst = pipe.producerFailure != nil
            if let uploadError { pipe.cancel("the upload stopped: \(uploadError)") }
            let packed = await packing
            if case .failure(let error) = packed, packFailedFirst || uploadError == nil {
                await client.cancelUpload(location)
                throw PublishError.packFailed(error.description)
            }
            if let uploadError {
                guard Self.isResumable(uploadError), attempt < resumptions else {
                    await client.cancelUpload(location)
                    throw uploadError
                }
                attempt += 1
                try await Task.sleep(for: .milliseconds(200 * attempt))
                held = try await client.uploadOffset(location)
                continue
            }
            guard case .success(let streamed) = packed else { continue }
            guard offset == streamed.size else {
                await client.cancelUpload(location)
                throw HubClientError.unexpectedAnswer("the upload holds \(offset) bytes of an archive of \(streamed.size)")
            }
            return (streamed, try await client.finishUpload(location, digest: streamed.digest))
        }
    }
}
