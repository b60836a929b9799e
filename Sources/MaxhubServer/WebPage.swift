import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

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

extension HTTPField.Name {
    static let contentSecurityPolicy = Self("Content-Security-Policy")!
    static let xContentTypeOptions = Self("X-Content-Type-Options")!
    static let referrerPolicy = Self("Referrer-Policy")!
}
