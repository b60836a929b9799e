import Foundation
import MaxhubCore

/// The model servers that `maxhub run` started from one cache: a record (`CACHE/runs/ID.json`) and a log (`ID.log`)
/// each, listed by `maxhub ps` and stopped by `maxhub stop`.
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
    public func running() async -> [RunRecord] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        var records: [RunRecord] = []
        for name in names where name.hasSuffix(".json") {
            let id = String(name.dropLast(5))
            guard let record = record(id) else { continue }
            if await record.isAlive() {
                records.append(record)
            } else {
                remove(id)
            }
        }
        return records.sorted { $0.startedAt < $1.startedAt }
    }

    /// Stops every recorded server of `name` (of `version` only, when given) and removes its record: `docker stop` and
    /// `docker rm` (or podman's) for a container, SIGTERM to the process group (SIGKILL after `grace`) for a process.
    /// Returns the records of the servers it stopped, empty when none ran.
    ///
    /// The record goes first, so that a `maxhub run` serving in the foreground knows that its server was stopped rather
    /// than that it ended by itself.
    public func stop(_ name: ModelName, version: Version? = nil, grace: Duration = .seconds(10)) async -> [RunRecord] {
        let matching = await running().filter { $0.name == name && (version == nil || $0.version == version) }
        for record in matching {
            remove(record.id)
            if let container = record.containerName, let engine = ContainerEngine(record.runtime) {
                await engine.remove(container, grace: grace)
            }
            if let pid = record.pid {
                await ModelServer.terminateGroup(pid, grace: grace) { ModelServer.processExists(pid) }
            }
        }
        return matching
    }
}
