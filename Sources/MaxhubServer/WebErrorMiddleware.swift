import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Shows the web catalog's errors as pages: a page that needs a token sends an anonymous browser to sign in; anything
/// else is an error page with the status and the same sentence the API would give.
struct WebErrorMiddleware: RouterMiddleware {
    typealias Context = HubRequestContext

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let problem = ProblemMiddleware.problem(for: error)
            if problem.status == .unauthorized, request.method == .get || request.method == .head {
                let target = request.uri.path + (request.uri.query.map { "?" + $0 } ?? "")
                return WebPage.redirect(to: "/login?next=" + WebLinks.encode(target))
            }
            if problem.status.code >= 500 {
                context.logger.error("page failed", metadata: ["error": "\(error)", "path": "\(request.uri.path)"])
            }
            var shown = problem
            shown.headers[.wwwAuthenticate] = nil
            return WebPage.error(shown, context: context)
        }
    }
}
