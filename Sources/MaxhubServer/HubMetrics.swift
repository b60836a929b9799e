import CoreMetrics
import Prometheus
import Synchronization

/// The hub's Prometheus metrics. Each hub has its own registry, so several hubs (in tests) never share counters.
public final class HubMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    let factory: PrometheusMetricsFactory
    let bytesIn: CoreMetrics.Counter
    let bytesOut: CoreMetrics.Counter
    let publishes: CoreMetrics.Counter
    let uploadedBlobs: CoreMetrics.Counter
    /// Publishes whose archive was checked as it was uploaded, and those whose stored archive was read again.
    let archivesCheckedOnArrival: CoreMetrics.Counter
    let archivesCheckedAfterUpload: CoreMetrics.Counter
    /// The request counters and timers made so far, by route, method and status: making one asks the registry, which
    /// costs more than the request it counts. Bounded, since a method is whatever a client sends.
    private let requestMetrics = Mutex<[RequestKey: (counter: CoreMetrics.Counter, timer: CoreMetrics.Timer)]>([:])
    private static let keptRequestMetrics = 512

    private struct RequestKey: Hashable {
        var route: String
        var method: String
        var status: Int
    }

    public init() {
        registry = PrometheusCollectorRegistry()
        factory = PrometheusMetricsFactory(registry: registry)
        bytesIn = CoreMetrics.Counter(label: "maxhub_http_request_body_bytes_total", factory: factory)
        bytesOut = CoreMetrics.Counter(label: "maxhub_http_response_body_bytes_total", factory: factory)
        publishes = CoreMetrics.Counter(label: "maxhub_publishes_total", factory: factory)
        uploadedBlobs = CoreMetrics.Counter(label: "maxhub_blob_uploads_total", factory: factory)
        archivesCheckedOnArrival = CoreMetrics.Counter(
            label: "maxhub_publish_archive_checks_total", dimensions: [("when", "on-arrival")], factory: factory)
        archivesCheckedAfterUpload = CoreMetrics.Counter(
            label: "maxhub_publish_archive_checks_total", dimensions: [("when", "after-upload")], factory: factory)
    }

    func recordRequest(route: String, method: String, status: Int, seconds: Double) {
        let key = RequestKey(route: route, method: method, status: status)
        let metrics = requestMetrics.withLock { $0[key] } ?? {
            let dimensions = [("route", route), ("method", method), ("status", String(status))]
            let made = (
                counter: CoreMetrics.Counter(label: "maxhub_http_requests_total", dimensions: dimensions, factory: factory),
                timer: CoreMetrics.Timer(
                    label: "maxhub_http_request_duration_seconds", dimensions: [("route", route), ("method", method)], factory: factory)
            )
            requestMetrics.withLock { kept in
                if kept.count < Self.keptRequestMetrics { kept[key] = made }
            }
            return made
        }()
        metrics.counter.increment()
        metrics.timer.recordSeconds(seconds)
    }

    /// The metrics in Prometheus' text exposition format.
    public func exposition() -> [UInt8] {
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        return buffer
    }
}
