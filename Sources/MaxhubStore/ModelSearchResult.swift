/// One page of a search and the number of matches in all.
public struct ModelSearchResult: Sendable, Equatable {
    public var total: Int
    public var models: [ModelSummaryRecord]

    public init(total: Int, models: [ModelSummaryRecord]) {
        self.total = total
        self.models = models
    }
}
