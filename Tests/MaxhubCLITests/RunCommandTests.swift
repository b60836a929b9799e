import Foundation
import MaxhubCore
import MaxhubJSON
import MaxhubTestSupport
import Testing

/// The catalog's real models, from a hub to a running standard endpoint: `maxhub run`, `ps`, `stop` and
/// `verify --claims`, with the servers the packages ship (Python, onnxruntime from the catalog's virtual environment).
@Suite("maxhub run, ps, stop and verify --claims with the catalog's models", .onTestThreads, .serialized)
struct RunCommandTests {
    static let catalog = CLIHarness.root.appendingPathComponent("catalog").path

    /// The catalog's Python (`make catalog` builds it); the process runtime finds `python3` on PATH.
    static var catalogBin: String {
        if let configured = ProcessInfo.processInfo.environment["MAXHUB_CATALOG_BIN"], !configured.isEmpty { return configured }
        return CLIHarness.root.appendingPathComponent(".venv-catalog/bin").path
    }

    static var environment: [String: String] {
        ["PATH": "\(catalogBin):\(ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")"]
    }

    /// Every package of the catalog: each folder of catalog/ with a maxhub.yaml (`make catalog` writes them).
    static var catalogPackages: [String] {
        let folders = (try? FileManager.default.contentsOfDirectory(atPath: catalog)) ?? []
        return folders.filter { FileManager.default.fileExists(atPath: "\(catalog)/\($0)/maxhub.yaml") }.sorted()
    }

    /// A hub with catalog packages (both classifiers unless said) published (admin) and approved (a reviewer); the
    /// harness's config file points at it, so commands need no flags.
    static func hubWithCatalog(
        _ harness: CLIHarness, packages: [String] = ["digits-classifier", "wine-classifier"]
    ) throws -> (RunningHub, reviewer: String) {
        for package in packages {
            let built = FileManager.default.fileExists(atPath: "\(catalog)/\(package)/maxhub.yaml")
            try #require(built, "\(package) is not built: run make catalog")
        }
        try #require(FileManager.default.isExecutableFile(atPath: "\(catalogBin)/python3"), "no \(catalogBin)/python3: run make catalog")
        let hub = try RunningHub(dataFolder: harness.url("hub").path)
        let admin = try #require(hub.printedAdminToken)
        try harness.write("url: \"\(hub.url)\"\ntoken: \"\(admin)\"\ncache: \"\(harness.url("cache").path)\"\n", to: "config/maxhub/config.yaml")
        chmod(harness.url("config/maxhub/config.yaml").path, 0o600)
        let reviewer = try harness.run("token", "create", "--user", "rita", "--role", "reviewer").stdout.trimmingCharacters(in: .newlines)
        for package in packages {
            let published = try harness.run("publish", "\(catalog)/\(package)")
            try #require(published.status == 0, "\(published.stderr)")
            let approved = try harness.run("review", "approve", "\(package)@1.0.0", "--token", reviewer)
            try #require(approved.status == 0, "\(approved.stderr)")
        }
        return (hub, reviewer)
    }

    /// Every catalog package, whatever its input (image, table, audio, text), keeps its claims through the process
    /// runtime: the package is pulled and verified, its server started, the evaluation set sent through the API.
    @Test func everyCatalogPackagesClaimsHoldThroughTheProcessRuntime() async throws {
        let packages = Self.catalogPackages
        #expect(packages.count >= 3, "\(packages)")
        let harness = try CLIHarness()
        defer { harness.cleanUp() }
        let (hub, _) = try Self.hubWithCatalog(harness, packages: packages)
        defer { hub.stop() }
        for package in packages {
            let verified = try harness.run(["verify", "--claims", package, "--runtime", "process", "--json"], environment: Self.environment)
            #expect(verified.status == 0, "\(package): \(verified.stdout)\(verified.stderr)")
            let outcomes = try JSONValue(jsonString: verified.stdout)
            guard case .array(let list) = outcomes else {
                Issue.record("\(package): \(verified.stdout)")
                continue
            }
            #expect(!list.isEmpty, "\(package) makes no claims")
            for outcome in list {
                #expect(outcome["holds"] == .bool(true), "\(package): \(outcome)")
                #expect(outcome["measured"]?.doubleValue != nil, "\(package): \(outcome)")
            }
        }
        #expect(try harness.run("ps").stdout.isEmpty)
    }

