import AsyncHTTPClient
import CProcess
import Foundation
import MaxhubCore
import NIOCore

/// A model's server started from a `LaunchPlan`.
///
/// A process runs in a process group of its own, its output in a log file, and is stopped with SIGTERM to the whole
/// group, then SIGKILL. A container is started detached by its engine; in the foreground, a follower (`docker logs
/// --follow`) copies its output into the log file; it is stopped and removed with `docker stop` and `docker rm`.
public final class ModelServer: @unchecked Sendable {
    public let plan: LaunchPlan
    public let logPath: String
    /// The server's process; for a container in the foreground, its log follower's; 0 for a detached container.
    public private(set) var pid: pid_t = 0
    private var exitStatus: Int32?
    /// The container's engine (nil for the process runtime, or when its client is not installed).
    let engine: ContainerEngine?
    private var containerExitCode: Int32?

    /// Where an image the engine lacks is pulled from, when the image names it.
    let imageSource: HubImageSource?
    /// Told one line before an image is pulled.
    let notice: @Sendable (String) -> Void

    public init(
        plan: LaunchPlan, logPath: String, searchPath: ProgramSearchPath = ProgramSearchPath(), imageSource: HubImageSource? = nil,
        notice: @escaping @Sendable (String) -> Void = { _ in }
    ) {
        self.plan = plan
        self.logPath = logPath
        engine = ContainerEngine(plan.runtime, searchPath: searchPath)
        self.imageSource = imageSource
        self.notice = notice
    }

    var isContainer: Bool { plan.runtime != .process }

    /// Starts the server; `detached` puts it in a session of its own so that it outlives this process.
    ///
    /// A container starts only when its engine answers and has the image, or has pulled it from the hub that the image
    /// names; otherwise the error is one line that says what to do, never the engine's bare exit status.
    public func start(detached: Bool) async throws(LaunchError) {
        guard isContainer else { return try spawn(plan.arguments, environment: plan.environment, truncate: true, detached: detached) }
        guard let engine, let container = plan.containerName else {
            throw LaunchError("\(plan.runtime.rawValue) is not installed (not found on PATH); use --runtime process")
        }
        if let problem = await engine.problem() {
            throw LaunchError("\(engine.name) does not answer (\(problem)); use --runtime process")
        }
        if let image = plan.image, !(await engine.hasImage(image)) {
            guard let imageSource, imageSource.names(image) else {
                throw LaunchError(engine.missingImage(image, packagePath: plan.packagePath))
            }
            notice("pulling \(image) from the hub (\(engine.name))")
            try await engine.pull(image, from: imageSource)
        }
        if let existing = await engine.state(of: container) {
            if existing.running {
                throw LaunchError("a container named \(container) already runs; \(engine.name) rm --force \(container) removes it")
            }
            // What a run that ended without cleaning up left behind (its logs were in the way of the name).
            await engine.remove(container, grace: .seconds(1))
        }
        guard FileManager.default.createFile(atPath: logPath, contents: nil) else {
            throw LaunchError("cannot write \(logPath): \(String(cString: strerror(errno)))")
        }
        try await engine.startContainer(plan.arguments, log: logPath)
        if !detached {
            do {
                try spawn([engine.program, "logs", "--follow", container], environment: [:], truncate: false, detached: false)
            } catch {
                await engine.remove(container, grace: .seconds(2))
                throw error
            }
        }
    }

    /// Starts `arguments` as a process of a group of its own, its output into the log.
    private func spawn(_ arguments: [String], environment additions: [String: String], truncate: Bool, detached: Bool) throws(LaunchError) {
        let output = open(logPath, O_WRONLY | O_CREAT | O_CLOEXEC | (truncate ? O_TRUNC : O_APPEND), 0o644)
        guard output >= 0 else { throw LaunchError("cannot write \(logPath): \(String(cString: strerror(errno)))") }
        defer { close(output) }
        var environment = ProcessInfo.processInfo.environment
        for (key, value) in additions { environment[key] = value }
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        let directory = plan.workingDirectory
        let (status, child) = SpawnThread.shared.run { () -> (Int32, pid_t) in
            var child: pid_t = 0
            let status = argv.withUnsafeBufferPointer { argvBuffer in
                envp.withUnsafeBufferPointer { envpBuffer in
                    maxhub_spawn(&child, argvBuffer.baseAddress, envpBuffer.baseAddress, directory, output, detached ? 1 : 0)
                }
            }
            return (status, child)
        }
        guard status == 0 else {
            throw LaunchError("cannot start \(arguments[0]): \(String(cString: strerror(status)))")
        }
        pid = child
    }

    /// Whether the started process is still running (reaping it when it has ended): for a container in the foreground,
    /// its log follower, which ends when the container does.
    public var isRunning: Bool {
        guard pid > 0, exitStatus == nil else { return false }
        var status: Int32 = 0
        let result = waitpid(pid, &status, WNOHANG)
        if result == pid {
            exitStatus = status
            return false
        }
        if result < 0 && errno == ECHILD { return Self.processExists(pid) }
        return true
    }

    /// Whether the server still serves: the process runs, or the engine says the container runs (remembering its exit
    /// code when it has ended).
    public func isServing() async -> Bool {
        guard isContainer else { return isRunning }
        guard let engine, let container = plan.containerName, let state = await engine.state(of: container) else { return false }
        if !state.running { containerExitCode = state.exitCode }
        return state.running
    }

