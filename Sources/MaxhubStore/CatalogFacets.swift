/// How many models of a search have each task, framework and license: the counts a catalog shows beside its filters.
///
/// Each dimension counts the models that match the query's text and its other filters, not its own: with
/// `task=image-classification`, the task counts still show how many models every other task would give.
public struct CatalogFacets: Sendable, Equatable {
    public var tasks: [FacetCount]
    public var frameworks: [FacetCount]
    /// A model counts once for each distinct license among its code, weights and data licenses.
    public var licenses: [FacetCount]

    public init(tasks: [FacetCount] = [], frameworks: [FacetCount] = [], licenses: [FacetCount] = []) {
        self.tasks = tasks
        self.frameworks = frameworks
        self.licenses = licenses
    }
}
