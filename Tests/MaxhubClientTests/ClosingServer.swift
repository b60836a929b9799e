import Foundation
import MaxhubTestSupport

/// A peer that drops transfers: it reads each connection up to `limit` bytes (or, with a `reply`, to the end of the
/// request's head), writes `reply` if it has one, and closes the connection.
final class ClosingServer: @unchecked Sendable {
    let port: Int
    private let listener: Int32
    private let limit: Int
    private let reply: [UInt8]?
    private let lock = NSLock()
    private var stopped = false
    private var accepted = 0

    /// How many connections it took.
    var connections: Int { lock.withLock { accepted } }

    init(closingAfter limit: Int, reply: [UInt8]? = nil) throws {
        self.limit = limit
        self.reply = reply
        (listener, port) = try listenOnLoopback()
        let thread = Thread { [self] in serve() }
        thread.name = "closing-server"
        thread.start()
    }

    var url: String { "http://127.0.0.1:\(port)" }

    func stop() {
        lock.withLock { stopped = true }
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    private func serve() {
        var buffer = [UInt8](repeating: 0, count: 64 << 10)
        while !lock.withLock({ stopped }) {
            let connection = accept(listener, nil, nil)
            guard connection >= 0 else { return }
            lock.withLock { accepted += 1 }
            var received: [UInt8] = []
            while received.count < limit {
                let count = read(connection, &buffer, min(buffer.count, limit - received.count))
                // A signal (another test's child exiting) interrupts a call that moved nothing yet: it is tried again.
                if count < 0 && errno == EINTR { continue }
                if count <= 0 { break }
                received += buffer[..<count]
                if reply != nil, received.suffix(4) == Array("\r\n\r\n".utf8) { break }
            }
            if let reply {
                // A socket takes a large write in parts: all of the reply goes out before the close.
                var sent = 0
                while sent < reply.count {
                    let count = reply.withUnsafeBytes { write(connection, $0.baseAddress! + sent, $0.count - sent) }
                    if count < 0 && errno == EINTR { continue }
                    if count <= 0 { break }
                    sent += count
                }
            }
            close(connection)
        }
    }
}
