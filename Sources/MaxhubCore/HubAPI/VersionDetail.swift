import Foundation
import MaxhubJSON

/// One version in full: `GET /api/v1/models/{name}/versions/{version}` and the answer to a publish.
public struct VersionDetail: Codable, Sendable, Equatable {
    public var name: ModelName
    public var version: Version
    public var state: ReviewState
    /// The licenses the catalog shows: the declared ones until a review confirms or corrects them.
    public var license: Manifest.Licenses
    public var archive: ArchiveReference
    public var publishedBy: String
    public var publishedAt: Date
    /// The manifest as published, `files:` included.
    public var manifest: JSONValue
    /// The IP review, once there is one.
    public var review: Review?
    /// Why the version was yanked, while it is.
    public var yankReason: String?

    public init(
        name: ModelName, version: Version, state: ReviewState, license: Manifest.Licenses, archive: ArchiveReference,
        publishedBy: String, publishedAt: Date, manifest: JSONValue, review: Review? = nil, yankReason: String? = nil
    ) {
        self.name = name
        self.version = version
        self.state = state
        self.license = license
        self.archive = archive
        self.publishedBy = publishedBy
        self.publishedAt = publishedAt
        self.manifest = manifest
        self.review = review
        self.yankReason = yankReason
    }

    private enum CodingKeys: String, CodingKey {
        case name, version, state, license, archive
        case publishedBy = "published_by"
        case publishedAt = "published_at"
        case manifest, review
        case yankReason = "yank_reason"
    }
}
