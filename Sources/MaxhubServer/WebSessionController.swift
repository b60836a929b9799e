import Foundation
import Hummingbird
import MaxhubCore
import MaxhubStore

/// Signing in to the web catalog with a token, and signing out: the session is a cookie that holds the token.
struct WebSessionController<Catalog: CatalogStore> {
    let catalog: Catalog
    let keys: WebSessionKeys

    var endpoints: RouteCollection<HubRequestContext> {
        RouteCollection(context: HubRequestContext.self)
            .add(middleware: WebSessionMiddleware(catalog: catalog, keys: keys))
            .add(middleware: WebErrorMiddleware())
            .get("login", use: loginForm)
            .post("login", use: login)
            .post("logout", use: logout)
    }

    @Sendable func loginForm(_ request: Request, context: HubRequestContext) async throws -> Response {
        let chrome = PageChrome(title: "Sign in", section: .login, context: context)
        let view = LoginView(chrome: chrome, next: WebLinks.localTarget(request.query("next")) ?? "", error: nil)
        return WebPage.response("login", view)
    }

    @Sendable func login(_ request: Request, context: HubRequestContext) async throws -> Response {
        guard request.isSameOrigin else { throw HubError.forbidden("this form was sent from another site") }
        let form = try await WebForm.fields(of: request)
        let next = WebLinks.localTarget(form["next"])
        let token = (form["token"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !token.isEmpty, let record = try await catalog.token(withHash: TokenSecret.hash(of: token)), record.revokedAt == nil else {
            let chrome = PageChrome(title: "Sign in", section: .login, context: context)
            let view = LoginView(chrome: chrome, next: next ?? "", error: "That token is unknown or revoked.")
            return WebPage.response("login", view, status: .unauthorized)
        }
        context.logger.info("signed in", metadata: ["user": "\(record.user)", "token": "\(record.id)"])
        var headers = HTTPFields()
        headers[.setCookie] = WebSessionKeys.cookie(token, secure: request.isSecure)
        return WebPage.redirect(to: next ?? (record.roles.permit(.reviewer) ? "/review" : "/"), headers: headers)
    }

    @Sendable func logout(_ request: Request, context: HubRequestContext) async throws -> Response {
        let form = try await WebForm.fields(of: request)
        if let session = context.webSession {
            try WebForm.check(request, form, session: session, keys: keys)
        }
        var headers = HTTPFields()
        headers[.setCookie] = WebSessionKeys.cookie(nil, secure: request.isSecure)
        return WebPage.redirect(to: "/", headers: headers)
    }
}
