import MaxhubCore

/// Who sent a request, as its bearer token says.
public struct Identity: Sendable, Equatable {
    public var user: String
    public var roles: [Role]
    public var tokenID: Int64

    public init(user: String, roles: [Role], tokenID: Int64) {
        self.user = user
        self.roles = roles
        self.tokenID = tokenID
    }
}
