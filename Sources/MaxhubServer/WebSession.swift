import Crypto
import Foundation
import HTTPTypes
import Hummingbird

/// A browser signed in to the web catalog: the token its cookie carries and who that token is.
public struct WebSession: Sendable {
    /// The token secret, as the `maxhub_session` cookie holds it.
    var token: String
    var identity: Identity
    /// The CSRF token every form of this session carries.
    var csrf: String
}

extension Request {
    /// Whether the browser reached the hub over https (directly or through a proxy that says so).
    var isSecure: Bool {
        head.scheme == "https" || headers[.xForwardedProto]?.lowercased() == "https"
    }

    /// Whether an `Origin` header, when the browser sent one, names this hub: same host and port as `Host`.
    var isSameOrigin: Bool {
        guard let origin = headers[.webOrigin] else { return true }
        guard let host = head.authority, let url = URL(string: origin), let originHost = url.host else { return false }
        let originAuthority = url.port.map { "\(originHost):\($0)" } ?? originHost
        if originAuthority.lowercased() == host.lowercased() { return true }
        // A default port may be left out of one of them.
        let defaultPort = url.scheme == "https" ? 443 : 80
        return "\(originHost):\(defaultPort)".lowercased() == host.lowercased()
            || originAuthority.lowercased() == "\(host):\(defaultPort)".lowercased()
    }
}

extension HTTPField.Name {
    static let xForwardedProto = Self("X-Forwarded-Proto")!
    static let webOrigin = Self("Origin")!
}
