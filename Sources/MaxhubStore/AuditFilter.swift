/// Which audit entries to read.
public struct AuditFilter: Sendable, Equatable {
    public var actor: String?
    public var action: String?
    /// Entries whose subject is this, or starts with it followed by `@` (a model name finds all its versions).
    public var subject: String?
    /// Entries with an id above this one, for paging.
    public var afterID: Int64?
    public var limit: Int

    public init(actor: String? = nil, action: String? = nil, subject: String? = nil, afterID: Int64? = nil, limit: Int = 100) {
        self.actor = actor
        self.action = action
        self.subject = subject
        self.afterID = afterID
        self.limit = limit
    }
}
