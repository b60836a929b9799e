import Foundation
import Synchronization

/// A one-line progress bar on standard error (bytes, rate, ETA), drawn only when standard error is a terminal and at
/// most ten times a second.
final class TransferProgress: Sendable {
    private struct State {
        var lastDraw: ContinuousClock.Instant?
        var drew = false
    }

    let label: String
    let enabled: Bool
    private let knownTotal: Int64
    private let start = ContinuousClock.now
    private let state = Mutex(State())

    init(label: String, total: Int64) {
        self.label = label
        knownTotal = total
        enabled = isatty(STDERR_FILENO) == 1
    }

    func update(_ done: Int64) {
        update(done, total: knownTotal)
    }

    func update(_ done: Int64, total: Int64) {
        guard enabled else { return }
        let now = ContinuousClock.now
        let draw = state.withLock { state -> Bool in
            if let last = state.lastDraw, now - last < .milliseconds(100), done < total { return false }
            state.lastDraw = now
            state.drew = true
            return true
        }
        guard draw else { return }
        let elapsed = max(Self.seconds(now - start), 0.001)
        let rate = Double(done) / elapsed
        let eta = rate > 0 ? Double(total - done) / rate : 0
        let percent = total > 0 ? Int(Double(done) * 100 / Double(total)) : 100
        let width = 24
        let filled = total > 0 ? Int(Double(width) * Double(done) / Double(total)) : width
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: max(0, width - filled))
        let line = "\r\(label) [\(bar)] \(percent)% \(ByteCount.format(done))/\(ByteCount.format(total)) "
            + "\(ByteCount.format(Int64(rate)))/s ETA \(Int(eta.rounded()))s\u{1B}[K"
        FileHandle.standardError.write(Data(line.utf8))
    }

    /// Ends the line, if one was drawn.
    func finish() {
        guard enabled, state.withLock({ $0.drew }) else { return }
        FileHandle.standardError.write(Data("\n".utf8))
    }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
