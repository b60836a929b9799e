import MaxhubCore
import PostgresNIO

extension PostgresCatalogStore {
    public func auditEntries(_ filter: AuditFilter) async throws -> [AuditEntry] {
        var conditions: [PostgresSQL] = []
        if let actor = filter.actor { conditions.append("actor = \(actor)") }
        if let action = filter.action { conditions.append("action = \(action)") }
        if let subject = filter.subject {
            // `subject@...` as a range, so that the index serves it (the column compares bytes): "@" + 1 is "A".
            conditions.append("(subject = \(subject) OR (subject >= \(subject + "@") AND subject < \(subject + "A")))")
        }
        if let afterID = filter.afterID { conditions.append("id > \(afterID)") }
        let whereClause: PostgresSQL = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        return try await query(
            "SELECT \(AuditEntryRow.postgresSelection) FROM audit_entry \(whereClause) ORDER BY id LIMIT \(Int64(max(0, filter.limit)))"
        ).map { try AuditEntryRow(postgres: $0).entry }
    }
}
