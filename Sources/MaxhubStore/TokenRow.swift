import Foundation
import GRDB
import MaxhubCore

/// A row of the `token` table. Roles are stored comma-separated, in the order given.
struct TokenRow: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "token"

    var id: Int64?
    var user: String
    var roles: String
    var hash: String
    var createdBy: String
    var createdAt: String
    var revokedAt: String?
    var expiresAt: String?

    enum CodingKeys: String, CodingKey {
        case id, user, roles, hash
        case createdBy = "created_by"
        case createdAt = "created_at"
        case revokedAt = "revoked_at"
        case expiresAt = "expires_at"
    }

    init(_ new: NewToken) {
        self.id = nil
        self.user = new.user
        self.roles = new.roles.map(\.rawValue).joined(separator: ",")
        self.hash = new.hash
        self.createdBy = new.createdBy
        self.createdAt = CatalogTime.text(new.createdAt)
        self.revokedAt = nil
        self.expiresAt = new.expiresAt.map(CatalogTime.text)
    }

    mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }

    var record: TokenRecord {
        get throws {
            do {
                guard let id else { throw Unreadable("no id") }
                let roles = try self.roles.split(separator: ",").map { text in
                    guard let role = Role(rawValue: String(text)) else { throw Unreadable("unknown role \"\(text)\"") }
                    return role
                }
                guard let createdAt = CatalogTime.date(text: createdAt) else {
                    throw Unreadable("created_at \"\(createdAt)\" is not a catalog time")
                }
                var revoked: Date?
                if let revokedAt {
                    guard let date = CatalogTime.date(text: revokedAt) else {
                        throw Unreadable("revoked_at \"\(revokedAt)\" is not a catalog time")
                    }
                    revoked = date
                }
                var expires: Date?
                if let expiresAt {
                    guard let date = CatalogTime.date(text: expiresAt) else {
                        throw Unreadable("expires_at \"\(expiresAt)\" is not a catalog time")
                    }
                    expires = date
                }
                return TokenRecord(
                    id: id, user: user, roles: roles, hash: hash, createdBy: createdBy, createdAt: createdAt, revokedAt: revoked,
                    expiresAt: expires
                )
            } catch {
                throw CatalogStorageError.unreadableRow(table: Self.databaseTableName, id: id, reason: "\(error)")
            }
        }
    }
}
