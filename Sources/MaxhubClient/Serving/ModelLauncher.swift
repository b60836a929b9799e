import Foundation
import MaxhubCore

/// From a package reference to a model server that answers: pull and check the package (or find it in the cache),
/// pick the runtime and the port, plan the launch, start the server, record the run, and wait for its health check.
///
/// `prepare` stops before anything starts (what `maxhub run --dry-run` prints); `start` starts a prepared model;
/// `launch` does both.
public struct ModelLauncher: Sendable {
    public var puller: PackagePuller
    /// Where `bwrap`, `docker` and `podman` are looked up, and which folders under /tmp the sandbox keeps.
    public var searchPath: ProgramSearchPath
    /// Told one line when `auto` passes an installed engine over, saying why.
    public var notice: @Sendable (String) -> Void

    public init(
        puller: PackagePuller, searchPath: ProgramSearchPath = ProgramSearchPath(), notice: @escaping @Sendable (String) -> Void = { _ in }
    ) {
        self.puller = puller
        self.searchPath = searchPath
        self.notice = notice
    }

    /// The hub the package came from, as the registry of the serving images that name it (nil offline).
    var imageSource: HubImageSource? { puller.offline ? nil : HubImageSource(hub: puller.client) }

    /// What to start and how.
    public struct Options: Sendable {
        public var runtime: RuntimeChoice
        /// The port on 127.0.0.1: nil for the manifest's `serving.port` (or `defaultPort`), 0 for any free port.
        public var port: Int?
        /// The port when none is asked for, instead of the manifest's (0: any free port).
        public var defaultPort: Int?
        public var includePrerelease: Bool
        /// Leave the server running once this process ends.
        public var detached: Bool
        /// Refuse a port something already listens on, before anything starts.
        public var checkPort: Bool
        /// The run's name (and its container's) instead of `maxhub-NAME-VERSION`: a second server of one version.
        public var runName: String?

        public init(
            runtime: RuntimeChoice = .auto, port: Int? = nil, defaultPort: Int? = nil, includePrerelease: Bool = false,
            detached: Bool = false, checkPort: Bool = true, runName: String? = nil
        ) {
            self.runtime = runtime
            self.port = port
            self.defaultPort = defaultPort
            self.includePrerelease = includePrerelease
            self.detached = detached
            self.checkPort = checkPort
            self.runName = runName
        }
    }

    /// A package pulled and checked, with the plan that starts it.
    public struct PreparedModel: Sendable {
        public var manifest: Manifest
        public var packagePath: String
        public var cache: PackageCache
        public var plan: LaunchPlan
        public var detached: Bool
        /// Whether the pull extracted and checked the package just now (rather than finding it in the cache).
        public var justExtracted: Bool
        /// The name of the run in the registry (and of its container).
        public var runID: String
        public var reference: String { manifest.reference }
    }

    /// Pulls `reference` (or finds it in the cache), reads its manifest, picks the runtime and the port, and plans the
    /// launch. `progress` follows the download, if there is one.
    public func prepare(
        _ reference: PackageReference, _ options: Options, progress: @escaping @Sendable (Int64, Int64) -> Void = { _, _ in }
    ) async throws -> PreparedModel {
        let pulled = try await puller.pull(reference, includePrerelease: options.includePrerelease, progress: progress)
        let manifest: Manifest
        do {
            manifest = try Manifest(contentsOfPackage: URL(fileURLWithPath: pulled.path))
        } catch {
            throw PullError.unreadablePackage(pulled.path, "\(error)")
        }
        let decision = await options.runtime.resolve(image: manifest.serving.image, searchPath: searchPath, hub: imageSource)
        let runtime = decision.runtime
        if let line = decision.notice { notice(line) }
        let runID = options.runName ?? LaunchPlan.containerName(manifest.name, manifest.version)
        var port = options.port ?? options.defaultPort ?? manifest.serving.port
        if port == 0 {
            guard let free = LocalPort.pickFree() else { throw LaunchError("no free port on 127.0.0.1") }
            port = free
        }
        guard (1...65535).contains(port) else { throw LaunchError("--port \(port) is not a port number", isUsage: true) }
        if options.checkPort && !LocalPort.isFree(port) {
            throw LaunchError("port \(port) on 127.0.0.1 is already in use; pass --port N (or --port 0 for any free port)")
        }
        let plan = try LaunchPlan.make(
            manifest: manifest, packagePath: pulled.path, runtime: runtime, hostPort: port,
            bubblewrap: runtime == .process ? searchPath.find("bwrap") : nil, detached: options.detached,
            searchPath: searchPath.folders, runName: runID)
        return PreparedModel(
            manifest: manifest, packagePath: pulled.path, cache: puller.cache, plan: plan, detached: options.detached,
            justExtracted: pulled.extracted, runID: runID)
    }

    /// Starts a prepared model, records it for `maxhub ps` and `maxhub stop`, and waits until its health check answers
    /// (or `timeout` passes, or `interrupted` says so). On failure the server is stopped, its record removed, and its
    /// last log lines are part of the error.
    public func start(
        _ model: PreparedModel, timeout: Duration, interrupted: @escaping () -> Bool = { false }
    ) async throws(LaunchError) -> RunningModel {
        let registry = RunRegistry(cache: model.cache)
        if let existing = registry.record(model.runID), await existing.isAlive(searchPath: searchPath) {
            throw LaunchError("\(model.reference) already runs at \(existing.url); maxhub stop \(model.manifest.name) stops it")
        }
        do {
            try registry.prepare()
        } catch {
            throw LaunchError("cannot record the run in \(registry.folder): \(error.localizedDescription)")
        }
        let server = ModelServer(
            plan: model.plan, logPath: registry.logPath(for: model.runID), searchPath: searchPath, imageSource: imageSource, notice: notice)
        try await server.start(detached: model.detached)
        let record = RunRecord(
            id: model.runID, name: model.manifest.name, version: model.manifest.version, runtime: model.plan.runtime,
            pid: server.pid > 0 ? server.pid : nil, containerName: model.plan.containerName, url: model.plan.url, log: server.logPath,
            package: model.packagePath, detached: model.detached, startedAt: Date())
        do {
            try registry.save(record)
        } catch {
            await server.stop(grace: .seconds(5))
            throw LaunchError("cannot record the run in \(registry.folder): \(error.localizedDescription)")
        }
        do {
            try await server.waitUntilReady(timeout: timeout, interrupted: interrupted)
        } catch {
            // A container's logs go with it; a process's log file is whole once the process has stopped.
            var tail = server.isContainer ? await server.lastLines(20) : []
            await server.stop(grace: .seconds(5))
            registry.remove(model.runID)
            if !server.isContainer { tail = server.logTail(20) }
            let log = tail.isEmpty ? " (the server printed nothing)" : "; its last lines:\n" + tail.map { "  | " + $0 }.joined(separator: "\n")
            throw LaunchError("\(model.reference) did not start: \(error.description)\(log)")
        }
        return RunningModel(model: model, server: server, registry: registry)
    }

    /// `prepare`, then `start`.
    public func launch(
        _ reference: PackageReference, _ options: Options, timeout: Duration, interrupted: @escaping () -> Bool = { false },
        progress: @escaping @Sendable (Int64, Int64) -> Void = { _, _ in }
    ) async throws -> RunningModel {
        let model = try await prepare(reference, options, progress: progress)
        return try await start(model, timeout: timeout, interrupted: interrupted)
    }
}
