import Foundation
import MaxhubCore

/// Sizes, times, text and frameworks as pages show them.
enum WebFormat {
    static func size(_ bytes: Int64) -> String {
        let units = ["KiB", "MiB", "GiB", "TiB"]
        guard bytes >= 1024 else { return "\(bytes) B" }
        var value = Double(bytes) / 1024
        var unit = 0
        while value >= 1024 && unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return String(format: "%.1f %@", value, units[unit])
    }

    static func date(_ date: Date) -> String {
        dayFormatter.string(from: date)
    }

    static func iso(_ date: Date) -> String {
        ISO8601DateFormatter().string(from: date)
    }

    /// Text cut to `limit` characters, with an ellipsis when cut.
    static func clipped(_ text: String, _ limit: Int) -> String {
        text.count <= limit ? text : String(text.prefix(limit - 1)) + "…"
    }

    /// A manifest's framework with the range of its versions that work, as in `onnxruntime >=1.16 <2`.
    static func framework(_ manifest: Manifest?) -> String? {
        guard let framework = manifest?.framework else { return nil }
        return framework.version.map { "\(framework.name) \($0.text)" } ?? framework.name
    }

    private static var dayFormatter: DateFormatter {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm 'UTC'"
        return formatter
    }
}