    @Test func digitsOverMAXsAPIInTheForeground() async throws {
        let harness = try CLIHarness()
        defer { harness.cleanUp() }
        let (hub, _) = try Self.hubWithCatalog(harness)
        defer { hub.stop() }

        let run = try BackgroundCommand(harness, ["run", "digits-classifier", "--runtime", "process", "--port", "0"], environment: Self.environment)
        defer { run.kill() }
        let url = try run.waitForLine(timeout: 120)
        #expect(url.hasPrefix("http://127.0.0.1:"))
        #expect(try harness.run("ps").stdout.contains("digits-classifier@1.0.0  \(url)  process"))

        // A real digit, enlarged and in color: the server decodes, converts and resizes it as its manifest says.
        let source = "\(Self.catalog)/digits-classifier/eval/images/0003.png"
        let enlarged = harness.url("zero.png").path
        let converted = try Command.run("\(Self.catalogBin)/python3", [
            "-c", "import sys; from PIL import Image; Image.open(sys.argv[1]).convert('RGB').resize((64, 64)).save(sys.argv[2])",
            source, enlarged,
        ])
        #expect(converted == 0)
        let predicted = try Curl.run(["-F", "image=@\(enlarged)", "\(url)/model/predict"])
        #expect(predicted.status == 200)
        let answer = try JSONValue(jsonString: predicted.body)
        #expect(answer["status"] == .string("ok"))
        let best = answer["predictions"]?[0]
        #expect(best?["label"] == .string("0"), "\(predicted.body)")
        let metadata = try Curl.run(["\(url)/model/metadata"])
        #expect(metadata.status == 200 && metadata.body.contains("digits-classifier"))
        #expect(try Curl.run(["\(url)/swagger.json"]).status == 200)

        // Bad input is a 400 with a message, and the server keeps serving.
        let notAnImage = try Curl.run(["-F", "image=@\(Self.catalog)/digits-classifier/README.md", "\(url)/model/predict"])
        #expect(notAnImage.status == 400)
        #expect(notAnImage.body.contains("\"status\": \"error\""))
        #expect(try Curl.run(["-X", "POST", "-H", "Content-Type: application/json", "-d", "{}", "\(url)/model/predict"]).status == 400)
        #expect(try Curl.run(["\(url)/model/metadata"]).status == 200)

        // SIGTERM stops the server and then maxhub, which exits 0 and forgets the run.
        let port = try #require(Int(url.split(separator: ":").last ?? ""))
        #expect(run.terminate() == 0)
        #expect(try Curl.run(["--max-time", "2", "\(url)/model/metadata"]).status == 0, "nothing answers on \(port) any more")
        #expect(try harness.run("ps").stdout.isEmpty)
    }

