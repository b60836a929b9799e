import Foundation
import MaxhubJSON
import MaxhubTestSupport
import Testing

/// The catalog's models in real containers under podman, with the images `make images` builds, and the hub in its own
/// container. CI runs these every time; they skip, saying why, only on a machine without podman where `CI` is unset.
@Suite("maxhub run and verify --claims under podman, and the hub in its container", .onTestThreads, .serialized, .enabled(if: Podman.usable, Podman.skipReason))
struct ContainerRunTests {
    static let catalog = RunCommandTests.catalog

    /// The images the tests use, which `make images` builds.
    static func requireImages() throws {
        for image in ["localhost/maxhub/digits-classifier:1.0.0", "localhost/maxhub/wine-classifier:1.0.0"] {
            try #require(Podman.run("image", "exists", image).status == 0, "podman has no image \(image): run make images")
        }
    }

    /// The containers `maxhub run` made that are left, running or not.
    static func leftoverContainers() -> [String] {
        Podman.run("ps", "--all", "--filter", "name=^maxhub-", "--format", "{{.Names}}").output
            .split(separator: "\n").map(String.init)
    }

    @Test func digitsInTheForegroundAndItsClaimsAgainstTheRunningServer() async throws {
        try Self.requireImages()
        let harness = try CLIHarness()
        defer { harness.cleanUp() }
        let (hub, _) = try RunCommandTests.hubWithCatalog(harness)
        defer { hub.stop() }

        let run = try BackgroundCommand(harness, ["run", "digits-classifier", "--runtime", "podman", "--port", "0"], environment: [:])
        defer { run.kill() }
        let url = try run.waitForLine(timeout: 120)
        #expect(url.hasPrefix("http://127.0.0.1:"))
        let listed = try harness.run("ps").stdout
        #expect(listed.contains("digits-classifier@1.0.0  \(url)  podman  maxhub-digits-classifier-1.0.0  foreground"), "\(listed)")
        #expect(Podman.run("container", "inspect", "--format", "{{.Config.User}}", "maxhub-digits-classifier-1.0.0").output == "model\n")

        let source = "\(Self.catalog)/digits-classifier/eval/images/0003.png"
        let predicted = try Curl.run(["-F", "image=@\(source)", "\(url)/model/predict"])
        #expect(predicted.status == 200, "\(predicted.body)")
        #expect(try JSONValue(jsonString: predicted.body)["predictions"]?[0]?["label"] == .string("0"), "\(predicted.body)")
        let notAnImage = try Curl.run(["-F", "image=@\(Self.catalog)/digits-classifier/README.md", "\(url)/model/predict"])
        #expect(notAnImage.status == 400)

        // The claims are checked against the server that already runs: the same verified package.
        let verified = try harness.run("verify", "--claims", "digits-classifier")
        #expect(verified.status == 0, "\(verified.stdout)\(verified.stderr)")
        #expect(verified.stdout.hasPrefix("digits-classifier@1.0.0: 2 claims, checked against the server already running at \(url)\n"))
        #expect(verified.stdout.components(separatedBy: "holds").count == 3, "\(verified.stdout)")

        // SIGTERM: maxhub stops and removes the container, and exits 0.
        #expect(run.terminate() == 0, "\(run.stderr)")
        #expect(Self.leftoverContainers().isEmpty)
        #expect(try harness.run("ps").stdout.isEmpty)
        #expect(try Curl.run(["--max-time", "2", "\(url)/model/metadata"]).status == 0)

        // maxhub stop from another terminal: the foreground run says it was stopped, and exits 0.
        let second = try BackgroundCommand(harness, ["run", "digits-classifier", "--runtime", "podman", "--port", "0"], environment: [:])
        defer { second.kill() }
        _ = try second.waitForLine(timeout: 120)
        #expect(try harness.run("stop", "digits-classifier").stdout == "stopped digits-classifier@1.0.0\n")
        second.process.waitUntilExit()
        #expect(second.process.terminationStatus == 0, "\(second.stderr)")
        #expect(second.stderr.hasSuffix("stopped digits-classifier@1.0.0\n"), "\(second.stderr)")
        #expect(Self.leftoverContainers().isEmpty)
    }

