import Foundation
import Hummingbird
import MaxhubCore
import MaxhubStore

/// Finds who sent a request from its bearer token. No `Authorization` header means anonymous; a malformed, unknown,
/// revoked or expired token is a 401 even on routes anonymous users may use, so a client never silently loses its rights.
struct AuthenticationMiddleware<Catalog: CatalogStore>: RouterMiddleware {
    typealias Context = HubRequestContext
    let catalog: Catalog

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        // The OCI face checks its own credentials (Basic on its token endpoint, its anonymous bearer), and answers
        // in the registry's error shape.
        let path = request.uri.path
        guard let header = request.headers[.authorization], path != "/v2", !path.hasPrefix("/v2/") else {
            return try await next(request, context)
        }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            throw HubError.unauthorized("the Authorization header must be \"Bearer TOKEN\"")
        }
        let secret = parts[1].trimmingCharacters(in: .whitespaces)
        guard let token = try await catalog.token(withHash: TokenSecret.hash(of: secret)), token.revokedAt == nil else {
            throw HubError.unauthorized("the token is unknown or revoked")
        }
        if let expiresAt = token.expiresAt, token.hasExpired(at: Date()) {
            throw HubError.unauthorized("the token expired at \(HubJSON.format(expiresAt)); ask an admin for a new one")
        }
        var context = context
        context.identity = Identity(user: token.user, roles: token.roles, tokenID: token.id)
        return try await next(request, context)
    }
}
