import ArgumentParser
import Foundation
import MaxhubClient
import MaxhubCore

/// `--runtime auto|docker|podman|process`.
enum RuntimeChoice: String, ExpressibleByArgument, CaseIterable {
    case auto, docker, podman, process
}

/// How `maxhub run` and `maxhub verify --claims` start a model.
struct LaunchOptions: ParsableArguments {
    @Option(help: "Where the server runs: auto picks docker, then podman, then process, by which answers.")
    var runtime: RuntimeChoice = .auto

    @Option(help: "The port on 127.0.0.1 (default: the manifest's serving.port; 0 picks a free one).")
    var port: Int?

    @Option(help: "Seconds to wait for the server's health check.")
    var timeout: Int = 120

    @Flag(help: "Let the range pick prereleases.")
    var pre = false
}

/// A package pulled and checked, ready to start.
struct PreparedModel {
    var manifest: Manifest
    var packagePath: String
    var cache: PackageCache
    var plan: LaunchPlan
    /// Whether the pull extracted and checked the package just now (rather than finding it in the cache).
    var justExtracted: Bool

    var runID: String { LaunchPlan.containerName(manifest.name, manifest.version) }
}

enum ModelLaunch {
    /// Resolves and pulls `reference` (or finds it in the cache), reads its manifest, picks the runtime and the port,
    /// and plans the launch. `checkPort` refuses a port something already listens on, before anything starts.
    static func prepare(
        _ reference: String, hub: HubOptions, cacheOptions: CacheOptions, options: LaunchOptions, detached: Bool,
        defaultPort: Int? = nil, checkPort: Bool
    ) async throws -> PreparedModel {
        let (name, range) = try MaxhubCommand.Pull.parse(reference)
        let cache = try cacheOptions.packageCache()
        let pulled = try await MaxhubCommand.Pull.pull(name, range, pre: options.pre, hub: hub, cache: cache)
        let manifest: Manifest
        do {
            manifest = try Manifest(contentsOfPackage: URL(fileURLWithPath: pulled.path))
        } catch {
            throw CLIFailure("\(pulled.path): \(error)", code: .verificationFailed)
        }

        let runtime = try choose(options.runtime)
        var port = options.port ?? defaultPort ?? manifest.serving.port
        if port == 0 {
            guard let free = LocalPort.pickFree() else { throw CLIFailure("no free port on 127.0.0.1") }
            port = free
        }
        guard (1...65535).contains(port) else { throw CLIFailure("--port \(port) is not a port number", code: .usage) }
        if checkPort && !LocalPort.isFree(port) {
            throw CLIFailure("port \(port) on 127.0.0.1 is already in use; pass --port N (or --port 0 for any free port)")
        }
        let bubblewrap = runtime == .process ? executable(named: "bwrap") : nil
        do {
            let plan = try LaunchPlan.make(
                manifest: manifest, packagePath: pulled.path, runtime: runtime, hostPort: port, bubblewrap: bubblewrap,
                detached: detached, searchPath: (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init))
            return PreparedModel(manifest: manifest, packagePath: pulled.path, cache: cache, plan: plan, justExtracted: pulled.extracted)
        } catch {
            throw CLIFailure(error.description)
        }
    }

    /// `auto`: docker if its engine answers, then podman, then a process.
    static func choose(_ choice: RuntimeChoice) throws -> ServingRuntime {
        switch choice {
        case .docker: return .docker
        case .podman: return .podman
        case .process: return .process
        case .auto:
            for engine in [ServingRuntime.docker, .podman] where executable(named: engine.rawValue) != nil {
                if ModelServer.runQuietly([engine.rawValue, "info"], timeout: .seconds(10)) == 0 { return engine }
            }
            return .process
        }
    }

    /// The path of a program on PATH, if there is one.
    static func executable(named name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for folder in path.split(separator: ":") {
            let candidate = "\(folder)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// Starts the planned server, records it for `maxhub ps` and `maxhub stop`, and waits until its health check
    /// answers. On failure the server is stopped and its last log lines are part of the error.
    static func start(
        _ model: PreparedModel, detached: Bool, timeout: Int, interrupted: @escaping () -> Bool = { false }
    ) async throws -> (ModelServer, RunRegistry) {
        let registry = RunRegistry(cache: model.cache)
        if let existing = registry.record(model.runID), existing.isAlive {
            throw CLIFailure("\(model.manifest.reference) already runs at \(existing.url); maxhub stop \(model.manifest.name) stops it")
        }
        try registry.prepare()
        let server = ModelServer(plan: model.plan, logPath: registry.logPath(for: model.runID))
        do {
            try server.start(detached: detached)
        } catch {
            throw CLIFailure(error.description)
        }
        let record = RunRecord(
            id: model.runID, name: model.manifest.name, version: model.manifest.version, runtime: model.plan.runtime,
            pid: server.pid, containerName: model.plan.containerName, url: model.plan.url, log: server.logPath,
            package: model.packagePath, detached: detached, startedAt: Date())
        do {
            try registry.save(record)
        } catch {
            await server.stop(grace: .seconds(5))
            throw CLIFailure("cannot record the run in \(registry.folder): \(error.localizedDescription)")
        }
        do {
            try await server.waitUntilReady(
                timeout: .seconds(timeout), starterMayExit: detached && model.plan.runtime != .process, interrupted: interrupted)
        } catch {
            await server.stop(grace: .seconds(5))
            registry.remove(model.runID)
            let tail = server.logTail(20)
            let log = tail.isEmpty ? " (the server printed nothing)" : "; its last lines:\n" + tail.map { "  | " + $0 }.joined(separator: "\n")
            throw CLIFailure("\(model.manifest.reference) did not start: \(error.description)\(log)")
        }
        return (server, registry)
    }
}
