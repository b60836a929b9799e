import Foundation
import MaxhubClient
import MaxhubCore
import MaxhubTestSupport
import Testing

/// `ModelLauncher`, `RunningModel` and `RunRegistry` with the process runtime and a tiny real server, pulled from a live
/// hub like any package.
@Suite("ModelLauncher with real servers", .onTestThreads, .serialized)
struct ModelLauncherTests {
    /// Answers 200 to every GET on $HOST:$PORT.
    static let tinyServer = """
        import http.server, os

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                body = b'{"id": "tiny"}'
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format, *args):
                print("request", self.path, flush=True)

        print("listening", flush=True)
        http.server.HTTPServer((os.environ["HOST"], int(os.environ["PORT"])), Handler).serve_forever()
        """

    static func package(_ name: String, serve: String) throws -> TestPackage {
        try TestPackage.make(name: name, files: ["model.onnx": "weights", "serve.py": serve])
    }

    static func launcher(_ hub: LiveHub, cache: PackageCache) -> ModelLauncher {
        ModelLauncher(puller: PackagePuller(client: hub.client(), cache: cache))
    }

    /// Whether something accepts connections at `url`'s port on 127.0.0.1 (a port merely bound by another socket
    /// does not count).
    static func answers(_ url: String) -> Bool {
        guard let port = UInt16(url.split(separator: ":").last ?? "") else { return false }
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { return false }
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(port.bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }

    @Test("a server that answers is launched, recorded, and stopped with its record removed")
    func launchesAndStops() async throws {
        try await LiveHub.withCache { hub, scratch, cache in
            try await hub.publishApproved(try Self.package("tiny", serve: Self.tinyServer), in: scratch)
            let launcher = Self.launcher(hub, cache: cache)
            let running = try await launcher.launch(
                try PackageReference(parsing: "tiny@1"), .init(runtime: .process, port: 0), timeout: .seconds(30))
            let registry = RunRegistry(cache: cache)
            #expect(await registry.running().map(\.id) == ["maxhub-tiny-1.0.0"])
            #expect(await registry.running().first?.url == running.url)
            #expect(Self.answers(running.url))
            let again = await #expect(throws: LaunchError.self) {
                try await launcher.launch(try PackageReference(parsing: "tiny"), .init(runtime: .process, port: 0), timeout: .seconds(30))
            }
            #expect(again?.description.contains("already runs at \(running.url)") == true, "\(String(describing: again))")
            await running.stop()
            #expect(await registry.running().isEmpty)
            #expect(!running.server.isRunning)
            #expect(!Self.answers(running.url))
        }
    }

    @Test("a detached server is found and stopped through the registry alone, as `maxhub stop` does")
    func stopsADetachedServer() async throws {
        try await LiveHub.withCache { hub, scratch, cache in
            try await hub.publishApproved(try Self.package("tiny", serve: Self.tinyServer), in: scratch)
            let running = try await Self.launcher(hub, cache: cache).launch(
                try PackageReference(parsing: "tiny"), .init(runtime: .process, port: 0, detached: true), timeout: .seconds(30))
            let registry = RunRegistry(cache: cache)
            #expect(await registry.running().first?.detached == true)
            #expect(await registry.stop(try ModelName(parsing: "other")).isEmpty)
            let stopped = await registry.stop(try ModelName(parsing: "tiny"), version: try Version(parsing: "1.0.0"))
            #expect(stopped.map(\.url) == [running.url])
            #expect(await registry.running().isEmpty)
            #expect(!ModelServer.processExists(running.server.pid))
        }
    }