    /// How the server ended, once it has: "exit status N" or "signal N".
    public var endedHow: String {
        if isContainer { return containerExitCode.map { "exit status \($0)" } ?? "ended" }
        guard let status = exitStatus else { return "ended" }
        let signal = status & 0x7f
        return signal == 0 ? "exit status \((status >> 8) & 0xff)" : "signal \(signal)"
    }

    /// Polls `plan.healthURL` until it answers 2xx, the server ends, or `timeout` passes.
    /// `interrupted` is asked between attempts; when it says yes, the wait ends with an error.
    public func waitUntilReady(
        timeout: Duration, http: HTTPClient = HubClient.sharedHTTPClient,
        interrupted: () -> Bool = { false }
    ) async throws(LaunchError) {
        let deadline = ContinuousClock.now + timeout
        var attempt = 0
        while ContinuousClock.now < deadline {
            if interrupted() { throw LaunchError("interrupted before the server was ready") }
            if isContainer {
                // Asking the engine costs a process; twice a second is enough.
                if attempt % 5 == 0, !(await isServing()) {
                    throw LaunchError("the container stopped before it was ready (\(endedHow))")
                }
            } else if !isRunning {
                throw LaunchError("the server stopped before it was ready (\(endedHow))")
            }
            if await Self.answers(plan.healthURL, http: http) { return }
            attempt += 1
            try? await Task.sleep(for: .milliseconds(100))
        }
        throw LaunchError("the server did not answer \(plan.healthURL) within \(timeout.components.seconds) s")
    }

    static func answers(_ url: String, http: HTTPClient) async -> Bool {
        var request = HTTPClientRequest(url: url)
        request.method = .GET
        do {
            let response = try await http.execute(request, timeout: .seconds(2))
            _ = try? await response.body.collect(upTo: 1 << 20)
            return (200..<300).contains(response.status.code)
        } catch {
            return false
        }
    }

    /// Stops the server: for a container, `docker stop` (SIGTERM, SIGKILL after `grace`) and `docker rm`; for a
    /// process, SIGTERM to its process group, then SIGKILL after `grace`.
    public func stop(grace: Duration = .seconds(10)) async {
        if isContainer {
            if let engine, let container = plan.containerName {
                await engine.remove(container, grace: grace)
            }
            guard pid > 0 else { return }
            await Self.terminateGroup(pid, grace: .seconds(2)) { [self] in isRunning }
            return
        }
        guard pid > 0 else { return }
        await Self.terminateGroup(pid, grace: grace) { [self] in isRunning }
    }

    /// SIGTERM to the group led by `pid`, SIGKILL after `grace` if it still runs.
    ///
    /// Returns once the leader has ended and no other process of its group is left (the server inside a sandbox can
    /// outlive the sandbox's own process by a few moments, holding its port).
    public static func terminateGroup(_ pid: pid_t, grace: Duration, isRunning: () -> Bool) async {
        kill(-pid, SIGTERM)
        kill(pid, SIGTERM)
        let deadline = ContinuousClock.now + grace
        while (isRunning() || groupHasLiveMembers(pid)) && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(50))
        }
        if isRunning() || groupHasLiveMembers(pid) {
            kill(-pid, SIGKILL)
            kill(pid, SIGKILL)
            while isRunning() { try? await Task.sleep(for: .milliseconds(20)) }
            // What is left of the group dies with SIGKILL; a member that another process must reap is not waited for.
            let killed = ContinuousClock.now + .seconds(2)
            while groupHasLiveMembers(pid) && ContinuousClock.now < killed { try? await Task.sleep(for: .milliseconds(20)) }
        }
    }

    /// Whether a process other than a zombie is in the process group `group` (read from /proc).
    static func groupHasLiveMembers(_ group: pid_t) -> Bool {
        guard kill(-group, 0) == 0 || errno == EPERM else { return false }
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        for entry in entries {
            guard let member = pid_t(entry),
                let stat = try? String(contentsOfFile: "/proc/\(member)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { continue }
            // After "pid (comm) ": state, ppid, pgrp.
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 2, pid_t(fields[2]) == group else { continue }
            if fields[0] != "Z" { return true }
        }
        return false
    }

    /// Whether a process exists (not necessarily a child of this one).
    public static func processExists(_ pid: pid_t) -> Bool {
        guard pid > 0 else { return false }
        if kill(pid, 0) != 0 && errno != EPERM { return false }
        // A zombie has ended; its parent has not reaped it yet.
        if let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        {
            let state = stat[stat.index(close, offsetBy: 2)...].prefix(1)
            return state != "Z"
        }
        return true
    }

    /// The last `count` lines the server printed: the engine's logs of a container, else the end of the log file.
    public func lastLines(_ count: Int = 20) async -> [String] {
        if let engine, let container = plan.containerName {
            let lines = await engine.logs(of: container, last: count)
            if !lines.isEmpty { return lines }
        }
        return logTail(count)
    }

    /// The last `count` lines of the log file.
    public func logTail(_ count: Int = 20) -> [String] {
        guard let handle = FileHandle(forReadingAtPath: logPath) else { return [] }
        defer { try? handle.close() }
        // Only the end of a log that may have grown for days.
        let end = (try? handle.seekToEnd()) ?? 0
        try? handle.seek(toOffset: end > 64 << 10 ? end - (64 << 10) : 0)
        guard let data = try? handle.readToEnd() else { return [] }
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        return lines.suffix(count + 1).map(String.init).filter { !$0.isEmpty }.suffix(count).map { $0 }
    }
}
