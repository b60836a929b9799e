import AsyncHTTPClient
import Foundation
import MaxhubCore
import NIOCore
import NIOHTTP1

extension HubClient {
    /// Every key the hub has signed with, oldest first.
    public func signingKeys() async throws -> SigningKeyList {
        try await send(.GET, "/api/v1/signing-keys", as: SigningKeyList.self)
    }

    /// A version's signature bundle (`.files`: the OpenSSF model-signing one; `.review`: the signed review), nil when
    /// the hub has none for it.
    public func signatureBundle(_ kind: SignatureKind, of name: ModelName, _ version: Version) async throws -> [UInt8]? {
        let tail = kind == .files ? "signature" : "review-signature"
        var request = HTTPClientRequest(url: baseURL + "/api/v1/models/\(name.pathSegment)/versions/\(Self.escape(version.description))/\(tail)")
        request.headers.add(name: "Accept", value: "application/json")
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        let response: HTTPClientResponse
        do {
            response = try await http.execute(request, timeout: .seconds(60))
        } catch {
            throw HubClientError.unreachable(baseURL, "\(error)")
        }
        let body = Data(buffer: try await response.body.collect(upTo: 16 << 20))
        if response.status == .notFound { return nil }
        guard response.status == .ok else { throw HubClientError.from(status: Int(response.status.code), body: body) }
        return Array(body)
    }

    public enum SignatureKind: Sendable {
        case files
        case review
    }
}
