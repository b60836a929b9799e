import Foundation
import Hummingbird
import MaxhubCore
import NIOCore

/// Decodes request bodies with the API's JSON conventions; malformed JSON is a 400 that says where.
public struct HubJSONRequestDecoder: RequestDecoder {
    public func decode<T: Decodable>(_ type: T.Type, from request: Request, context: some RequestContext) async throws -> T {
        let buffer = try await request.body.collect(upTo: context.maxUploadSize)
        do {
            return try HubJSON.decoder().decode(T.self, from: Data(buffer: buffer))
        } catch let error as DecodingError {
            throw HubError.badRequest("the request body is not a valid \(T.self): \(HubError.describe(error))")
        } catch {
            throw HubError.badRequest("the request body is not valid JSON: \(error)")
        }
    }
}
