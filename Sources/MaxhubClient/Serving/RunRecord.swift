import Foundation
import MaxhubCore

/// A running model server, as `maxhub ps` lists it and `maxhub stop` finds it: `CACHE/runs/ID.json` next to its log.
public struct RunRecord: Codable, Sendable, Equatable {
    public var id: String
    public var name: ModelName
    public var version: Version
    public var runtime: ServingRuntime
    /// The server's process (the process runtime), or the log follower's of a container in the foreground.
    public var pid: Int32?
    public var containerName: String?
    public var url: String
    public var log: String
    public var package: String
    public var detached: Bool
    public var startedAt: Date

    public init(
        id: String, name: ModelName, version: Version, runtime: ServingRuntime, pid: Int32?, containerName: String?, url: String,
        log: String, package: String, detached: Bool, startedAt: Date
    ) {
        self.id = id
        self.name = name
        self.version = version
        self.runtime = runtime
        self.pid = pid
        self.containerName = containerName
        self.url = url
        self.log = log
        self.package = package
        self.detached = detached
        self.startedAt = startedAt
    }

    /// Whether the server is still there: its engine says the container runs, or its process exists.
    public func isAlive(searchPath: ProgramSearchPath = ProgramSearchPath()) async -> Bool {
        if let containerName, runtime != .process {
            guard let engine = ContainerEngine(runtime, searchPath: searchPath) else { return false }
            return await engine.state(of: containerName)?.running ?? false
        }
        return pid.map { ModelServer.processExists($0) } ?? false
    }
}
