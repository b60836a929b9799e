import Foundation
import MaxhubCore

/// A stored token.
public struct TokenRecord: Sendable, Equatable {
    public var id: Int64
    public var user: String
    public var roles: [Role]
    public var hash: String
    public var createdBy: String
    public var createdAt: Date
    public var revokedAt: Date?
    public var expiresAt: Date?

    public init(
        id: Int64, user: String, roles: [Role], hash: String, createdBy: String, createdAt: Date, revokedAt: Date? = nil,
        expiresAt: Date? = nil
    ) {
        self.id = id
        self.user = user
        self.roles = roles
        self.hash = hash
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.revokedAt = revokedAt
        self.expiresAt = expiresAt
    }

    /// Whether the token has expired at `time`.
    public func hasExpired(at time: Date) -> Bool {
        expiresAt.map { $0 <= time } ?? false
    }

    public var info: TokenInfo {
        TokenInfo(id: id, user: user, roles: roles, createdAt: createdAt, createdBy: createdBy, revokedAt: revokedAt, expiresAt: expiresAt)
    }
}
