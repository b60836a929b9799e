import Foundation
import GRDB

extension SQLiteCatalogStore {
    public func sharedSecret(_ name: String, proposal: [UInt8]) async throws -> [UInt8] {
        try await write { db in
            try db.execute(
                sql: "INSERT INTO hub_secret (name, value, created_at) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING",
                arguments: [name, Data(proposal), CatalogTime.text(Date())])
            guard let stored = try Data.fetchOne(db, sql: "SELECT value FROM hub_secret WHERE name = ?", arguments: [name]) else {
                throw CatalogStorageError.unreadableRow(table: "hub_secret", id: nil, reason: "the secret \(name) is not stored")
            }
            return Array(stored)
        }
    }
}
