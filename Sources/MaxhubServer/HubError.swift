import Foundation
import Hummingbird
import MaxhubCore
import NIOCore

/// An error the API reports as RFC 9457 problem details (`application/problem+json`).
public struct HubError: Error, HTTPResponseError, CustomStringConvertible {
    public var status: HTTPResponse.Status
    /// A short name for the kind of problem (`digest-mismatch`); the problem's type is `urn:maxhub:problem:<kind>`.
    public var kind: String?
    public var detail: String
    public var errors: [ProblemDetails.Item]?
    /// Headers the answer must carry (`WWW-Authenticate`, `Content-Range`, `Range`).
    public var headers: HTTPFields

    public init(
        _ status: HTTPResponse.Status, kind: String? = nil, _ detail: String, errors: [ProblemDetails.Item]? = nil,
        headers: HTTPFields = [:]
    ) {
        self.status = status
        self.kind = kind
        self.detail = detail
        self.errors = errors
        self.headers = headers
    }

    public var description: String { "\(status.code) \(detail)" }

    public var problem: ProblemDetails {
        ProblemDetails(
            type: kind.map { "urn:maxhub:problem:\($0)" } ?? "about:blank",
            title: status.reasonPhrase,
            status: status.code,
            detail: detail,
            errors: errors
        )
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers = headers
        headers[.contentType] = ProblemDetails.mediaType
        let body = (try? HubJSON.encoder().encode(problem)) ?? Data()
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    public static func badRequest(_ detail: String, kind: String? = nil, errors: [ProblemDetails.Item]? = nil) -> HubError {
        HubError(.badRequest, kind: kind, detail, errors: errors)
    }

    public static func unauthorized(_ detail: String) -> HubError {
        var headers = HTTPFields()
        headers[.wwwAuthenticate] = "Bearer realm=\"maxhub\""
        return HubError(.unauthorized, detail, headers: headers)
    }

    public static func forbidden(_ detail: String) -> HubError {
        HubError(.forbidden, detail)
    }

    public static func notFound(_ detail: String) -> HubError {
        HubError(.notFound, detail)
    }

    public static func conflict(_ detail: String, kind: String) -> HubError {
        HubError(.conflict, kind: kind, detail)
    }

    /// One sentence for a JSON decoding error: what is wrong and where.
    static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let text = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return text.isEmpty ? "(root)" : String(text.drop { $0 == "." })
        }
        switch error {
        case .keyNotFound(let key, let context):
            let parent = path(context)
            return "\(parent == "(root)" ? key.stringValue : "\(parent).\(key.stringValue)"): required property is missing"
        case .typeMismatch(let type, let context):
            return "\(path(context)): expected \(type)"
        case .valueNotFound(let type, let context):
            return "\(path(context)): expected \(type), got null"
        case .dataCorrupted(let context):
            return "\(path(context)): \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }
}
