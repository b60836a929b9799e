import Foundation

/// One version of a model as the model's page lists it.
public struct VersionSummary: Codable, Sendable, Equatable {
    public var version: Version
    public var state: ReviewState
    public var archive: ArchiveReference
    public var publishedBy: String
    public var publishedAt: Date

    public init(version: Version, state: ReviewState, archive: ArchiveReference, publishedBy: String, publishedAt: Date) {
        self.version = version
        self.state = state
        self.archive = archive
        self.publishedBy = publishedBy
        self.publishedAt = publishedAt
    }

    private enum CodingKeys: String, CodingKey {
        case version, state, archive
        case publishedBy = "published_by"
        case publishedAt = "published_at"
    }
}