    @Test func wineDetachedTheSameMeasurementsAsAProcessAndStop() async throws {
        try Self.requireImages()
        let harness = try CLIHarness()
        defer { harness.cleanUp() }
        let (hub, _) = try RunCommandTests.hubWithCatalog(harness)
        defer { hub.stop() }

        let started = try harness.run(["run", "wine-classifier", "--runtime", "podman", "--port", "0", "--detach"])
        #expect(started.status == 0, "\(started.stderr)")
        defer { _ = try? harness.run("stop", "wine-classifier") }
        let url = started.stdout.trimmingCharacters(in: .newlines)
        #expect(started.stderr.contains("runs in the background (podman); podman logs maxhub-wine-classifier-1.0.0"), "\(started.stderr)")
        #expect(try harness.run("ps").stdout.contains("wine-classifier@1.0.0  \(url)  podman  maxhub-wine-classifier-1.0.0  detached"))

        let rows = try String(contentsOfFile: "\(Self.catalog)/wine-classifier/eval/wine-test.csv", encoding: .utf8)
            .split(separator: "\n").dropFirst().prefix(2).map { $0.split(separator: ",").map(String.init) }
        let features = rows.flatMap { $0.dropLast() }.joined(separator: ",")
        let request = "{\"inputs\": [{\"name\": \"input\", \"shape\": [2, 13], \"datatype\": \"FP32\", \"data\": [\(features)]}]}"
        let inferred = try Curl.run(["-H", "Content-Type: application/json", "-d", request, "\(url)/v2/models/wine-classifier/infer"])
        #expect(inferred.status == 200, "\(inferred.body)")
        let wrongShape = "{\"inputs\": [{\"name\": \"input\", \"shape\": [1, 2], \"datatype\": \"FP32\", \"data\": [1, 2]}]}"
        #expect(try Curl.run(["-H", "Content-Type: application/json", "-d", wrongShape, "\(url)/v2/models/wine-classifier/infer"]).status == 400)

        // Under podman (the running container) and as a process (a second server beside it): the same measurements.
        let inContainer = try harness.run("verify", "--claims", "wine-classifier", "--runtime", "podman", "--json")
        #expect(inContainer.status == 0, "\(inContainer.stderr)")
        let asProcess = try harness.run(["verify", "--claims", "wine-classifier", "--runtime", "process", "--json"], environment: RunCommandTests.environment)
        #expect(asProcess.status == 0, "\(asProcess.stderr)")
        let measured = { (output: String) in try JSONValue(jsonString: output).arrayValue?.map { $0["measured"] } }
        #expect(try measured(inContainer.stdout) == measured(asProcess.stdout))
        #expect(try measured(inContainer.stdout)?.count == 2)
        #expect(try harness.run("ps").stdout.contains("maxhub-wine-classifier-1.0.0  detached"), "the second server is gone, the first runs")

        let stopped = try harness.run("stop", "wine-classifier")
        #expect(stopped.stdout == "stopped wine-classifier@1.0.0\n", "\(stopped.stderr)")
        #expect(Self.leftoverContainers().isEmpty)
        #expect(try harness.run("ps").stdout.isEmpty)
    }

    /// Every catalog package keeps its claims in its serving image, as it does as a process (which
    /// RunCommandTests checks): the image `make images` built from the package's Dockerfile, the package mounted.
    @Test func everyCatalogPackagesClaimsHoldUnderPodman() async throws {
        let packages = RunCommandTests.catalogPackages
        for package in packages {
            let image = "localhost/maxhub/\(package):1.0.0"
            try #require(Podman.run("image", "exists", image).status == 0, "podman has no image \(image): run make images")
        }
        let harness = try CLIHarness()
        defer { harness.cleanUp() }
        let (hub, _) = try RunCommandTests.hubWithCatalog(harness, packages: packages)
        defer { hub.stop() }
        for package in packages {
            let verified = try harness.run("verify", "--claims", package, "--runtime", "podman", "--json")
            #expect(verified.status == 0, "\(package): \(verified.stdout)\(verified.stderr)")
            let outcomes = try JSONValue(jsonString: verified.stdout).arrayValue ?? []
            #expect(!outcomes.isEmpty && outcomes.allSatisfy { $0["holds"] == .bool(true) }, "\(package): \(verified.stdout)")
        }
        #expect(Self.leftoverContainers().isEmpty)
    }

