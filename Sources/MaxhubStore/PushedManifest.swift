import Foundation
import MaxhubCore

/// A manifest or index pushed under `/v2/` into a repository of its own (`NAME/SUB`, such as a model's serving image),
/// kept byte for byte with the media type it was pushed as.
public struct PushedManifest: Sendable, Equatable {
    public var repository: String
    public var digest: Digest
    public var mediaType: String
    /// The bytes as pushed (UTF-8 JSON).
    public var body: [UInt8]
    public var pushedBy: String
    public var pushedAt: Date

    public init(repository: String, digest: Digest, mediaType: String, body: [UInt8], pushedBy: String, pushedAt: Date) {
        self.repository = repository
        self.digest = digest
        self.mediaType = mediaType
        self.body = body
        self.pushedBy = pushedBy
        self.pushedAt = pushedAt
    }
}

/// A push of one manifest, and of the tag it was pushed under, as the catalog keeps it in one transaction.
public struct ManifestPush: Sendable {
    public var manifest: PushedManifest
    /// The blobs the manifest names (its config and layers): they stay as long as it does.
    public var blobs: [Digest]
    /// The manifests an index names, kept in the same repository.
    public var manifests: [Digest]
    /// The tag it was pushed under; nil for a push by digest.
    public var tag: String?
    /// The manifest its `subject` names: it is one of that manifest's referrers.
    public var subject: Digest?

    public init(manifest: PushedManifest, blobs: [Digest], manifests: [Digest], tag: String?, subject: Digest? = nil) {
        self.manifest = manifest
        self.blobs = blobs
        self.manifests = manifests
        self.tag = tag
        self.subject = subject
    }

    /// The audit entry's subject: `REPOSITORY:TAG`, or `REPOSITORY@DIGEST`.
    var auditSubject: String { tag.map { "\(manifest.repository):\($0)" } ?? "\(manifest.repository)@\(manifest.digest)" }
}

/// A push the catalog refuses.
public enum ManifestPushError: Error, Equatable, CustomStringConvertible {
    /// Tags never move: the tag names other content already.
    case tagTaken(repository: String, tag: String, digest: Digest)
    /// An index names a manifest the repository does not hold.
    case manifestUnknown(repository: String, digest: Digest)

    public var description: String {
        switch self {
        case .tagTaken(let repository, let tag, let digest):
            "\(repository):\(tag) is \(digest) already; tags never move, push under a new tag"
        case .manifestUnknown(let repository, let digest):
            "\(repository) holds no manifest \(digest), which the index names; push it first"
        }
    }
}
