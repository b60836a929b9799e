import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// An error of the OCI distribution API, answered in its shape: `{"errors": [{"code", "message", "detail"}]}`.
struct RegistryError: Error {
    var status: HTTPResponse.Status
    var code: String
    var message: String
    var headers: HTTPFields = [:]

    static func nameUnknown(_ name: String) -> RegistryError {
        RegistryError(status: .notFound, code: "NAME_UNKNOWN", message: "no model named \(name)")
    }

    static func manifestUnknown(_ name: String, _ reference: String) -> RegistryError {
        RegistryError(status: .notFound, code: "MANIFEST_UNKNOWN", message: "\(name) has no manifest \(reference) you may see")
    }

    static func blobUnknown(_ digest: String) -> RegistryError {
        RegistryError(status: .notFound, code: "BLOB_UNKNOWN", message: "no blob \(digest) here")
    }

    static func denied(_ message: String) -> RegistryError {
        RegistryError(status: .forbidden, code: "DENIED", message: message)
    }

    static func unsupported(_ message: String) -> RegistryError {
        RegistryError(status: .methodNotAllowed, code: "UNSUPPORTED", message: message)
    }

    /// A 401 that tells the client where to get a token, for `scope` when given.
    static func unauthorized(_ message: String, realm: String, scope: String?) -> RegistryError {
        var challenge = "Bearer realm=\"\(realm)\",service=\"maxhub\""
        if let scope { challenge += ",scope=\"\(scope)\"" }
        var headers = HTTPFields()
        headers[.wwwAuthenticate] = challenge
        return RegistryError(status: .unauthorized, code: "UNAUTHORIZED", message: message, headers: headers)
    }

    func response(head: Bool = false) -> Response {
        struct Body: Encodable {
            struct Entry: Encodable {
                var code: String
                var message: String
                var detail: [String: String]
            }
            var errors: [Entry]
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let bytes = (try? encoder.encode(Body(errors: [.init(code: code, message: message, detail: [:])]))) ?? Data()
        var headers = headers
        headers[.contentType] = "application/json; charset=utf-8"
        headers[.dockerDistributionAPIVersion] = "registry/2.0"
        if head {
            headers[.contentLength] = String(bytes.count)
            return Response(status: status, headers: headers, body: ResponseBody())
        }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(data: bytes)))
    }
}
