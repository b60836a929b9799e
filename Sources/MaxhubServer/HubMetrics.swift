import CoreMetrics
import Prometheus

/// The hub's Prometheus metrics. Each hub has its own registry, so several hubs (in tests) never share counters.
public final class HubMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    let factory: PrometheusMetricsFactory
    let bytesIn: CoreMetrics.Counter
    let bytesOut: CoreMetrics.Counter
    let publishes: CoreMetrics.Counter
    let uploadedBlobs: CoreMetrics.Counter

    public init() {
        registry = PrometheusCollectorRegistry()
        factory = PrometheusMetricsFactory(registry: registry)
        bytesIn = CoreMetrics.Counter(label: "maxhub_http_request_body_bytes_total", factory: factory)
        bytesOut = CoreMetrics.Counter(label: "maxhub_http_response_body_bytes_total", factory: factory)
        publishes = CoreMetrics.Counter(label: "maxhub_publishes_total", factory: factory)
        uploadedBlobs = CoreMetrics.Counter(label: "maxhub_blob_uploads_total", factory: factory)
    }

    func recordRequest(route: String, method: String, status: Int, seconds: Double) {
        let dimensions = [("route", route), ("method", method), ("status", String(status))]
        CoreMetrics.Counter(label: "maxhub_http_requests_total", dimensions: dimensions, factory: factory).increment()
        CoreMetrics.Timer(label: "maxhub_http_request_duration_seconds", dimensions: [("route", route), ("method", method)], factory: factory)
            .recordSeconds(seconds)
    }

    /// The metrics in Prometheus' text exposition format.
    public func exposition() -> [UInt8] {
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        return buffer
    }
}
