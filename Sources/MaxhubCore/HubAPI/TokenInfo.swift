import Foundation

/// A token as the hub describes it. `token` carries the secret only in the answer to its creation; the hub keeps a hash.
public struct TokenInfo: Codable, Sendable, Equatable {
    public var id: Int64
    public var user: String
    public var roles: [Role]
    public var createdAt: Date
    public var createdBy: String
    public var revokedAt: Date?
    /// When the token stops working, if it expires.
    public var expiresAt: Date?
    public var token: String?

    public init(
        id: Int64, user: String, roles: [Role], createdAt: Date, createdBy: String, revokedAt: Date? = nil,
        expiresAt: Date? = nil, token: String? = nil
    ) {
        self.id = id
        self.user = user
        self.roles = roles
        self.createdAt = createdAt
        self.createdBy = createdBy
        self.revokedAt = revokedAt
        self.expiresAt = expiresAt
        self.token = token
    }

    private enum CodingKeys: String, CodingKey {
        case id, user, roles
        case createdAt = "created_at"
        case createdBy = "created_by"
        case revokedAt = "revoked_at"
        case expiresAt = "expires_at"
        case token
    }
}
