import Crypto
import Foundation
import HTTPTypes
import Hummingbird

/// The session cookie and the CSRF tokens bound to it.
///
/// The cookie holds the token itself (HttpOnly, SameSite=Strict, Path=/, Secure when the request came over https), so
/// signing out, revoking the token or a restart never leaves a session the API would not honour. A form's CSRF token
/// is an HMAC of the session's token under the hub's web secret: a page of another site can neither read nor compute it.
struct WebSessionKeys: Sendable {
    static let cookieName = "maxhub_session"
    let key: SymmetricKey

    init(secret: [UInt8]) {
        key = SymmetricKey(data: secret)
    }

    func csrfToken(for token: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data("maxhub-csrf:\(token)".utf8), using: key)
        return Data(mac).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    func isValid(csrf given: String?, for token: String) -> Bool {
        guard let given else { return false }
        let expected = Array(csrfToken(for: token).utf8)
        let actual = Array(given.utf8)
        guard expected.count == actual.count else { return false }
        return zip(expected, actual).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }

    /// The `Set-Cookie` value that signs a browser in (`token`) or out (nil).
    static func cookie(_ token: String?, secure: Bool) -> String {
        var parts = ["\(cookieName)=\(token ?? "")", "Path=/", "HttpOnly", "SameSite=Strict"]
        if token == nil { parts.append("Max-Age=0") }
        if secure { parts.append("Secure") }
        return parts.joined(separator: "; ")
    }

    /// The session cookie's value in a request, if any.
    static func cookieValue(in request: Request) -> String? {
        for header in request.headers[values: .cookie] {
            for pair in header.split(separator: ";") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                guard parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces) == cookieName else { continue }
                let value = parts[1].trimmingCharacters(in: .whitespaces)
                return value.isEmpty ? nil : value
            }
        }
        return nil
    }
}
