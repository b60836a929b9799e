/// `GET /api/v1/models/{name}/resolve`: the version a range chose.
public struct Resolution: Codable, Sendable, Equatable {
    public var name: ModelName
    /// The range as asked, normalized (`*` for an empty range).
    public var range: String
    public var version: Version
    public var state: ReviewState
    public var archive: ArchiveReference

    public init(name: ModelName, range: String, version: Version, state: ReviewState, archive: ArchiveReference) {
        self.name = name
        self.range = range
        self.version = version
        self.state = state
        self.archive = archive
    }
}
