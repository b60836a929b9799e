/// `GET /api/v1/models/{name}`: a model, described by its latest visible version, and every version the caller may see,
/// highest first.
public struct ModelDetail: Codable, Sendable, Equatable {
    public var summary: ModelSummary
    public var versions: [VersionSummary]

    public init(summary: ModelSummary, versions: [VersionSummary]) {
        self.summary = summary
        self.versions = versions
    }

    // Flattened on the wire: the summary's fields, then `versions`.
    public init(from decoder: any Decoder) throws {
        summary = try ModelSummary(from: decoder)
        versions = try decoder.container(keyedBy: CodingKeys.self).decode([VersionSummary].self, forKey: .versions)
    }

    public func encode(to encoder: any Encoder) throws {
        try summary.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(versions, forKey: .versions)
    }

    private enum CodingKeys: String, CodingKey { case versions }
}
