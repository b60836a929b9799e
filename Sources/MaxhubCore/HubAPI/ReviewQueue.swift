/// `GET /api/v1/reviews?state=pending`: versions in one state, oldest published first.
public struct ReviewQueue: Codable, Sendable, Equatable {
    public var state: ReviewState
    public var versions: [VersionDetail]

    public init(state: ReviewState, versions: [VersionDetail]) {
        self.state = state
        self.versions = versions
    }
}
