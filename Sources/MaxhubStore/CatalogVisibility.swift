import MaxhubCore

/// Which versions a caller may see: those in `states`, plus, when `publisher` is set, every version that user published.
public struct CatalogVisibility: Sendable, Equatable {
    public var states: Set<ReviewState>
    public var publisher: String?

    public init(states: Set<ReviewState>, publisher: String? = nil) {
        self.states = states
        self.publisher = publisher
    }

    /// Every version in every state.
    public static let everything = CatalogVisibility(states: Set(ReviewState.allCases))

    public func allows(_ record: VersionRecord) -> Bool {
        states.contains(record.state) || (publisher != nil && record.publishedBy == publisher)
    }
}
