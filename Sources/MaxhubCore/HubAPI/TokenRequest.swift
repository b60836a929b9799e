/// The body of `POST /api/v1/tokens`.
public struct TokenRequest: Codable, Sendable, Equatable {
    public var user: String
    public var roles: [Role]
    /// How long the token works, from its creation; nil for a token that works until it is revoked.
    public var expiresInSeconds: Int64?

    public init(user: String, roles: [Role], expiresInSeconds: Int64? = nil) {
        self.user = user
        self.roles = roles
        self.expiresInSeconds = expiresInSeconds
    }

    private enum CodingKeys: String, CodingKey {
        case user, roles
        case expiresInSeconds = "expires_in_seconds"
    }
}
