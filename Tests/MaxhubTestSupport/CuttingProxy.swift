import Foundation

/// A TCP relay in front of a server (a hub, an object store) that cuts one connection: the first whose request bytes
/// pass `limit` is closed both ways at that point, as a network that drops mid-upload would. Every other byte is passed
/// on as it is.
public final class CuttingProxy: @unchecked Sendable {
    public let port: Int
    private let target: Int
    private let limit: Int
    private let listener: Int32
    private let lock = NSLock()
    private var cut = false
    private var stopped = false

    /// Whether a connection was cut.
    public var didCut: Bool { lock.withLock { cut } }

    public init(to target: Int, cuttingAfter limit: Int) throws {
        self.target = target
        self.limit = limit
        (listener, port) = try listenOnLoopback()
        let thread = Thread { [self] in acceptLoop() }
        thread.name = "cutting-proxy"
        thread.start()
    }

    public var url: String { "http://127.0.0.1:\(port)" }

    public func stop() {
        lock.withLock { stopped = true }
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    private static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return address
    }

    private func acceptLoop() {
        while !lock.withLock({ stopped }) {
            let client = accept(listener, nil, nil)
            guard client >= 0 else { return }
            let upstream = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = Self.loopback(port: target)
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(upstream, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
            }
            guard connected else {
                close(client)
                close(upstream)
                continue
            }
            let down = Thread { [self] in pump(from: upstream, to: client, counting: false) }
            down.start()
            let up = Thread { [self] in pump(from: client, to: upstream, counting: true) }
            up.start()
        }
    }

    /// Copies bytes one way until either side closes; the request side counts and may cut.
    private func pump(from source: Int32, to destination: Int32, counting: Bool) {
        var buffer = [UInt8](repeating: 0, count: 64 << 10)
        var passed = 0
        var mayCut = counting && !lock.withLock({ cut })
        while true {
            var count = read(source, &buffer, buffer.count)
            if count <= 0 { break }
            if mayCut, passed + count > limit {
                let claimed = lock.withLock { () -> Bool in
                    if cut { return false }
                    cut = true
                    return true
                }
                if claimed {
                    count = limit - passed
                    _ = buffer.withUnsafeBytes { write(destination, $0.baseAddress, count) }
                    break
                }
                mayCut = false
            }
            passed += count
            var sent = 0
            while sent < count {
                let written = buffer.withUnsafeBytes { write(destination, $0.baseAddress! + sent, count - sent) }
                if written <= 0 { break }
                sent += written
            }
            if sent < count { break }
        }
        shutdown(source, Int32(SHUT_RDWR))
        shutdown(destination, Int32(SHUT_RDWR))
        // Both pumps of a connection shut both sockets down; the request side closes them once the other has stopped.
        if counting {
            usleep(50_000)
            close(source)
            close(destination)
        }
    }
}

/// A TCP socket listening on 127.0.0.1 at a free port: the socket and the port.
public func listenOnLoopback() throws -> (socket: Int32, port: Int) {
    let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard listener >= 0 else { throw SocketFailure(description: "socket: \(errno)") }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            bind(listener, $0, length) == 0 && listen(listener, 16) == 0 && getsockname(listener, $0, &length) == 0
        }
    }
    guard bound else {
        close(listener)
        throw SocketFailure(description: "bind: \(errno)")
    }
    return (listener, Int(UInt16(bigEndian: address.sin_port)))
}

/// A socket call that failed, with its errno.
public struct SocketFailure: Error, CustomStringConvertible {
    public var description: String
}
