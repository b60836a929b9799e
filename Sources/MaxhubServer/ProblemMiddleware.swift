import Hummingbird
import Logging
import MaxhubArchive
import MaxhubCore
import MaxhubStore
import NIOHTTP1

/// Turns every error a route throws into problem details: the hub's own errors as they are, the stores' refusals into
/// the status they mean, Hummingbird's (unknown route, body too large) into the same shape, anything else into a 500
/// that is logged and says no more.
struct ProblemMiddleware: RouterMiddleware {
    typealias Context = HubRequestContext

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let problem = Self.problem(for: error)
            if problem.status.code >= 500 {
                context.logger.error("request failed", metadata: ["error": "\(error)", "path": "\(request.uri.path)"])
            } else if error is HTTPParserError {
                // The client's fault (a body that ended early, a malformed message): worth a line, not an alarm.
                context.logger.notice("bad request", metadata: ["error": "\(error)", "path": "\(request.uri.path)"])
            }
            return try problem.response(from: request, context: context)
        }
    }

    static func problem(for error: any Error) -> HubError {
        switch error {
        case let error as HubError:
            return error
        case let error as CatalogError:
            switch error {
            case .versionExists:
                return .conflict(error.description, kind: "version-exists")
            case .tokenNotFound, .versionNotFound:
                return .notFound(error.description)
            case .invalidTransition:
                return .conflict(error.description, kind: "invalid-transition")
            }
        case let error as BlobStoreError:
            switch error {
            case .digestMismatch:
                return .badRequest(error.description, kind: "digest-mismatch")
            case .offsetMismatch(let expected, _):
                var headers = HTTPFields()
                if expected > 0 { headers[.range] = "0-\(expected - 1)" }
                return HubError(.rangeNotSatisfiable, kind: "upload-offset", error.description, headers: headers)
            case .tooLarge:
                return HubError(.contentTooLarge, kind: "too-large", error.description)
            case .uploadNotFound, .blobNotFound:
                return .notFound(error.description)
            case .rangeNotSatisfiable(let size):
                var headers = HTTPFields()
                headers[.contentRange] = "bytes */\(size)"
                return HubError(.rangeNotSatisfiable, error.description, headers: headers)
            case .corrupt:
                return HubError(.internalServerError, kind: "corrupt-blob", error.description)
            }
        case let error as HTTPParserError:
            if error == .invalidEOFState {
                return .badRequest(
                    "the request body ended before the length its Content-Length announced; send it again whole", kind: "truncated-body")
            }
            return .badRequest("the request is not valid HTTP: \(error)", kind: "malformed-request")
        case let error as HTTPError:
            let detail = error.body ?? (error.status == .notFound ? "no such route" : error.status.reasonPhrase)
            return HubError(error.status, detail, headers: error.headers)
        case let error as any HTTPResponseError:
            return HubError(error.status, error.status.reasonPhrase)
        default:
            return HubError(.internalServerError, "the hub failed to answer this request; its log says why")
        }
    }
}
