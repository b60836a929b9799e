import Hummingbird
import NIOCore

/// Counts requests by route, method and status, their duration, and the body bytes in and out.
struct MetricsMiddleware: RouterMiddleware {
    typealias Context = HubRequestContext
    let metrics: HubMetrics

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let start = ContinuousClock.now
        var request = request
        let bytesIn = metrics.bytesIn
        request.body = RequestBody(asyncSequence: request.body.map { @Sendable buffer in
            bytesIn.increment(by: buffer.readableBytes)
            return buffer
        })
        var response = try await next(request, context)
        let bytesOut = metrics.bytesOut
        let metrics = metrics
        let route = context.endpointPath ?? "NotFound"
        let method = request.method.rawValue
        let status = response.status.code
        // Wrapped by hand rather than with `ResponseBody.map`, which would drop the content length.
        let original = response.body
        response.body = ResponseBody(contentLength: original.contentLength) { writer in
            let counting = writer.map { buffer in
                bytesOut.increment(by: buffer.readableBytes)
                return buffer
            }
            defer {
                let elapsed = ContinuousClock.now - start
                let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
                metrics.recordRequest(route: route, method: method, status: status, seconds: seconds)
            }
            try await original.write(counting)
        }
        return response
    }
}
