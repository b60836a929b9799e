import AsyncHTTPClient
import Foundation
import MaxhubCore
import MaxhubJSON
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

/// Talks to a hub's JSON API: one base URL, an optional bearer token, problem details turned into `HubClientError`.
public struct HubClient: Sendable {
    public var baseURL: String
    public var token: String?
    let http: HTTPClient

    public init(baseURL: String, token: String?, http: HTTPClient = HubClient.sharedHTTPClient) {
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        self.baseURL = base
        self.token = token
        self.http = http
    }

    /// The process's HTTP client: a hub that does not answer is reported at once rather than retried until the request's
    /// deadline, and a connection attempt gives up after 10 seconds.
    public static let sharedHTTPClient: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.timeout.connect = .seconds(10)
        // Redirects are followed where they are expected (a download sent to an object store), by the caller.
        configuration.redirectConfiguration = .disallow
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }()

    /// Sends a request with an optional JSON body and decodes the JSON answer.
    public func send<Response: Decodable>(
        _ method: HTTPMethod, _ path: String, body: (some Encodable)? = Optional<JSONValue>.none, as type: Response.Type,
        timeout: TimeAmount = .seconds(60)
    ) async throws -> Response {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        request.headers.add(name: "Accept", value: "application/json")
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(data: try HubJSON.encoder().encode(body)))
        }
        let response: HTTPClientResponse
        do {
            response = try await http.execute(request, timeout: timeout)
        } catch {
            throw HubClientError.unreachable(baseURL, "\(error)")
        }
        let buffer = try await response.body.collect(upTo: 64 << 20)
        let data = Data(buffer: buffer)
        guard (200..<300).contains(response.status.code) else {
            throw HubClientError.from(status: Int(response.status.code), body: data)
        }
        do {
            return try HubJSON.decoder().decode(Response.self, from: data)
        } catch {
            throw HubClientError.unexpectedAnswer("\(method) \(path): \(error)")
        }
    }

    // MARK: Catalog and review

    /// One page of a catalog search.
    public func searchModels(
        text: String?, task: String? = nil, framework: String? = nil, license: String? = nil, page: Int = 1, perPage: Int = 20
    ) async throws -> ModelPage {
        var query = ["page=\(page)", "per_page=\(perPage)"]
        if let text { query.append("q=\(Self.escape(text))") }
        if let task { query.append("task=\(Self.escape(task))") }
        if let framework { query.append("framework=\(Self.escape(framework))") }
        if let license { query.append("license=\(Self.escape(license))") }
        return try await send(.GET, "/api/v1/models?" + query.joined(separator: "&"), as: ModelPage.self)
    }

    /// A model and the versions the caller may see.
    public func model(_ name: ModelName) async throws -> ModelDetail {
        try await send(.GET, "/api/v1/models/\(name.pathSegment)", as: ModelDetail.self)
    }

    /// One version, as the caller may see it.
    public func version(_ version: Version, of name: ModelName) async throws -> VersionDetail {
        try await send(.GET, "/api/v1/models/\(name.pathSegment)/versions/\(Self.escape(version.description))", as: VersionDetail.self)
    }

    /// The versions in a review state, oldest published first (reviewer).
    public func reviews(state: ReviewState = .pending) async throws -> ReviewQueue {
        try await send(.GET, "/api/v1/reviews?state=\(state.rawValue)", as: ReviewQueue.self)
    }

    /// Approves or rejects a pending version (reviewer).
    public func review(_ version: Version, of name: ModelName, _ request: ReviewRequest) async throws -> VersionDetail {
        try await send(
            .POST, "/api/v1/models/\(name.pathSegment)/versions/\(Self.escape(version.description))/review", body: request,
            as: VersionDetail.self)
    }

    /// Yanks an approved version, or restores a yanked one (`undo`, admin).
    public func yank(_ version: Version, of name: ModelName, _ request: YankRequest) async throws -> VersionDetail {
        try await send(
            .POST, "/api/v1/models/\(name.pathSegment)/versions/\(Self.escape(version.description))/yank", body: request,
            as: VersionDetail.self)
    }

    /// A page of the audit log (admin).
    public func audit(
        actor: String? = nil, action: String? = nil, subject: String? = nil, after: Int64? = nil, limit: Int = 100
    ) async throws -> AuditPage {
        var query = ["limit=\(limit)"]
        if let actor { query.append("actor=\(Self.escape(actor))") }
        if let action { query.append("action=\(Self.escape(action))") }
        if let subject { query.append("subject=\(Self.escape(subject))") }
        if let after { query.append("after=\(after)") }
        return try await send(.GET, "/api/v1/audit?" + query.joined(separator: "&"), as: AuditPage.self)
    }

    /// Percent-encodes a path segment or query value.
    static func escape(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    // MARK: Tokens

    /// Who the client's token belongs to (401 without a valid token).
    public func whoami() async throws -> WhoAmI {
        try await send(.GET, "/api/v1/whoami", as: WhoAmI.self)
    }

    /// Every token, without secrets (admin).
    public func tokens() async throws -> [TokenInfo] {
        try await send(.GET, "/api/v1/tokens", as: [TokenInfo].self)
    }

    /// Revokes a token (admin).
    public func revokeToken(id: Int64) async throws -> TokenInfo {
        try await send(.DELETE, "/api/v1/tokens/\(id)", as: TokenInfo.self)
    }

    /// Makes a token (admin).
    public func createToken(user: String, roles: [Role], expiresInSeconds: Int64? = nil) async throws -> TokenInfo {
        try await send(
            .POST, "/api/v1/tokens", body: TokenRequest(user: user, roles: roles, expiresInSeconds: expiresInSeconds), as: TokenInfo.self)
    }
}
