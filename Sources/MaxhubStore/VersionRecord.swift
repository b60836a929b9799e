import Foundation
import MaxhubCore
import MaxhubJSON

/// A published version as the catalog holds it.
public struct VersionRecord: Sendable, Equatable {
    public var name: ModelName
    public var version: Version
    public var state: ReviewState
    public var task: String
    public var description: String
    /// The licenses the catalog shows and filters on: the declared ones until a review confirms or corrects them.
    public var license: Manifest.Licenses
    /// `framework.name` of the manifest.
    public var framework: String?
    public var archive: ArchiveReference
    public var publishedBy: String
    public var publishedAt: Date
    public var manifest: JSONValue
    /// The IP review, once there is one.
    public var review: Review?
    /// Why the version was yanked, while it is.
    public var yankReason: String?
    /// The sha256 of the archive's `maxhub.yaml` entry (nil for versions published before the hub recorded it).
    public var manifestFileDigest: Digest?

    public init(
        name: ModelName, version: Version, state: ReviewState, task: String, description: String,
        license: Manifest.Licenses, framework: String?, archive: ArchiveReference, publishedBy: String,
        publishedAt: Date, manifest: JSONValue, review: Review? = nil, yankReason: String? = nil,
        manifestFileDigest: Digest? = nil
    ) {
        self.name = name
        self.version = version
        self.state = state
        self.task = task
        self.description = description
        self.license = license
        self.framework = framework
        self.archive = archive
        self.publishedBy = publishedBy
        self.publishedAt = publishedAt
        self.manifest = manifest
        self.review = review
        self.yankReason = yankReason
        self.manifestFileDigest = manifestFileDigest
    }
}

extension Collection<VersionRecord> {
    /// The version that describes a model: the highest release, or the highest prerelease when there is no release.
    /// `searchModels` applies the same rule.
    public var latest: VersionRecord? {
        filter { $0.version.prerelease.isEmpty }.max { $0.version < $1.version } ?? self.max { $0.version < $1.version }
    }
}
