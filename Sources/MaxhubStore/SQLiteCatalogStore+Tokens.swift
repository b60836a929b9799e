import Foundation
import GRDB
import MaxhubCore

extension SQLiteCatalogStore {
    public func createToken(_ token: NewToken) async throws -> TokenRecord {
        try await write { db in try Self.insert(token, into: db) }
    }

    public func createFirstToken(_ token: NewToken) async throws -> TokenRecord? {
        // SQLite commits one writer at a time: a token another connection made since this one read the count fails
        // this transaction (busy), never adds a second first token.
        try await write { db in
            guard try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM token") == 0 else { return nil }
            return try Self.insert(token, into: db)
        }
    }

    private static func insert(_ token: NewToken, into db: Database) throws -> TokenRecord {
        var row = TokenRow(token)
        try row.insert(db)
        let record = try row.record
        var audit = AuditEntryRow(
            at: token.createdAt, actor: token.createdBy, action: AuditAction.tokenCreate, subject: "token:\(record.id)",
            detail: "user \(token.user), roles \(token.roles.map(\.rawValue).joined(separator: ","))"
        )
        try audit.insert(db)
        return record
    }

    public func token(withHash hash: String) async throws -> TokenRecord? {
        try await read { db in
            let request: SQLRequest<Row> = "SELECT * FROM token WHERE hash = \(hash)"
            return try request.fetchOne(db).map { try TokenRow.decoded(from: $0).record }
        }
    }

    public func tokens() async throws -> [TokenRecord] {
        try await read { db in
            let request: SQLRequest<Row> = "SELECT * FROM token ORDER BY id"
            return try request.fetchAll(db).map { try TokenRow.decoded(from: $0).record }
        }
    }

    public func revokeToken(id: Int64, by actor: String, at time: Date) async throws -> TokenRecord {
        try await write { db in
            let request: SQLRequest<Row> = "SELECT * FROM token WHERE id = \(id)"
            guard let found = try request.fetchOne(db) else { throw CatalogError.tokenNotFound(id) }
            var row = try TokenRow.decoded(from: found)
            guard row.revokedAt == nil else { return try row.record }
            row.revokedAt = CatalogTime.text(time)
            try row.update(db)
            var audit = AuditEntryRow(
                at: time, actor: actor, action: AuditAction.tokenRevoke, subject: "token:\(id)", detail: "user \(row.user)"
            )
            try audit.insert(db)
            return try row.record
        }
    }

    public func tokenCount() async throws -> Int {
        try await read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM token") ?? 0
        }
    }
}
