import Foundation
import Hummingbird
import MaxhubCore
import MaxhubJSON
import NIOCore

/// Decodes request bodies with the API's JSON conventions; malformed JSON is a 400 that says where.
///
/// The body is read first by MaxhubJSON's strict reader, the same one the CLI and the manifest loader use, so that a
/// document they would read differently (a key given twice, say, whose last value Foundation keeps) is refused here
/// rather than stored as something its sender did not see.
public struct HubJSONRequestDecoder: RequestDecoder {
    public func decode<T: Decodable>(_ type: T.Type, from request: Request, context: some RequestContext) async throws -> T {
        let buffer = try await request.body.collect(upTo: context.maxUploadSize)
        let data = Data(buffer: buffer)
        do {
            _ = try JSONValue(json: data)
        } catch {
            throw HubError.badRequest("the request body is not valid JSON: \(error)")
        }
        do {
            return try HubJSON.decoder().decode(T.self, from: data)
        } catch let error as DecodingError {
            throw HubError.badRequest("the request body is not a valid \(T.self): \(HubError.describe(error))")
        } catch {
            throw HubError.badRequest("the request body is not valid JSON: \(error)")
        }
    }
}
