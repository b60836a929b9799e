import CProcess
import Foundation

/// A container engine's command line, docker or podman: what `maxhub run` asks of it besides starting the container.
///
/// Every call runs the engine's client and waits for it without holding a thread (the cooperative pool is small).
public struct ContainerEngine: Sendable {
    public let runtime: ServingRuntime
    /// The client's path, as found on the search path.
    public let program: String

    /// The engine of `runtime` when its client is on `searchPath`; nil for the process runtime or a missing client.
    public init?(_ runtime: ServingRuntime, searchPath: ProgramSearchPath = ProgramSearchPath()) {
        guard runtime != .process, let program = searchPath.find(runtime.rawValue) else { return nil }
        self.runtime = runtime
        self.program = program
    }

    public var name: String { runtime.rawValue }

    /// nil when the engine answers `info`, else the first line of what it said instead.
    public func problem() async -> String? {
        let info = await EngineCommand.run([program, "info"], timeout: .seconds(20))
        guard info.status != 0 else { return nil }
        return info.lastLine ?? (info.status == nil ? "\(name) info did not answer" : "\(name) info failed")
    }

    public func hasImage(_ image: String) async -> Bool {
        await EngineCommand.run([program, "image", "inspect", "--format", "{{.Id}}", image], timeout: .seconds(20)).status == 0
    }

    /// What the engine knows of a container: nil when there is no container of that name.
    public func state(of container: String) async -> ContainerState? {
        let inspect = await EngineCommand.run(
            [program, "container", "inspect", "--format", "{{.State.Running}} {{.State.ExitCode}}", container], timeout: .seconds(20))
        guard inspect.status == 0, let line = inspect.lastLine else { return nil }
        let fields = line.split(separator: " ")
        guard fields.count == 2, let exitCode = Int32(fields[1]) else { return nil }
        return ContainerState(running: fields[0] == "true", exitCode: exitCode)
    }

    /// The container's last `count` lines of output, standard error included.
    ///
    /// The whole log is asked for and its end kept here: podman 4.3's `logs --tail` can join a line to the next one.
    public func logs(of container: String, last count: Int) async -> [String] {
        let logs = await EngineCommand.run([program, "logs", container], timeout: .seconds(20), keepingLast: 256 << 10)
        guard logs.status == 0 else { return [] }
        return logs.lines.suffix(count).map { $0 }
    }

    /// Stops the container (SIGTERM, SIGKILL after `grace`) and removes it; a container that is already gone is no error.
    public func remove(_ container: String, grace: Duration = .seconds(10)) async {
        let seconds = max(1, grace.components.seconds)
        await EngineCommand.run([program, "stop", "--time", String(seconds), container], timeout: grace + .seconds(30))
        await EngineCommand.run([program, "rm", "--force", container], timeout: .seconds(30))
    }

    /// Runs the plan's `docker run --detach ...` (with the client's path first), its output appended to `log`; throws
    /// the engine's own last line when it fails.
    func startContainer(_ arguments: [String], log: String) async throws(LaunchError) {
        let started = await EngineCommand.run([program] + arguments.dropFirst(), timeout: .seconds(300))
        if let handle = FileHandle(forWritingAtPath: log) {
            handle.seekToEndOfFile()
            handle.write(Data(started.output.utf8))
            try? handle.close()
        }
        guard started.status == 0 else {
            let said = started.lines.last { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
            let how = started.status.map { "exit status \($0)" } ?? "no answer"
            throw LaunchError("\(name) could not start the container (\(how))" + (said.map { ": \($0)" } ?? ""))
        }
    }

    /// The one-line advice for an image that the engine does not have: the command that builds it.
    public func missingImage(_ image: String, packagePath: String) -> String {
        var build = "make images (in a maxhub checkout)"
        if FileManager.default.fileExists(atPath: "\(packagePath)/Dockerfile") {
            build = "\(name) build -t \(image) \(LaunchPlan.shellQuoted(packagePath)), or " + build
        }
        return "\(name) has no image \(image); build it with \(build), or use --runtime process"
    }
}

/// A container's state as its engine reports it.
public struct ContainerState: Sendable, Equatable {
    public var running: Bool
    public var exitCode: Int32
}

/// A short command run to its end, its output (standard error included) kept.
///
/// Started with `maxhub_spawn`, which passes on no descriptor but the output: an engine's client leaves daemons behind
/// (podman's conmon), and a descriptor they inherited would keep a watcher of the client waiting for them.
struct EngineCommand {
    /// nil when it could not start or did not end within its time.
    var status: Int32?
    var output: String

    var lines: [String] { output.split(separator: "\n").map(String.init) }
    var lastLine: String? { lines.last { !$0.trimmingCharacters(in: .whitespaces).isEmpty } }

    /// `keepingLast` bounds the output kept to its last bytes (the first line kept may then be cut).
    @discardableResult
    static func run(_ arguments: [String], timeout: Duration, keepingLast limit: Int = 16 << 20) async -> EngineCommand {
        let outputPath = NSTemporaryDirectory() + "maxhub-engine-\(UUID().uuidString).out"
        let output = open(outputPath, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard output >= 0 else { return EngineCommand(status: nil, output: "cannot write \(outputPath)") }
        unlink(outputPath)
        defer { close(output) }
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = ProcessInfo.processInfo.environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var child: pid_t = 0
        let spawned = argv.withUnsafeBufferPointer { argvBuffer in
            envp.withUnsafeBufferPointer { envpBuffer in
                maxhub_spawn(&child, argvBuffer.baseAddress, envpBuffer.baseAddress, nil, output, 0)
            }
        }
        guard spawned == 0 else {
            return EngineCommand(status: nil, output: "cannot start \(arguments[0]): \(String(cString: strerror(spawned)))")
        }
        let deadline = ContinuousClock.now + timeout
        var status: Int32 = 0
        var ended = false
        while true {
            let result = waitpid(child, &status, WNOHANG)
            if result == child || (result < 0 && errno != EINTR) {
                ended = result == child
                break
            }
            if ContinuousClock.now >= deadline {
                kill(-child, SIGKILL)
                kill(child, SIGKILL)
                _ = waitpid(child, &status, 0)
                break
            }
            try? await Task.sleep(for: .milliseconds(10))
        }
        var text = Data()
        var buffer = [UInt8](repeating: 0, count: 64 << 10)
        let size = lseek(output, 0, SEEK_END)
        lseek(output, size > limit ? off_t(size - limit) : 0, SEEK_SET)
        while true {
            let count = read(output, &buffer, buffer.count)
            if count <= 0 { break }
            text.append(contentsOf: buffer[0..<count])
        }
        let exited = ended && (status & 0x7f) == 0
        return EngineCommand(status: exited ? (status >> 8) & 0xff : nil, output: String(decoding: text, as: UTF8.self))
    }
}
