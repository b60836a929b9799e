import Foundation
import MaxhubCore

/// A running model server, as `maxhub ps` lists it and `maxhub stop` finds it: `CACHE/runs/ID.json` next to its log.
public struct RunRecord: Codable, Sendable, Equatable {
    public var id: String
    public var name: ModelName
    public var version: Version
    public var runtime: ServingRuntime
    /// The server's process (the process runtime) or the engine client's (a foreground container).
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

    /// Whether the server is still there: its process exists, or its container engine says it runs.
    public var isAlive: Bool {
        if let containerName, runtime != .process, detached {
            return ModelServer.runQuietly([runtime.rawValue, "container", "inspect", containerName]) == 0
        }
        return pid.map { ModelServer.processExists($0) } ?? false
    }
}

/// The records of one cache's runs.
public struct RunRegistry: Sendable {
    public let folder: String

    public init(cache: PackageCache) {
        folder = "\(cache.root)/runs"
    }

    public func logPath(for id: String) -> String { "\(folder)/\(id).log" }
    func recordPath(for id: String) -> String { "\(folder)/\(id).json" }

    public func prepare() throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    public func save(_ record: RunRecord) throws {
        try prepare()
        let data = try HubJSON.encoder().encode(record)
        try data.write(to: URL(fileURLWithPath: recordPath(for: record.id)), options: .atomic)
    }

    public func remove(_ id: String) {
        try? FileManager.default.removeItem(atPath: recordPath(for: id))
    }

    public func record(_ id: String) -> RunRecord? {
        guard let data = FileManager.default.contents(atPath: recordPath(for: id)) else { return nil }
        return try? HubJSON.decoder().decode(RunRecord.self, from: data)
    }

    /// Every recorded run, oldest first; records of servers that are gone are removed on the way.
    public func running() -> [RunRecord] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        var records: [RunRecord] = []
        for name in names where name.hasSuffix(".json") {
            let id = String(name.dropLast(5))
            guard let record = record(id) else { continue }
            if record.isAlive {
                records.append(record)
            } else {
                remove(id)
            }
        }
        return records.sorted { $0.startedAt < $1.startedAt }
    }
}
