import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// What every page shows around its content: the title, the navigation, who is signed in, and the inlined stylesheet
/// and script with the nonce that the page's Content-Security-Policy allows them by.
struct PageChrome {
    enum Section {
        case catalog, review, docs, login, none
    }

    var title: String
    var nonce: String
    var stylesheet: String
    var script: String
    var signedIn: Bool
    var user: String?
    var isReviewer: Bool
    var csrf: String?
    var onCatalog: Bool
    var onReview: Bool
    var onDocs: Bool
    var onLogin: Bool

    init(title: String, section: Section, context: HubRequestContext) {
        self.title = title
        nonce = Self.makeNonce()
        stylesheet = WebAssets.stylesheet
        script = WebAssets.script
        signedIn = context.webSession != nil
        user = context.webSession?.identity.user
        isReviewer = context.identity?.roles.permit(.reviewer) ?? false
        csrf = context.webSession?.csrf
        onCatalog = section == .catalog
        onReview = section == .review
        onDocs = section == .docs
        onLogin = section == .login
    }

    private static func makeNonce() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<16).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return Data(bytes).base64EncodedString()
    }
}

/// A rendered page as a response: HTML with headers that keep it to itself (a nonce-based Content-Security-Policy, no
/// framing, no sniffing) and out of shared caches, since what it shows depends on who asks.
enum WebPage {
    static func response(
        _ template: String, _ view: Any, chrome: PageChrome, status: HTTPResponse.Status = .ok, headers extra: HTTPFields = [:]
    ) -> Response {
        let html = WebAssets.library.render(view, withTemplate: template) ?? ""
        var headers = extra
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.contentSecurityPolicy] =
            "default-src 'none'; style-src 'nonce-\(chrome.nonce)'; script-src 'nonce-\(chrome.nonce)'; img-src 'self' https: http:; "
            + "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
        headers[.xContentTypeOptions] = "nosniff"
        headers[.referrerPolicy] = "same-origin"
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    /// A 303 to `location`, with more headers (a cookie) if given.
    static func redirect(to location: String, headers extra: HTTPFields = [:]) -> Response {
        var headers = extra
        headers[.location] = location
        headers[.cacheControl] = "no-store"
        return Response(status: .seeOther, headers: headers)
    }

    struct ErrorView {
        var chrome: PageChrome
        var heading: String
        var detail: String
    }

    static func error(_ error: HubError, context: HubRequestContext) -> Response {
        let chrome = PageChrome(title: error.status.reasonPhrase, section: .none, context: context)
        var detail = error.detail
        if let items = error.errors, !items.isEmpty {
            detail += ": " + items.map { "\($0.path): \($0.message)" }.joined(separator: "; ")
        }
        let view = ErrorView(chrome: chrome, heading: "\(error.status.code) \(error.status.reasonPhrase)", detail: detail)
        return response("error", view, chrome: chrome, status: error.status, headers: error.headers)
    }
}

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

/// Links within the catalog.
enum WebLinks {
    private static let unreserved = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")

    /// A query value or path segment, percent-encoded.
    static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ""
    }

    /// `path?name=value&...` for the non-empty values, in order.
    static func link(_ path: String, _ parameters: [(String, String?)]) -> String {
        let pairs = parameters.compactMap { name, value in value.flatMap { $0.isEmpty ? nil : "\(name)=\(encode($0))" } }
        return pairs.isEmpty ? path : path + "?" + pairs.joined(separator: "&")
    }

    static func model(_ name: String, version: String? = nil) -> String {
        link("/models/" + encode(name), [("version", version)])
    }

    /// Where to go after signing in: a path on this hub, never another site (`//host`, `/\host`, a scheme).
    static func localTarget(_ text: String?) -> String? {
        guard let text, text.hasPrefix("/"), !text.hasPrefix("//"), !text.hasPrefix("/\\"),
            !text.contains(where: { $0.isNewline || $0 == "\\" })
        else { return nil }
        return text
    }
}

extension HTTPField.Name {
    static let contentSecurityPolicy = Self("Content-Security-Policy")!
    static let xContentTypeOptions = Self("X-Content-Type-Options")!
    static let referrerPolicy = Self("Referrer-Policy")!
}