    @Test func wineOverOpenInferenceV2Detached() async throws {
        let harness = try CLIHarness()
        defer { harness.cleanUp() }
        let (hub, _) = try Self.hubWithCatalog(harness)
        defer { hub.stop() }

        let started = try harness.run(["run", "wine-classifier", "--runtime", "process", "--port", "0", "--detach"], environment: Self.environment)
        #expect(started.status == 0, "\(started.stderr)")
        let url = started.stdout.trimmingCharacters(in: .newlines)
        defer { _ = try? harness.run("stop", "wine-classifier") }
        #expect(try Curl.run(["\(url)/v2/health/ready"]).status == 200)
        let metadata = try Curl.run(["\(url)/v2/models/wine-classifier"])
        #expect(metadata.status == 200 && metadata.body.contains("\"FP32\""))

        // The first two rows of the evaluation set, with their labels.
        let rows = try String(contentsOfFile: "\(Self.catalog)/wine-classifier/eval/wine-test.csv", encoding: .utf8)
            .split(separator: "\n").dropFirst().prefix(2).map { $0.split(separator: ",").map(String.init) }
        let features = rows.flatMap { $0.dropLast() }.joined(separator: ",")
        let request = "{\"inputs\": [{\"name\": \"input\", \"shape\": [2, 13], \"datatype\": \"FP32\", \"data\": [\(features)]}]}"
        let inferred = try Curl.run(["-H", "Content-Type: application/json", "-d", request, "\(url)/v2/models/wine-classifier/infer"])
        #expect(inferred.status == 200, "\(inferred.body)")
        let outputs = try JSONValue(jsonString: inferred.body)["outputs"]
        let labels = outputs?[0]?["name"] == .string("label") ? outputs?[0]?["data"] : outputs?[1]?["data"]
        #expect(labels == .array(rows.map { .number(.integer(Int64($0.last!)!)) }), "\(inferred.body)")

        let wrongShape = "{\"inputs\": [{\"name\": \"input\", \"shape\": [1, 12], \"datatype\": \"FP32\", \"data\": [1,2,3,4,5,6,7,8,9,10,11,12]}]}"
        let refused = try Curl.run(["-H", "Content-Type: application/json", "-d", wrongShape, "\(url)/v2/models/wine-classifier/infer"])
        #expect(refused.status == 400)
        #expect(refused.body.contains("\"error\""))
        #expect(try Curl.run(["\(url)/v2/health/ready"]).status == 200)

        // A second start of the same version is refused; ps lists the detached run; stop ends it.
        let again = try harness.run(["run", "wine-classifier", "--runtime", "process", "--port", "0", "--detach"], environment: Self.environment)
        #expect(again.status == 1)
        #expect(again.stderr.contains("already runs at \(url)"))
        let listed = try harness.run("ps", "--json")
        #expect(listed.stdout.contains("\"url\" : \"\(url)\"") || listed.stdout.contains("\"url\":\"\(url)\""), "\(listed.stdout)")
        let stopped = try harness.run("stop", "wine-classifier")
        #expect(stopped.stdout == "stopped wine-classifier@1.0.0\n")
        #expect(try Curl.run(["--max-time", "2", "\(url)/v2/health/ready"]).status == 0)
        #expect(try harness.run("stop", "wine-classifier").status == 3)
    }

