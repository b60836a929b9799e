import Foundation
import Hummingbird
import MaxhubCore
import NIOCore

/// Encodes responses with the API's JSON conventions (ISO 8601 times, sorted keys).
public struct HubJSONResponseEncoder: ResponseEncoder {
    public func encode(_ value: some Encodable, from request: Request, context: some RequestContext) throws -> Response {
        let data = try HubJSON.encoder().encode(value)
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
