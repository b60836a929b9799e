import Foundation

/// A file that another thread is still writing, so that a reader can follow it: the writer publishes how far the file
/// has grown after each write, then whether it is complete or abandoned; the reader waits for bytes it has not seen.
///
/// `maxhub pull` extracts an archive while it downloads: the download appends to the `.partial` file and reports here,
/// the extractor reads the same file behind it.
public final class GrowingFile: @unchecked Sendable {
    public enum Availability: Equatable, Sendable {
        /// The file holds this many bytes, more than the reader's offset.
        case available(Int64)
        /// The file is complete and the reader is at its end.
        case end
        /// The writer gave up; the reason says why.
        case abandoned(String)
    }

    private let condition = NSCondition()
    private var length: Int64 = 0
    private var complete = false
    private var abandonReason: String?

    public init() {}

    /// The writer: the file now holds `length` bytes (written before this call).
    public func grew(to length: Int64) {
        condition.lock()
        self.length = max(self.length, length)
        condition.broadcast()
        condition.unlock()
    }

    /// The writer: nothing more will be written.
    public func finish() {
        condition.lock()
        complete = true
        condition.broadcast()
        condition.unlock()
    }

    /// The writer: the file will not be completed.
    public func abandon(_ reason: String) {
        condition.lock()
        if abandonReason == nil { abandonReason = reason }
        condition.broadcast()
        condition.unlock()
    }

    /// The reader: blocks until the file holds more than `offset` bytes, is complete, or is abandoned.
    public func waitForBytes(beyond offset: Int64) -> Availability {
        condition.lock()
        defer { condition.unlock() }
        while true {
            if let abandonReason { return .abandoned(abandonReason) }
            if length > offset { return .available(length) }
            if complete { return .end }
            condition.wait()
        }
    }
}
