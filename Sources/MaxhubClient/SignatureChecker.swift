import Foundation
import MaxhubArchive
import MaxhubCore

/// Which hub keys a client accepts. By default the keys the hub lists are pinned on first contact (`trust.json`, per
/// hub URL); `configured` keys (`--hub-key`, `hub_key:`) replace pinning altogether.
public struct HubKeyTrust: Sendable {
    /// The only keys trusted, when given.
    public var configured: [HubPublicKey]?
    /// Pin and accept a key the hub lists that was not pinned yet (after a rotation).
    public var acceptNewKey: Bool

    public init(configured: [HubPublicKey]? = nil, acceptNewKey: Bool = false) {
        self.configured = configured
        self.acceptNewKey = acceptNewKey
    }
}

/// Fetches a version's signature bundle and checks it: made by a trusted key of the hub, over exactly the package's
/// files. Every refusal is a `PullError` that fails the pull with exit 4, before anything is renamed into the cache.
public struct SignatureChecker: Sendable {
    public var client: HubClient
    public var cache: PackageCache
    public var trust: HubKeyTrust

    public init(client: HubClient, cache: PackageCache, trust: HubKeyTrust = HubKeyTrust()) {
        self.client = client
        self.cache = cache
        self.trust = trust
    }

    /// A bundle whose signature checked out under a trusted key; its files are checked by `check(_:)`.
    public struct SignedVersion: Sendable {
        public var name: ModelName
        public var version: Version
        /// The bundle as the hub served it, to be written beside the package.
        public var bytes: [UInt8]
        public var bundle: SignatureBundle
        public var keys: [HubPublicKey]

        /// Checks the statement against the package's files (path → sha256 hex); the key that signed it.
        @discardableResult
        public func check(_ files: [String: String]) throws(PullError) -> HubPublicKey {
            do {
                return try bundle.verifyFiles(files, trusting: keys).1
            } catch {
                throw .badSignature(name, version, error)
            }
        }
    }

    /// The signature of `name@version`: fetched, and its signature checked against the trusted keys.
    public func fetch(_ name: ModelName, _ version: Version) async throws -> SignedVersion {
        guard let bytes = try await client.signatureBundle(.files, of: name, version) else {
            throw PullError.signatureMissing(name, version, client.baseURL)
        }
        let bundle: SignatureBundle
        do {
            bundle = try SignatureBundle(json: bytes)
        } catch {
            throw PullError.badSignature(name, version, error)
        }
        let keys = try await trustedKeys(for: bundle.keyHint)
        do {
            _ = try bundle.verifiedPayload(trusting: keys)
        } catch {
            throw PullError.badSignature(name, version, error)
        }
        return SignedVersion(name: name, version: version, bytes: bytes, bundle: bundle, keys: keys)
    }

    /// The keys to check a bundle that names `hint` against: the configured ones; else the pinned ones, pinning what
    /// the hub lists on first contact, and a key it lists later only when new keys are accepted.
    public func trustedKeys(for hint: String?) async throws -> [HubPublicKey] {
        if let configured = trust.configured { return configured }
        let pinned = cache.pinnedHubKeys(for: client.baseURL)
        if pinned.isEmpty {
            let listed = try await client.signingKeys().keys.compactMap { try? HubPublicKey(pem: $0.pem) }
            try cache.pin(listed, for: client.baseURL)
            return listed
        }
        guard let hint = hint?.lowercased(), !pinned.contains(where: { $0.fingerprint == hint }) else { return pinned }
        // A key that was not pinned: a rotation the hub lists, or a key the hub never had (which the check refuses).
        let listed = try await client.signingKeys().keys.compactMap { try? HubPublicKey(pem: $0.pem) }
        guard let new = listed.first(where: { $0.fingerprint == hint }) else { return pinned }
        guard trust.acceptNewKey else {
            throw PullError.newHubKey(client.baseURL, new.fingerprint, pinned: pinned.map(\.fingerprint))
        }
        try cache.pin([new], for: client.baseURL)
        return pinned + [new]
    }

    /// Every file of a package folder (relative path → sha256 hex), hashed from disk on a thread of its own (the
    /// weights may take seconds, which a task of the cooperative pool must not block for).
    public static func fileDigests(inFolder folder: String) async throws -> [String: String] {
        try await onOwnThread(named: "maxhub-hash") { () throws -> [String: String] in try hashFiles(inFolder: folder) }.get()
    }

    static func hashFiles(inFolder folder: String) throws -> [String: String] {
        var digests: [String: String] = [:]
        guard let walker = FileManager.default.enumerator(atPath: folder) else { return digests }
        while let relative = walker.nextObject() as? String {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: "\(folder)/\(relative)", isDirectory: &isFolder), !isFolder.boolValue else { continue }
            digests[relative] = try FileDigester.digest(ofFileAt: "\(folder)/\(relative)").digest.hex
        }
        return digests
    }
}

extension SignatureChecker {
    /// What the hub's signatures of a version say, for people (`maxhub info`).
    public enum Status: Sendable {
        /// Both statements verify under `key`; the review statement names `reviewer`.
        case verified(key: HubPublicKey, reviewer: String)
        /// The version has no signature (pending or rejected ones have none).
        case unsigned
        /// A signature exists and was refused.
        case refused(String)
    }

    /// Checks a version's two bundles without its archive: the files statement against the manifest's `files:` (its
    /// `maxhub.yaml` entry is taken as signed), the review statement against the archive and the files statement.
    public func status(of detail: VersionDetail) async throws -> Status {
        guard let filesBytes = try await client.signatureBundle(.files, of: detail.name, detail.version) else { return .unsigned }
        do {
            let bundle = try SignatureBundle(json: filesBytes)
            let keys = try await trustedKeys(for: bundle.keyHint)
            let (payload, key) = try bundle.verifiedPayload(trusting: keys)
            let statement = try FilesStatement(json: payload)
            let manifest = try detail.manifest.decode(Manifest.self)
            var files = Dictionary((manifest.files ?? []).map { ($0.path, $0.sha256) }, uniquingKeysWith: { first, _ in first })
            files[Manifest.fileName] = statement.resources.first { $0.name == Manifest.fileName }?.digest
            let differences = statement.differences(from: files)
            guard differences.isEmpty else { return .refused(SignatureError.filesDiffer(differences).description) }
            guard let reviewBytes = try await client.signatureBundle(.review, of: detail.name, detail.version) else {
                return .refused("the hub serves no signed review beside the signature")
            }
            let (review, _) = try SignatureBundle(json: reviewBytes).verifyReview(
                of: detail.name, detail.version, archive: detail.archive.digest, filesDigest: statement.rootDigest, trusting: [key])
            return .verified(key: key, reviewer: review.predicate.reviewer)
        } catch let error as SignatureError {
            return .refused(error.description)
        } catch let error as PullError {
            return .refused(error.description)
        }
    }
}