    @Test func claimsHoldAndARaisedClaimFails() async throws {
        let harness = try CLIHarness()
        defer { harness.cleanUp() }
        let (hub, reviewer) = try Self.hubWithCatalog(harness)
        defer { hub.stop() }

        for package in ["digits-classifier", "wine-classifier"] {
            let verified = try harness.run(["verify", "--claims", package, "--runtime", "process"], environment: Self.environment)
            #expect(verified.status == 0, "\(verified.stdout)\(verified.stderr)")
            #expect(verified.stdout.contains("accuracy on eval/"))
            #expect(!verified.stdout.contains("does not hold"))
        }

        // The same model with its accuracy claim raised above what it does, as 1.0.1.
        let copy = harness.url("raised").path
        try FileManager.default.copyItem(atPath: "\(Self.catalog)/digits-classifier", toPath: copy)
        var manifest = try String(contentsOfFile: "\(copy)/maxhub.yaml", encoding: .utf8)
        manifest = String(manifest[..<manifest.range(of: "\nfiles:")!.lowerBound]) + "\n"
        manifest = manifest.replacingOccurrences(of: "version: 1.0.0", with: "version: 1.0.1")
        manifest = manifest.replacingOccurrences(
            of: #"\{ metric: accuracy, value: [0-9.]+,"#, with: "{ metric: accuracy, value: 0.999,", options: .regularExpression)
        try manifest.write(toFile: "\(copy)/maxhub.yaml", atomically: true, encoding: .utf8)
        #expect(try harness.run("publish", copy).status == 0)
        #expect(try harness.run("review", "approve", "digits-classifier@1.0.1", "--token", reviewer).status == 0)
        let raised = try harness.run(["verify", "--claims", "digits-classifier@1.0.1", "--runtime", "process", "--json"], environment: Self.environment)
        #expect(raised.status == 4, "\(raised.stderr)")
        #expect(raised.stderr.contains("1 of 2 claims of digits-classifier@1.0.1 do not hold: accuracy claimed 0.999"), "\(raised.stderr)")
        let outcomes = try JSONValue(jsonString: raised.stdout)
        #expect(outcomes[0]?["holds"] == .bool(false))
        #expect(outcomes[1]?["holds"] == .bool(true))
        // A looser tolerance lets it pass; nothing keeps running afterwards.
        #expect(try harness.run(["verify", "--claims", "digits-classifier@1.0.1", "--runtime", "process", "--tolerance", "5"], environment: Self.environment).status == 0)
        #expect(try harness.run("ps").stdout.isEmpty)

        // A cached package is re-checked before its server starts: a changed file fails the verification, nothing runs.
        try "0\n1\n".write(toFile: harness.url("cache/packages/wine-classifier/1.0.0/labels.txt").path, atomically: true, encoding: .utf8)
        let tampered = try harness.run(["verify", "--claims", "wine-classifier", "--runtime", "process"], environment: Self.environment)
        #expect(tampered.status == 4)
        #expect(tampered.stderr.contains("wine-classifier@1.0.0 differs from its manifest"), "\(tampered.stderr)")
        #expect(tampered.stderr.contains("labels.txt"))
        #expect(!FileManager.default.fileExists(atPath: harness.url("cache/runs/maxhub-wine-classifier-1.0.0.json").path))
    }

    @Test func busyPortsDryRunsAndTheRuntimeChoice() async throws {
        let harness = try CLIHarness()
        defer { harness.cleanUp() }
        let (hub, _) = try Self.hubWithCatalog(harness)
        defer { hub.stop() }
        let package = harness.url("cache/packages/digits-classifier/1.0.0").path

        // The hub's own port is busy: refused before anything starts.
        let hubPort = hub.url.split(separator: ":").last.map(String.init)!
        let busy = try harness.run(["run", "digits-classifier", "--runtime", "process", "--port", hubPort], environment: Self.environment)
        #expect(busy.status == 1)
        #expect(busy.stderr == "error: port \(hubPort) on 127.0.0.1 is already in use; pass --port N (or --port 0 for any free port)\n")
        #expect(try harness.run("ps").stdout.isEmpty)

        let docker = try harness.run("run", "digits-classifier", "--runtime", "docker", "--port", "5005", "--dry-run")
        #expect(docker.status == 0, "\(docker.stderr)")
        #expect(docker.stdout == """
            docker run --detach --name maxhub-digits-classifier-1.0.0 --publish 127.0.0.1:5005:5000 --volume \(package):/model:ro \
            --env PORT=5000 --env HOST=0.0.0.0 --env MAXHUB_MODEL_DIR=/model --label org.maxhub.model=digits-classifier@1.0.0 \
            localhost/maxhub/digits-classifier:1.0.0

            """)
        let podman = try harness.run("run", "wine-classifier", "--runtime", "podman", "--detach", "--dry-run")
        #expect(podman.stdout == """
            podman run --detach --name maxhub-wine-classifier-1.0.0 --publish 127.0.0.1:8080:8080 --volume \
            \(harness.url("cache/packages/wine-classifier/1.0.0").path):/model:ro --env PORT=8080 --env HOST=0.0.0.0 \
            --env MAXHUB_MODEL_DIR=/model --label org.maxhub.model=wine-classifier@1.0.0 localhost/maxhub/wine-classifier:1.0.0

            """)

        // auto: engines whose `info` fails are passed over; one that answers and has the image is taken.
        let engines = harness.url("engines").path
        try FileManager.default.createDirectory(atPath: engines, withIntermediateDirectories: true)
        try "#!/bin/sh\nexit 1\n".write(toFile: "\(engines)/docker", atomically: true, encoding: .utf8)
        try "#!/bin/sh\ncase \"$1\" in info|image) exit 0;; esac\nexit 1\n".write(toFile: "\(engines)/podman", atomically: true, encoding: .utf8)
        chmod("\(engines)/docker", 0o755)
        chmod("\(engines)/podman", 0o755)
        let withPodman = try harness.run(["run", "digits-classifier", "--dry-run"], environment: ["PATH": "\(engines):/usr/bin:/bin"])
        #expect(withPodman.stdout.hasPrefix("podman run --detach --name maxhub-digits-classifier-1.0.0 "), "\(withPodman.stdout)")
        // An engine that answers but lacks the image is passed over too, in one line that says so.
        try "#!/bin/sh\n[ \"$1\" = info ] && exit 0\nexit 1\n".write(toFile: "\(engines)/podman", atomically: true, encoding: .utf8)
        chmod("\(engines)/podman", 0o755)
        let process = try harness.run(["run", "digits-classifier", "--dry-run", "--port", "5001"], environment: ["PATH": "\(engines):/usr/bin:/bin"])
        #expect(process.stderr == "running as a sandboxed process: docker does not answer, podman has no image localhost/maxhub/digits-classifier:1.0.0\n")
        let bwrap = FileManager.default.isExecutableFile(atPath: "/usr/bin/bwrap")
        let sandbox = bwrap
            ? "/usr/bin/bwrap --ro-bind / / --dev /dev --proc /proc --tmpfs /tmp "
                + (engines.hasPrefix("/tmp/") ? "--ro-bind \(engines) \(engines) " : "")
                + "--ro-bind \(package) \(package) --unshare-pid --die-with-parent --chdir \(package) -- "
            : ""
        #expect(process.stdout == """
            cd \(package) && HOST=127.0.0.1 MAXHUB_MODEL_DIR=\(package) PORT=5001 PYTHONDONTWRITEBYTECODE=1 \(sandbox)python3 serve.py

            """)
        #expect(try harness.run("run", "nobody", "--dry-run").status == 3)
    }
}

extension RunCommandTests {
    @Test func aServerThatDoesNotComeUpIsStoppedAndItsLastLinesShown() async throws {
        let harness = try CLIHarness()
        defer { harness.cleanUp() }
        let hub = try RunningHub(dataFolder: harness.url("hub").path)
        defer { hub.stop() }
        let admin = try #require(hub.printedAdminToken)
        try harness.write("url: \"\(hub.url)\"\ntoken: \"\(admin)\"\ncache: \"\(harness.url("cache").path)\"\n", to: "config/maxhub/config.yaml")
        chmod(harness.url("config/maxhub/config.yaml").path, 0o600)
        let reviewer = try harness.run("token", "create", "--user", "rita", "--role", "reviewer").stdout.trimmingCharacters(in: .newlines)
        // 1.0.0 crashes at start; 1.0.1 never answers its health check.
        for (version, command) in [("1.0.0", #"[sh, -c, "echo loading weights; echo 'boom: model.onnx is not a model' >&2; exit 3"]"#), ("1.0.1", "[sleep, '30']")] {
            let folder = harness.url("failing-\(version)").path
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try """
                name: failing-model
                version: \(version)
                task: other
                description: A server that never becomes ready.
                license: {code: MIT, weights: MIT, data: CC0-1.0}
                inputs: [{name: x, type: tensor}]
                outputs: [{name: y, type: tensor}]
                serving: {api: max, port: 5000, health: /model/metadata, command: \(command)}
                """.write(toFile: "\(folder)/maxhub.yaml", atomically: true, encoding: .utf8)
            try "weights".write(toFile: "\(folder)/model.onnx", atomically: true, encoding: .utf8)
            #expect(try harness.run("publish", folder).status == 0)
            #expect(try harness.run("review", "approve", "failing-model@\(version)", "--token", reviewer).status == 0)
        }

        let crashed = try harness.run("run", "failing-model@1.0.0", "--runtime", "process", "--port", "0")
        #expect(crashed.status == 1)
        #expect(crashed.stderr.hasPrefix("error: failing-model@1.0.0 did not start: the server stopped before it was ready (exit status 3); its last lines:"))
        #expect(crashed.stderr.contains("  | loading weights\n  | boom: model.onnx is not a model"), "\(crashed.stderr)")

        let started = Date()
        let silent = try harness.run("run", "failing-model@1.0.1", "--runtime", "process", "--port", "0", "--timeout", "2")
        #expect(silent.status == 1)
        #expect(silent.stderr.contains("did not start: the server did not answer http://127.0.0.1:"), "\(silent.stderr)")
        #expect(silent.stderr.contains("/model/metadata within 2 s (the server printed nothing)"), "\(silent.stderr)")
        #expect(Date().timeIntervalSince(started) < 20, "the silent server is stopped, not waited for")

        // Ctrl-C while the server starts stops it at once.
        let interrupted = try BackgroundCommand(harness, ["run", "failing-model@1.0.1", "--runtime", "process", "--port", "0"], environment: [:])
        let runs = harness.url("cache/runs/maxhub-failing-model-1.0.1.json").path
        let deadline = Date().addingTimeInterval(30)
        while !FileManager.default.fileExists(atPath: runs) && Date() < deadline { usleep(20_000) }
        #expect(FileManager.default.fileExists(atPath: runs), "the run is recorded once its server has started")
        interrupted.process.interrupt()
        interrupted.process.waitUntilExit()
        #expect(interrupted.process.terminationStatus == 1)
        #expect(interrupted.stderr.contains("did not start: interrupted before the server was ready"), "\(interrupted.stderr)")
        #expect(!FileManager.default.fileExists(atPath: runs))
        #expect(try harness.run("ps").stdout.isEmpty)
        let leftovers = try Command.run("/usr/bin/pgrep", ["-f", "^sleep 30$"])
        #expect(leftovers == 1, "no sleep 30 keeps running")
    }
}

/// A long-running `maxhub` command: its output in files, its first line awaited, stopped with a signal.
final class BackgroundCommand {
    let process = Process()
    let stdoutPath: String
    let stderrPath: String

    init(_ harness: CLIHarness, _ arguments: [String], environment: [String: String]) throws {
        stdoutPath = harness.url(".bg-stdout-\(UUID().uuidString)").path
        stderrPath = harness.url(".bg-stderr-\(UUID().uuidString)").path
        FileManager.default.createFile(atPath: stdoutPath, contents: nil)
        FileManager.default.createFile(atPath: stderrPath, contents: nil)
        process.executableURL = URL(fileURLWithPath: CLIHarness.binary)
        process.arguments = arguments
        var inherited = ProcessInfo.processInfo.environment
        for name in ["MAXHUB_URL", "MAXHUB_TOKEN", "MAXHUB_CACHE", "MAXHUB_OFFLINE"] { inherited[name] = nil }
        inherited["MAXHUB_CONFIG"] = harness.url("config/maxhub/config.yaml").path
        process.environment = inherited.merging(environment) { $1 }
        process.currentDirectoryURL = harness.directory
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: stdoutPath))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: stderrPath))
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    var stderr: String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }

    /// The first line on standard output.
    func waitForLine(timeout: TimeInterval) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let text = (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? ""
            if let newline = text.firstIndex(of: "\n") { return String(text[..<newline]) }
            guard process.isRunning else { throw HubProcessError(message: "maxhub exited \(process.terminationStatus): \(stderr)") }
            usleep(50_000)
        }
        throw HubProcessError(message: "no line within \(timeout) s: \(stderr)")
    }

    /// SIGTERM, then the exit status.
    func terminate() -> Int32 {
        process.terminate()
        process.waitUntilExit()
        return process.terminationStatus
    }

    func kill() {
        if process.isRunning { _ = terminate() }
    }
}

/// Runs a program and returns its exit status.
enum Command {
    static func run(_ executable: String, _ arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }
}
