import Hummingbird
import NIOCore

/// Liveness, metrics and the API description.
struct OperationsController {
    let metrics: HubMetrics

    var endpoints: RouteCollection<HubRequestContext> {
        RouteCollection(context: HubRequestContext.self)
            .get("healthz", use: health)
            .get("metrics", use: prometheus)
            .get("openapi.yaml", use: openAPI)
    }

    struct Health: ResponseCodable {
        var status: String
    }

    @Sendable func health(_ request: Request, context: HubRequestContext) async throws -> Health {
        Health(status: "ok")
    }

    @Sendable func prometheus(_ request: Request, context: HubRequestContext) async throws -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: metrics.exposition())))
    }

    @Sendable func openAPI(_ request: Request, context: HubRequestContext) async throws -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/yaml; charset=utf-8"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: OpenAPIDocument.text)))
    }
}
