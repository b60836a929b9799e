/// One page of `GET /api/v1/models`.
public struct ModelPage: Codable, Sendable, Equatable {
    public var models: [ModelSummary]
    /// 1-based.
    public var page: Int
    public var perPage: Int
    /// How many models match in all, over every page.
    public var total: Int

    public init(models: [ModelSummary], page: Int, perPage: Int, total: Int) {
        self.models = models
        self.page = page
        self.perPage = perPage
        self.total = total
    }

    private enum CodingKeys: String, CodingKey {
        case models, page
        case perPage = "per_page"
        case total
    }
}
