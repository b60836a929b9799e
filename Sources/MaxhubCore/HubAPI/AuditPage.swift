/// `GET /api/v1/audit`: audit entries, oldest first; `next_after` is the id to pass as `after` for the next page.
public struct AuditPage: Codable, Sendable, Equatable {
    public var entries: [AuditEntry]
    public var nextAfter: Int64?

    public init(entries: [AuditEntry], nextAfter: Int64?) {
        self.entries = entries
        self.nextAfter = nextAfter
    }

    private enum CodingKeys: String, CodingKey {
        case entries
        case nextAfter = "next_after"
    }
}
