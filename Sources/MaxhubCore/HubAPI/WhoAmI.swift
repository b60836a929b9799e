/// `GET /api/v1/whoami`: who a token belongs to and what it may do.
public struct WhoAmI: Codable, Sendable, Equatable {
    public var user: String
    public var roles: [Role]

    public init(user: String, roles: [Role]) {
        self.user = user
        self.roles = roles
    }
}