    @Test("a server that never answers is stopped after the timeout, and nothing is left recorded or running")
    func neverReady() async throws {
        try await LiveHub.withCache { hub, scratch, cache in
            try await hub.publishApproved(try Self.package("silent", serve: "import time\ntime.sleep(60)\n"), in: scratch)
            let launcher = Self.launcher(hub, cache: cache)
            let model = try await launcher.prepare(try PackageReference(parsing: "silent"), .init(runtime: .process, port: 0))
            let started = ContinuousClock.now
            let error = await #expect(throws: LaunchError.self) { try await launcher.start(model, timeout: .seconds(2)) }
            #expect(ContinuousClock.now - started < .seconds(15))
            #expect(error?.description.contains("silent@1.0.0 did not start: the server did not answer \(model.plan.healthURL) within 2 s") == true,
                "\(String(describing: error))")
            #expect(error?.description.hasSuffix("(the server printed nothing)") == true)
            #expect(await RunRegistry(cache: cache).running().isEmpty)
            #expect(!Self.answers(model.plan.url))
        }
    }

    @Test("a server that exits at start is reported with its exit status and its last lines")
    func exitsAtStart() async throws {
        try await LiveHub.withCache { hub, scratch, cache in
            let crash = "import sys\nprint('loading weights', flush=True)\nprint('boom', file=sys.stderr)\nsys.exit(3)\n"
            try await hub.publishApproved(try Self.package("crashy", serve: crash), in: scratch)
            let error = await #expect(throws: LaunchError.self) {
                try await Self.launcher(hub, cache: cache).launch(
                    try PackageReference(parsing: "crashy"), .init(runtime: .process, port: 0), timeout: .seconds(30))
            }
            let text = error?.description ?? ""
            #expect(text.contains("crashy@1.0.0 did not start: the server stopped before it was ready (exit status 3)"), "\(text)")
            #expect(text.contains("  | loading weights\n  | boom"), "\(text)")
            #expect(await RunRegistry(cache: cache).running().isEmpty)
        }
    }

    @Test("a port something listens on is refused before anything starts; a port that is no port is a usage error")
    func ports() async throws {
        try await LiveHub.withCache { hub, scratch, cache in
            try await hub.publishApproved(try Self.package("tiny", serve: Self.tinyServer), in: scratch)
            let launcher = Self.launcher(hub, cache: cache)
            guard let hubPort = Int(hub.url.split(separator: ":").last ?? "") else { throw TestFailure("no port in \(hub.url)") }
            let busy = await #expect(throws: LaunchError.self) {
                try await launcher.prepare(try PackageReference(parsing: "tiny"), .init(runtime: .process, port: hubPort))
            }
            #expect(busy?.description == "port \(hubPort) on 127.0.0.1 is already in use; pass --port N (or --port 0 for any free port)")
            #expect(busy?.isUsage == false)
            let invalid = await #expect(throws: LaunchError.self) {
                try await launcher.prepare(try PackageReference(parsing: "tiny"), .init(runtime: .process, port: 70_000))
            }
            #expect(invalid?.isUsage == true)
            #expect(!FileManager.default.fileExists(atPath: cache.root + "/runs/maxhub-tiny-1.0.0.json"))
            // Planned but not checked: what `maxhub run --dry-run` prints.
            let planned = try await launcher.prepare(try PackageReference(parsing: "tiny"), .init(runtime: .process, port: hubPort, checkPort: false))
            #expect(planned.plan.hostPort == hubPort)
            #expect(planned.plan.arguments.suffix(2) == ["python3", "serve.py"])
        }
    }

    @Test("a server in the bwrap sandbox outlives the thread that started it (--die-with-parent follows a thread)")
    func outlivesTheStartingThread() async throws {
        let bubblewrap = try #require(ProgramSearchPath().find("bwrap"), "the process runtime's sandbox, bwrap, is installed by make deps")
        let scratch = try TestFolder()
        defer { scratch.remove() }
        try scratch.write("pkg/serve.py", "import time\ntime.sleep(60)\n")
        let manifest = try LaunchPlanTests.manifest()
        guard let port = LocalPort.pickFree() else { throw TestFailure("no free port") }
        let plan = try LaunchPlan.make(
            manifest: manifest, packagePath: scratch.path("pkg"), runtime: .process, hostPort: port, bubblewrap: bubblewrap)
        #expect(plan.arguments.contains("--die-with-parent"))
        let server = ModelServer(plan: plan, logPath: scratch.path("server.log"))
        // `onThread` starts the server from a thread that ends as soon as it has.
        try await server.start(detached: false)
        // The starting thread has ended; give a parent-death signal time to arrive.
        try await Task.sleep(for: .milliseconds(1500))
        #expect(server.pid > 0 && server.isRunning, "the server ended: \(server.endedHow)")
        await server.stop(grace: .seconds(5))
        #expect(!server.isRunning)
    }
}
