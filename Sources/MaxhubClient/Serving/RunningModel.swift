import Foundation

/// A model server that answers, as `ModelLauncher.start` leaves it: its server and its record in the registry.
public final class RunningModel: @unchecked Sendable {
    public let model: ModelLauncher.PreparedModel
    public let server: ModelServer
    public let registry: RunRegistry

    init(model: ModelLauncher.PreparedModel, server: ModelServer, registry: RunRegistry) {
        self.model = model
        self.server = server
        self.registry = registry
    }

    public var url: String { model.plan.url }

    /// Stops the server (SIGTERM, SIGKILL after `grace`) and removes its record.
    public func stop(grace: Duration = .seconds(10)) async {
        await server.stop(grace: grace)
        registry.remove(model.runID)
    }

    /// How a server in the foreground ended.
    public enum End: Sendable, Equatable {
        /// A stop was asked for, and the server was stopped.
        case stopped
        /// The server ended by itself: "exit status N" or "signal N".
        case exited(String)
    }

    /// Serves in the foreground: copies the server's log to `log` until the server ends or `stopRequested` says so,
    /// then stops it if it still runs and removes its record. A server that `maxhub stop` stopped (its record is gone)
    /// ends as `.stopped`.
    public func serveInForeground(log: FileHandle = .standardError, stopRequested: @escaping () -> Bool) async -> End {
        let follower = LogFollower(path: server.logPath, to: log)
        var tick = 0
        while server.isRunning && !stopRequested() {
            follower.forward()
            // A container's log follower could outlive it by a moment; its engine has the last word, once a second.
            if server.isContainer && tick % 10 == 9, !(await server.isServing()) { break }
            tick += 1
            try? await Task.sleep(for: .milliseconds(100))
        }
        follower.forward()
        if stopRequested() {
            await stop()
            return .stopped
        }
        let stoppedElsewhere = registry.record(model.runID) == nil
        if server.isContainer {
            _ = await server.isServing()
            await server.stop(grace: .seconds(2))
        }
        registry.remove(model.runID)
        return stoppedElsewhere ? .stopped : .exited(server.endedHow)
    }
}
