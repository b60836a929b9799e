import Foundation
import HTTPTypes
import Hummingbird
import MaxhubCore
import NIOCore

/// A rendered page as a response: HTML with headers that keep it to itself (a Content-Security-Policy that allows only
/// the inlined stylesheet and script, by their hashes; no framing, no sniffing) and out of shared caches, since what it
/// shows depends on who asks.
enum WebPage {
    static func response(
        _ template: String, _ view: Any, status: HTTPResponse.Status = .ok, headers extra: HTTPFields = [:]
    ) -> Response {
        let page = rendered(template, view, headers: extra)
        return Response(status: status, headers: page.headers, body: .init(byteBuffer: page.body))
    }

    /// The page's headers and HTML, for the response cache.
    static func rendered(_ template: String, _ view: Any, headers extra: HTTPFields = [:]) -> (headers: HTTPFields, body: ByteBuffer) {
        let html = WebAssets.library.render(view, withTemplate: template) ?? ""
        var headers = extra
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.contentSecurityPolicy] = contentSecurityPolicy
        headers[.xContentTypeOptions] = "nosniff"
        headers[.referrerPolicy] = "same-origin"
        headers[.cacheControl] = "no-store"
        return (headers, ByteBuffer(string: html))
    }

    /// Hashes rather than a nonce, so that a page's bytes depend only on what it shows and the same page can be served
    /// again from the response cache.
    static let contentSecurityPolicy =
        "default-src 'none'; style-src '\(sourceHash(WebAssets.stylesheet))'; script-src '\(sourceHash(WebAssets.script))'; "
        + "img-src 'self' https: http:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

    /// A CSP hash source: `sha256-` and the base64 of the SHA-256 of the element's text.
    static func sourceHash(_ text: String) -> String {
        "sha256-\(Digest.of(Array(text.utf8)).base64)"
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
        return response("error", view, status: error.status, headers: error.headers)
    }
}

extension HTTPField.Name {
    static let contentSecurityPolicy = Self("Content-Security-Policy")!
    static let xContentTypeOptions = Self("X-Content-Type-Options")!
    static let referrerPolicy = Self("Referrer-Policy")!
}
