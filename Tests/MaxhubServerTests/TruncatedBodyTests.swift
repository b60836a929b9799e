import Foundation
import MaxhubCore
import MaxhubTestSupport
import Testing

/// A request whose body ends before its `Content-Length` is the client's fault: a 400 problem, and the hub serves on.
@Suite("Bodies that end early on a live hub", .onTestThreads)
struct TruncatedBodyTests {
    /// Sends `head` and the first `sent` bytes of a body that claims `length`, half-closes, and reads the whole answer.
    static func send(port: Int, _ head: String, length: Int, sent: Int) throws -> String {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw HubTestError(message: "socket: \(errno)") }
        defer { close(socket) }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
        guard connected else { throw HubTestError(message: "connect: \(errno)") }
        let bytes = Array((head + "Content-Length: \(length)\r\nConnection: close\r\n\r\n").utf8) + [UInt8](repeating: UInt8(ascii: "{"), count: sent)
        var done = 0
        while done < bytes.count {
            let count = bytes[done...].withUnsafeBytes { write(socket, $0.baseAddress, $0.count) }
            guard count > 0 else { break }
            done += count
        }
        shutdown(socket, Int32(SHUT_WR))
        var answer: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = read(socket, &buffer, buffer.count)
            if count <= 0 { break }
            answer += buffer[..<count]
        }
        return String(decoding: answer, as: UTF8.self)
    }

    @Test("a body cut short on each route with a body answers 400 problem details")
    func cutShort() async throws {
        let hub = try await TestHub.make()
        try await hub.run { client in
            guard let port = client.client.port else { throw HubTestError(message: "no port") }
            let curator = "Authorization: Bearer \(client.tokens[.curator] ?? "")\r\n"
            let admin = "Authorization: Bearer \(client.tokens[.admin] ?? "")\r\n"
            let json = "Content-Type: application/json\r\n"
            let started = try await client.request(.post, "/api/v1/blobs/uploads", as: .curator)
            let session = try #require(started.headers[.location])
            let routes = [
                "POST /api/v1/blobs/uploads?digest=\(Digest.of([1])) HTTP/1.1\r\nHost: hub\r\n\(curator)",
                "PATCH \(session) HTTP/1.1\r\nHost: hub\r\n\(curator)Content-Range: 0-99999\r\n",
                "PUT /api/v1/models/digits/versions/1.0.0 HTTP/1.1\r\nHost: hub\r\n\(curator)\(json)",
                "POST /api/v1/models/digits/versions/1.0.0/review HTTP/1.1\r\nHost: hub\r\n\(admin)\(json)",
                "POST /api/v1/tokens HTTP/1.1\r\nHost: hub\r\n\(admin)\(json)",
            ]
            for route in routes {
                let answer = try await onThread { try Self.send(port: port, route, length: 100_000, sent: 1_000) }
                let statusLine = answer.split(separator: "\r\n").first.map(String.init) ?? ""
                #expect(statusLine == "HTTP/1.1 400 Bad Request", "\(route.prefix(40)): \(answer.prefix(300))")
                #expect(answer.contains("application/problem+json"), "\(route.prefix(40))")
            }
            #expect(try await client.request(.get, "/healthz").status == .ok)
        }
    }
}
