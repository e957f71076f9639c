import Metrics
import Prometheus

/// The process's metrics: swift-metrics with the swift-prometheus registry as its backend
/// (bootstrapped once per process; every server in the process shares it).
enum ServerMetrics {
    /// The registry `/metrics` prints.
    static let registry = PrometheusCollectorRegistry()

    /// Bootstraps `MetricsSystem` with the registry the first time it is read.
    static let bootstrapped: Bool = {
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return true
    }()

    /// The Prometheus text exposition of every metric.
    static func exposition() -> String {
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }
}