    @Test func aMissingImageAndAContainerThatExitsAtStart() async throws {
        let harness = try CLIHarness()
        defer { harness.cleanUp() }
        let (hub, reviewer) = try RunCommandTests.hubWithCatalog(harness)
        defer { hub.stop() }
        // One package names an image nobody built; the other uses the digits image with a server that fails to load.
        for (name, image) in [("imageless", "localhost/maxhub/nobody-built-this:1.0.0"), ("crashing", "localhost/maxhub/digits-classifier:1.0.0")] {
            let folder = harness.url(name).path
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            // Both lines on one stream, so that their order in the engine's log is certain.
            try "import sys\nsys.stderr.write('loading weights\\n')\nsys.exit('boom: model.onnx is not a model')\n".write(
                toFile: "\(folder)/serve.py", atomically: true, encoding: .utf8)
            try """
                name: \(name)
                version: 1.0.0
                task: other
                description: A server that cannot start.
                license: {code: MIT, weights: MIT, data: CC0-1.0}
                inputs: [{name: x, type: tensor}]
                outputs: [{name: y, type: tensor}]
                serving: {api: max, port: 5000, health: /model/metadata, image: "\(image)", command: [python3, serve.py]}
                """.write(toFile: "\(folder)/maxhub.yaml", atomically: true, encoding: .utf8)
            let published = try harness.run("publish", folder)
            try #require(published.status == 0, "\(published.stderr)")
            #expect(try harness.run("review", "approve", "\(name)@1.0.0", "--token", reviewer).status == 0)
        }

        // auto passes podman over in one line, and runs the process.
        let auto = try harness.run(["run", "imageless", "--dry-run"], environment: RunCommandTests.environment)
        #expect(auto.status == 0, "\(auto.stderr)")
        #expect(auto.stderr.hasSuffix("podman has no image localhost/maxhub/nobody-built-this:1.0.0\n"), "\(auto.stderr)")
        #expect(auto.stderr.hasPrefix("running as a sandboxed process: "))
        #expect(auto.stdout.contains("python3 serve.py"))

        // Asked for by name, the missing image is one line that names the command that builds it.
        let podman = try harness.run("run", "imageless", "--runtime", "podman", "--port", "0")
        #expect(podman.status == 1)
        let package = harness.url("cache/packages/imageless/1.0.0").path
        #expect(podman.stderr == """
            error: podman has no image localhost/maxhub/nobody-built-this:1.0.0; build it with make images (in a maxhub \
            checkout), or use --runtime process

            """, "\(package)")
        #expect(!podman.stderr.contains("125"))

        // A container that exits during start-up: its last lines, and nothing left behind.
        let crashing = try harness.run("run", "crashing", "--runtime", "podman", "--port", "0")
        #expect(crashing.status == 1)
        #expect(crashing.stderr.hasPrefix("error: crashing@1.0.0 did not start: the container stopped before it was ready (exit status 1); its last lines:\n"), "\(crashing.stderr)")
        #expect(crashing.stderr.contains("  | loading weights\n") && crashing.stderr.contains("  | boom: model.onnx is not a model"), "\(crashing.stderr)")
        #expect(Self.leftoverContainers().isEmpty)
        #expect(try harness.run("ps").stdout.isEmpty)
    }

    @Test func aServingImagePushedToTheHubIsPulledFromItByRun() async throws {
        try Self.requireImages()
        let harness = try CLIHarness()
        defer { harness.cleanUp() }
        let (hub, reviewer) = try RunCommandTests.hubWithCatalog(harness)
        defer { hub.stop() }
        let registry = String(hub.url.dropFirst("http://".count))
        let image = "\(registry)/digits-classifier/serving:1.0.0"
        defer { Podman.run("rmi", image) }

        // digits-classifier 1.1.0 is 1.0.0 with its serving image on the hub.
        let folder = harness.url("digits-on-the-hub").path
        try FileManager.default.copyItem(atPath: "\(Self.catalog)/digits-classifier", toPath: folder)
        let manifest = try String(contentsOfFile: "\(folder)/maxhub.yaml", encoding: .utf8)
        let moved = manifest.replacingOccurrences(of: "\nversion: 1.0.0\n", with: "\nversion: 1.1.0\n")
            .replacingOccurrences(of: "image: localhost/maxhub/digits-classifier:1.0.0", with: "image: \(image)")
        try #require(moved.contains("version: 1.1.0") && moved.contains(image))
        try moved.write(toFile: "\(folder)/maxhub.yaml", atomically: true, encoding: .utf8)
        let published = try harness.run("publish", folder)
        try #require(published.status == 0, "\(published.stderr)")
        try #require(try harness.run("review", "approve", "digits-classifier@1.1.0", "--token", reviewer).status == 0)

        // Before the push: auto passes podman over, and podman asked for by name cannot pull it.
        let before = try harness.run(["run", "digits-classifier@1.1.0", "--dry-run"], environment: RunCommandTests.environment)
        #expect(before.stderr.hasSuffix("neither podman nor the hub has the image \(image)\n"), "\(before.stderr)")
        let unpulled = try harness.run("run", "digits-classifier@1.1.0", "--runtime", "podman", "--port", "0")
        #expect(unpulled.status == 1)
        #expect(unpulled.stderr.contains("error: podman could not pull \(image) from the hub (exit status 125): "), "\(unpulled.stderr)")

        // A curator's podman login and push of the image under the hub's name; then that name is removed from podman.
        let curator = try harness.run("token", "create", "--user", "carl", "--role", "curator").stdout.trimmingCharacters(in: .newlines)
        let authfile = harness.url("podman-auth.json").path
        let login = Podman.run("login", "--authfile", authfile, "--tls-verify=false", "--username", "carl", "--password", curator, registry)
        #expect(login.status == 0 && login.output.contains("Login Succeeded"), "\(login.output)")
        #expect(Podman.run("tag", "localhost/maxhub/digits-classifier:1.0.0", image).status == 0)
        let pushed = Podman.run("push", "--quiet", "--authfile", authfile, "--tls-verify=false", image)
        try #require(pushed.status == 0, "\(pushed.output)")
        let tags = try Curl.run([hub.url + "/v2/digits-classifier/serving/tags/list"])
        #expect(tags.body == #"{"name":"digits-classifier/serving","tags":["1.0.0"]}"#, "\(tags.body)")
        #expect(Podman.run("rmi", image).status == 0)
        #expect(Podman.run("image", "exists", image).status == 1)

        // auto now takes podman, since the hub has the image; the run pulls it and the model answers.
        let after = try harness.run(["run", "digits-classifier@1.1.0", "--dry-run"], environment: RunCommandTests.environment)
        #expect(after.status == 0 && after.stderr.isEmpty, "\(after.stderr)")
        #expect(after.stdout.contains("podman run ") && after.stdout.contains(image), "\(after.stdout)")
        let started = try harness.run("run", "digits-classifier@1.1.0", "--runtime", "podman", "--port", "0", "--detach")
        try #require(started.status == 0, "\(started.stderr)")
        defer { _ = try? harness.run("stop", "digits-classifier") }
        #expect(started.stderr.contains("pulling \(image) from the hub (podman)\n"), "\(started.stderr)")
        #expect(Podman.run("image", "exists", image).status == 0)
        let url = started.stdout.trimmingCharacters(in: .newlines)
        let predicted = try Curl.run(["-F", "image=@\(Self.catalog)/digits-classifier/eval/images/0003.png", "\(url)/model/predict"])
        #expect(predicted.status == 200, "\(predicted.body)")
        #expect(try JSONValue(jsonString: predicted.body)["predictions"]?[0]?["label"] == .string("0"), "\(predicted.body)")
        #expect(try harness.run("stop", "digits-classifier").stdout == "stopped digits-classifier@1.1.0\n")
        #expect(Self.leftoverContainers().isEmpty)
    }

    @Test func theHubInItsContainerKeepsItsDataAcrossARestart() async throws {
        let image = "localhost/maxhub/hub:latest"
        try #require(Podman.run("image", "exists", image).status == 0, "podman has no image \(image): run make images")
        let harness = try CLIHarness()
        defer { harness.cleanUp() }
        let suffix = "\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let container = "hubtest-\(suffix)"
        let volume = "hubtest-data-\(suffix)"
        defer {
            Podman.run("rm", "--force", container)
            Podman.run("volume", "rm", "--force", volume)
        }
        let port = try #require(Podman.freePort())
        let start = {
            let started = Podman.run(
                "run", "--detach", "--name", container, "--volume", "\(volume):/var/lib/maxhub", "--publish", "127.0.0.1:\(port):8080", image)
            try #require(started.status == 0, "\(started.output)")
            try #require(Podman.waitForHealth("http://127.0.0.1:\(port)/healthz"), "\(Podman.run("logs", container).output)")
        }
        try start()
        let url = "http://127.0.0.1:\(port)"
        let uid = Podman.run("exec", container, "id", "-u").output.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(uid != "0" && !uid.isEmpty, "the hub runs as \(uid)")
        let admin = Podman.run("exec", container, "cat", "/var/lib/maxhub/admin.token").output.trimmingCharacters(in: .whitespacesAndNewlines)
        try #require(!admin.isEmpty)
        try harness.write("url: \"\(url)\"\ntoken: \"\(admin)\"\ncache: \"\(harness.url("cache").path)\"\n", to: "config/maxhub/config.yaml")
        chmod(harness.url("config/maxhub/config.yaml").path, 0o600)

        let reviewer = try harness.run("token", "create", "--user", "rita", "--role", "reviewer").stdout.trimmingCharacters(in: .newlines)
        let published = try harness.run("publish", "\(Self.catalog)/wine-classifier")
        try #require(published.status == 0, "\(published.stderr)")
        #expect(try harness.run("review", "approve", "wine-classifier@1.0.0", "--token", reviewer).status == 0)
        let pulled = try harness.run("pull", "wine-classifier")
        #expect(pulled.status == 0, "\(pulled.stderr)")

        // A new container on the same volume: the catalog, the blobs and the tokens are all still there.
        Podman.run("rm", "--force", container)
        try start()
        let info = try harness.run("info", "wine-classifier@1.0.0", "--json")
        #expect(info.status == 0 && info.stdout.contains("\"approved\""), "\(info.stdout)\(info.stderr)")
        let again = try harness.run("pull", "wine-classifier", "--cache", harness.url("second-cache").path)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(try harness.run("verify", "wine-classifier@1.0.0", "--cache", harness.url("second-cache").path).status == 0)
    }
}

/// The podman the tests drive, with the configuration the test harness gives it (`CONTAINERS_CONF`, from `make test`).
enum Podman {
    static let program = ["/usr/bin/podman", "/usr/local/bin/podman"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// Whether the container tests run: podman is installed, or CI is set (where its absence is a failure).
    static var usable: Bool { program != nil || ProcessInfo.processInfo.environment["CI"] != nil }

    static var skipReason: Comment {
        "podman is not installed (make test installs it; CI never skips these)"
    }

    struct Result {
        var status: Int32
        var output: String
    }

    /// Runs podman to its end and returns its exit status and its output (standard error included).
    @discardableResult
    static func run(_ arguments: String...) -> Result {
        guard let program else { return Result(status: 127, output: "podman is not installed") }
        // Through bash, which closes every descriptor above 2 first: podman's conmon would inherit the one Foundation
        // watches the child with, and waitUntilExit would then wait for the container to end.
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        let closing = #"for fd in /proc/$$/fd/*; do n=${fd##*/}; [ "$n" -gt 2 ] && eval "exec $n>&-"; done; exec "$0" "$@""#
        process.arguments = ["-c", closing, program] + arguments
        let outputPath = NSTemporaryDirectory() + "podman-\(UUID().uuidString).out"
        FileManager.default.createFile(atPath: outputPath, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: outputPath) }
        guard let output = FileHandle(forWritingAtPath: outputPath) else { return Result(status: 127, output: "") }
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch { return Result(status: 127, output: "\(error)") }
        process.waitUntilExit()
        try? output.close()
        return Result(status: process.terminationStatus, output: (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "")
    }

    /// A port on 127.0.0.1 that nothing listens on now.
    static func freePort() -> Int? {
        let socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { return nil }
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) == 0 && getsockname(socket, $0, &length) == 0 }
        }
        return bound ? Int(UInt16(bigEndian: address.sin_port)) : nil
    }

    /// Polls `url` until it answers 200, for up to a minute.
    static func waitForHealth(_ url: String) -> Bool {
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            if (try? Curl.run(["--max-time", "2", url]))?.status == 200 { return true }
            Thread.sleep(forTimeInterval: 0.2)
        }
        return false
    }
}
