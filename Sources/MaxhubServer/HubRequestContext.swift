import Hummingbird
import MaxhubCore

/// The request context of every route: Hummingbird's core storage plus the identity the authentication middleware found.
public struct HubRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Nil for anonymous requests.
    public var identity: Identity?
    /// The web catalog's signed-in browser, when its session cookie named a valid token.
    var webSession: WebSession?
    /// The largest body a route may collect in memory (JSON bodies); blob uploads stream instead.
    public var maxUploadSize: Int

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        identity = nil
        webSession = nil
        maxUploadSize = 4 << 20
    }

    public var requestDecoder: HubJSONRequestDecoder { HubJSONRequestDecoder() }
    public var responseEncoder: HubJSONResponseEncoder { HubJSONResponseEncoder() }

    /// The identity of a request that must carry a token permitting `role`: 401 without one, 403 with too little.
    public func require(_ role: Role) throws(HubError) -> Identity {
        guard let identity else {
            throw .unauthorized("this needs a token with the \(role) role; send it as Authorization: Bearer TOKEN")
        }
        guard identity.roles.permit(role) else {
            throw .forbidden("\(identity.user) has the roles \(identity.roles.map(\.rawValue).joined(separator: ", ")); this needs \(role)")
        }
        return identity
    }
}
