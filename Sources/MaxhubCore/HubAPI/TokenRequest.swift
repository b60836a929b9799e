/// The body of `POST /api/v1/tokens`.
public struct TokenRequest: Codable, Sendable, Equatable {
    public var user: String
    public var roles: [Role]

    public init(user: String, roles: [Role]) {
        self.user = user
        self.roles = roles
    }
}
