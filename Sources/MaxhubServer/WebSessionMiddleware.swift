import HTTPTypes
import Hummingbird
import MaxhubCore
import MaxhubStore

/// Finds the browser's session on the web catalog's routes: a `maxhub_session` cookie whose token the API would accept
/// (known, not revoked) signs the request in as that token's identity. A cookie that names no valid token is cleared,
/// and the page is shown as to an anonymous visitor. A bearer token, when one was sent, wins.
struct WebSessionMiddleware<Catalog: CatalogStore>: RouterMiddleware {
    typealias Context = HubRequestContext
    let catalog: Catalog
    let keys: WebSessionKeys

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard context.identity == nil, let token = WebSessionKeys.cookieValue(in: request) else {
            return try await next(request, context)
        }
        guard let record = try await catalog.token(withHash: TokenSecret.hash(of: token)), record.revokedAt == nil else {
            var response = try await next(request, context)
            response.headers.append(HTTPField(name: .setCookie, value: WebSessionKeys.cookie(nil, secure: request.isSecure)))
            return response
        }
        var context = context
        let identity = Identity(user: record.user, roles: record.roles, tokenID: record.id)
        context.identity = identity
        context.webSession = WebSession(token: token, identity: identity, csrf: keys.csrfToken(for: token))
        return try await next(request, context)
    }
}
