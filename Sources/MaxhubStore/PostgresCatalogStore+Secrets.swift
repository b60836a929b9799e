import Foundation
import PostgresNIO

extension PostgresCatalogStore {
    public func sharedSecret(_ name: String, proposal: [UInt8]) async throws -> [UInt8] {
        try await write { session in
            try await session.query(
                """
                INSERT INTO hub_secret (name, value, created_at) VALUES (\(name), \(Data(proposal)), \(PostgresSQL.time(Date())))
                ON CONFLICT (name) DO NOTHING
                """)
            let rows = try await session.query("SELECT value FROM hub_secret WHERE name = \(name)")
            guard let row = rows.first else {
                throw CatalogStorageError.unreadableRow(table: "hub_secret", id: nil, reason: "the secret \(name) is not stored")
            }
            return Array(try row.makeRandomAccess().value("value", as: Data.self))
        }
    }
}
