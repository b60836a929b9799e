import AsyncHTTPClient
import CProcess
import Foundation
import MaxhubCore
import NIOCore

/// A model's server started from a `LaunchPlan`: a process (or a container engine's client) in a process group of its
/// own, its output in a log file, stopped with SIGTERM to the whole group (or `docker stop`), then SIGKILL.
public final class ModelServer: @unchecked Sendable {
    public let plan: LaunchPlan
    public let logPath: String
    public private(set) var pid: pid_t = 0
    private var exitStatus: Int32?

    public init(plan: LaunchPlan, logPath: String) {
        self.plan = plan
        self.logPath = logPath
    }

    /// Starts the server; `detached` puts it in a session of its own so that it outlives this process.
    public func start(detached: Bool) throws(LaunchError) {
        let output = open(logPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard output >= 0 else { throw LaunchError("cannot write \(logPath): \(String(cString: strerror(errno)))") }
        defer { close(output) }
        var environment = ProcessInfo.processInfo.environment
        for (key, value) in plan.environment { environment[key] = value }
        let argv = plan.arguments.map { strdup($0) } + [nil]
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
            throw LaunchError("cannot start \(plan.arguments[0]): \(String(cString: strerror(status)))")
        }
        pid = child
    }

    /// Whether the started process is still running (reaping it when it has ended).
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

    /// How the process ended, once it has: "exit status N" or "signal N".
    public var endedHow: String {
        guard let status = exitStatus else { return "ended" }
        let signal = status & 0x7f
        return signal == 0 ? "exit status \((status >> 8) & 0xff)" : "signal \(signal)"
    }

    /// Polls `plan.healthURL` until it answers 2xx, the process ends, or `timeout` passes.
    /// `starterMayExit`: the started program only starts the server and exits 0 (`docker run --detach`).
    /// `interrupted` is asked between attempts; when it says yes, the wait ends with an error.
    public func waitUntilReady(
        timeout: Duration, starterMayExit: Bool = false, http: HTTPClient = HubClient.sharedHTTPClient,
        interrupted: () -> Bool = { false }
    ) async throws(LaunchError) {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if interrupted() { throw LaunchError("interrupted before the server was ready") }
            if !isRunning && !(starterMayExit && exitStatus == 0) {
                throw LaunchError("the server stopped before it was ready (\(endedHow))")
            }
            if await Self.answers(plan.healthURL, http: http) { return }
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

    /// Stops the server: `docker stop`/`podman stop` for a container, else SIGTERM to the process group, then SIGKILL
    /// after `grace`.
    public func stop(grace: Duration = .seconds(10)) async {
        if let container = plan.containerName {
            _ = Self.runQuietly([plan.runtime.rawValue, "stop", "--time", String(grace.components.seconds), container])
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

    /// The last `count` lines of the log.
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

    /// Runs a short command and returns its exit status (nil when it cannot start), output discarded.
    @discardableResult
    public static func runQuietly(_ arguments: [String], timeout: Duration = .seconds(20)) -> Int32? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let deadline = ContinuousClock.now + timeout
        while process.isRunning && ContinuousClock.now < deadline { usleep(20_000) }
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
            return nil
        }
        return process.terminationStatus
    }
}
