import GRDB
import MaxhubCore

extension SQLiteCatalogStore {
    public func auditEntries(_ filter: AuditFilter) async throws -> [AuditEntry] {
        var conditions: [SQL] = []
        if let actor = filter.actor { conditions.append("actor = \(actor)") }
        if let action = filter.action { conditions.append("action = \(action)") }
        if let subject = filter.subject {
            // `subject@...` as a range, so that the index serves it: "@" + 1 is "A".
            conditions.append("(subject = \(subject) OR (subject >= \(subject + "@") AND subject < \(subject + "A")))")
        }
        if let afterID = filter.afterID { conditions.append("id > \(afterID)") }
        let whereClause: SQL = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        let request: SQLRequest<Row> = "SELECT * FROM audit_entry \(whereClause) ORDER BY id LIMIT \(max(0, filter.limit))"
        return try await read { db in
            try request.fetchAll(db).map { try AuditEntryRow.decoded(from: $0).entry }
        }
    }
}
