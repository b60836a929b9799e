import Foundation
import Hummingbird
import MaxhubCore
import MaxhubStore

/// Tokens: creating, listing and revoking them (admin), and `whoami` for any token.
struct TokenController<Catalog: CatalogStore> {
    let catalog: Catalog

    var endpoints: RouteCollection<HubRequestContext> {
        RouteCollection(context: HubRequestContext.self)
            .post("tokens", use: create)
            .get("tokens", use: list)
            .delete("tokens/:id", use: revoke)
            .get("whoami", use: whoami)
    }


    @Sendable func create(_ request: Request, context: HubRequestContext) async throws -> EditedResponse<TokenInfo> {
        let identity = try context.require(.admin)
        let body = try await request.decode(as: TokenRequest.self, context: context)
        let token = try await Self.issue(
            user: body.user, roles: body.roles, createdBy: identity.user, expiresIn: body.expiresInSeconds, in: catalog)
        return EditedResponse(status: .created, response: token)
    }

    @Sendable func list(_ request: Request, context: HubRequestContext) async throws -> [TokenInfo] {
        _ = try context.require(.admin)
        return try await catalog.tokens().map(\.info)
    }

    @Sendable func revoke(_ request: Request, context: HubRequestContext) async throws -> TokenInfo {
        let identity = try context.require(.admin)
        guard let id = context.parameters.get("id", as: Int64.self) else {
            throw HubError.badRequest("a token id is a number")
        }
        return try await catalog.revokeToken(id: id, by: identity.user, at: Date()).info
    }

    @Sendable func whoami(_ request: Request, context: HubRequestContext) async throws -> WhoAmI {
        guard let identity = context.identity else {
            throw HubError.unauthorized("no token was sent; send it as Authorization: Bearer TOKEN")
        }
        return WhoAmI(user: identity.user, roles: identity.roles)
    }

    /// The longest life a token may be given: ten years, in seconds.
    static var maximumLifetime: Int64 { 10 * 366 * 24 * 3600 }

    /// Makes a token: checks the user name and roles, stores the secret's hash, and returns the secret once.
    /// `expiresIn`: seconds from now, from 1 to ten years.
    static func issue(
        user: String, roles: [Role], createdBy: String, expiresIn: Int64? = nil, in catalog: Catalog
    ) async throws -> TokenInfo {
        guard user.wholeMatch(of: /[A-Za-z0-9][A-Za-z0-9._@-]{0,63}/) != nil else {
            throw HubError.badRequest("a user name is 1 to 64 letters, digits, '.', '_', '@' or '-', starting with a letter or digit")
        }
        guard !roles.isEmpty else { throw HubError.badRequest("a token needs at least one role") }
        if let expiresIn, !(1...maximumLifetime).contains(expiresIn) {
            throw HubError.badRequest("expires_in_seconds must be from 1 to \(maximumLifetime) (ten years), not \(expiresIn)")
        }
        let now = Date()
        let roles = Role.allCases.filter(roles.contains)
        let secret = TokenSecret.generate()
        let record = try await catalog.createToken(
            NewToken(
                user: user, roles: roles, hash: TokenSecret.hash(of: secret), createdBy: createdBy, createdAt: now,
                expiresAt: expiresIn.map { now.addingTimeInterval(TimeInterval($0)) }))
        var info = record.info
        info.token = secret
        return info
    }
}
