/// A catalog search: free text over name, description and task, exact filters, and a page.
public struct ModelQuery: Sendable, Equatable {
    /// Words to find; every word must match (as a prefix) the name, description or task.
    public var text: String?
    public var task: String?
    /// A framework name, as `framework.name` in manifests.
    public var framework: String?
    /// An SPDX id that any of the code, weights or data licenses equals.
    public var license: String?
    /// 1-based.
    public var page: Int
    public var perPage: Int

    public init(text: String? = nil, task: String? = nil, framework: String? = nil, license: String? = nil, page: Int = 1, perPage: Int = 20) {
        self.text = text
        self.task = task
        self.framework = framework
        self.license = license
        self.page = page
        self.perPage = perPage
    }
}
