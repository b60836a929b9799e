import Foundation
import Logging
import Synchronization

/// The hub's log lines on standard error, in swift-log's stream format (`TIME LEVEL LABEL : KEY=VALUE [SOURCE] MESSAGE`).
///
/// Unlike `StreamLogHandler`, which formats its metadata every time a key is set, this one formats it only when a line
/// is written: the server sets a request id on every request's logger, and most requests write no line.
struct ServerLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?

    private static let output = Mutex(())

    init(label: String, level: Logger.Level) {
        self.label = label
        self.logLevel = level
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let explicit = event.metadata { merged.merge(explicit) { _, new in new } }
        let fields = merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        let time = Date.ISO8601FormatStyle(timeZone: .current).format(Date())
        let text = "\(time) \(event.level) \(label) :\(fields.isEmpty ? "" : " " + fields) [\(event.source)] \(event.message)\n"
        Self.output.withLock { _ in
            FileHandle.standardError.write(Data(text.utf8))
        }
    }
}
