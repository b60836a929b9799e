import Foundation
import MaxhubCore

/// A token about to be stored. The secret itself never reaches the catalog, only `hash`.
public struct NewToken: Sendable, Equatable {
    public var user: String
    public var roles: [Role]
    /// `TokenSecret.hash(of:)` of the secret.
    public var hash: String
    public var createdBy: String
    public var createdAt: Date
    /// When the token stops working; nil for one that works until it is revoked.
    public var expiresAt: Date?

    public init(user: String, roles: [Role], hash: String, createdBy: String, createdAt: Date, expiresAt: Date? = nil) {
        self.user = user
        self.roles = roles
        self.hash = hash
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }
}
