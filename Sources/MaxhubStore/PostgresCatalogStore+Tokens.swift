import Foundation
import MaxhubCore
import PostgresNIO

extension PostgresCatalogStore {
    public func createToken(_ token: NewToken) async throws -> TokenRecord {
        try await write { session in try await insert(token, on: session) }
    }

    public func createFirstToken(_ token: NewToken) async throws -> TokenRecord? {
        try await write { session in
            // Held to the commit: a hub starting meanwhile waits here, then counts the token this one made.
            try await session.query("LOCK TABLE token IN SHARE ROW EXCLUSIVE MODE")
            let rows = try await session.query("SELECT count(*) AS count FROM token")
            guard try rows.first?.makeRandomAccess().value("count", as: Int64.self) == 0 else { return nil }
            return try await insert(token, on: session)
        }
    }

    private func insert(_ token: NewToken, on session: Session) async throws -> TokenRecord {
        let new = TokenRow(token)
        let inserted = try await session.query(
            """
            INSERT INTO token (user_name, roles, hash, created_by, created_at, expires_at)
            VALUES (\(new.user), \(new.roles), \(new.hash), \(new.createdBy), \(new.createdAt)::timestamptz,
                    \(new.expiresAt)::timestamptz)
            RETURNING \(TokenRow.postgresSelection)
            """
        )
        guard let row = inserted.first else {
            throw CatalogStorageError.unreadableRow(table: "token", id: nil, reason: "the new token came back empty")
        }
        let record = try TokenRow(postgres: row).record
        try await AuditEntryRow(
            at: token.createdAt, actor: token.createdBy, action: AuditAction.tokenCreate, subject: "token:\(record.id)",
            detail: "user \(token.user), roles \(token.roles.map(\.rawValue).joined(separator: ","))"
        ).insert(on: session.connection, logger: logger)
        return record
    }

    public func token(withHash hash: String) async throws -> TokenRecord? {
        try await query("SELECT \(TokenRow.postgresSelection) FROM token WHERE hash = \(hash)").first.map { try TokenRow(postgres: $0).record }
    }

    public func tokens() async throws -> [TokenRecord] {
        try await query("SELECT \(TokenRow.postgresSelection) FROM token ORDER BY id").map { try TokenRow(postgres: $0).record }
    }

    public func revokeToken(id: Int64, by actor: String, at time: Date) async throws -> TokenRecord {
        try await write { session in
            // Locked, so that of two revocations racing only one records it.
            let found = try await session.query("SELECT \(TokenRow.postgresSelection) FROM token WHERE id = \(id) FOR UPDATE")
            guard let row = found.first else { throw CatalogError.tokenNotFound(id) }
            let current = try TokenRow(postgres: row)
            guard current.revokedAt == nil else { return try current.record }
            let revoked = try await session.query(
                "UPDATE token SET revoked_at = \(PostgresSQL.time(time)) WHERE id = \(id) RETURNING \(TokenRow.postgresSelection)"
            )
            guard let updated = revoked.first else { throw CatalogError.tokenNotFound(id) }
            try await AuditEntryRow(
                at: time, actor: actor, action: AuditAction.tokenRevoke, subject: "token:\(id)", detail: "user \(current.user)"
            ).insert(on: session.connection, logger: logger)
            return try TokenRow(postgres: updated).record
        }
    }

    public func tokenCount() async throws -> Int {
        let rows = try await query("SELECT count(*) AS count FROM token")
        return try rows.first.map { Int(try $0.makeRandomAccess().value("count", as: Int64.self)) } ?? 0
    }
}
