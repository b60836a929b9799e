import ArgumentParser
import Dispatch
import Foundation
import MaxhubClient
import MaxhubCore

extension MaxhubCommand {
    /// `maxhub run NAME[@RANGE]`: from a model's name to its standard REST endpoint.
    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Pull a model if needed and start its server; prints the URL once it answers.",
            discussion: """
                docker and podman run serving.image with the package mounted read-only at /model and the port published \
                on 127.0.0.1. The process runtime runs serving.command in the package folder with PORT, HOST and \
                MAXHUB_MODEL_DIR set, inside bwrap (read-only file system, private /tmp) when bwrap is installed; the \
                command's programs come from PATH. Ctrl-C or SIGTERM stops the server; --detach leaves it running \
                (maxhub ps lists it, maxhub stop NAME stops it).
                """
        )

        @OptionGroup var hub: HubOptions
        @OptionGroup var cacheOptions: CacheOptions
        @OptionGroup var launch: LaunchOptions

        @Argument(help: "NAME or NAME@RANGE.")
        var reference: String

        @Flag(help: "Leave the server running in the background and return once it answers.")
        var detach = false

        @Flag(name: .customLong("dry-run"), help: "Print the exact command that would start the server, and stop there.")
        var dryRun = false

        func run() async throws {
            let model = try await ModelLaunch.prepare(
                reference, hub: hub, cacheOptions: cacheOptions, options: launch, detached: detach, checkPort: !dryRun)
            if dryRun {
                if model.plan.runtime == .process {
                    let environment = model.plan.environment.sorted { $0.key < $1.key }.map { "\($0.key)=\(LaunchPlan.shellQuoted($0.value))" }
                    Terminal.standardOutput.writeLine("cd \(LaunchPlan.shellQuoted(model.packagePath)) && " + (environment + [model.plan.commandLine]).joined(separator: " "))
                } else {
                    Terminal.standardOutput.writeLine(model.plan.commandLine)
                }
                return
            }
            // Stopping starts with the first signal; until then they must not end this process.
            signal(SIGINT, SIG_IGN)
            signal(SIGTERM, SIG_IGN)
            let stopRequested = SignalLatch([SIGINT, SIGTERM])
            let (server, registry) = try await ModelLaunch.start(model, detached: detach, timeout: launch.timeout) { stopRequested.isSet }
            Terminal.standardOutput.writeLine(model.plan.url)
            if detach {
                Terminal.standardError.writeLine(
                    "\(model.manifest.reference) runs in the background (\(model.plan.runtime.rawValue)); logs in \(server.logPath); maxhub stop \(model.manifest.name) stops it")
                return
            }
            Terminal.standardError.writeLine("serving \(model.manifest.reference) at \(model.plan.url) (\(model.plan.runtime.rawValue)); Ctrl-C stops it")
            let follower = LogFollower(path: server.logPath)
            while server.isRunning && !stopRequested.isSet {
                follower.forward()
                try? await Task.sleep(for: .milliseconds(100))
            }
            follower.forward()
            if stopRequested.isSet {
                await server.stop()
                registry.remove(model.runID)
                Terminal.standardError.writeLine("stopped \(model.manifest.reference)")
                return
            }
            registry.remove(model.runID)
            throw CLIFailure("the server of \(model.manifest.reference) stopped by itself (\(server.endedHow))")
        }
    }

    struct ProcessStatus: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "ps", abstract: "List the model servers that maxhub run started.")

        @OptionGroup var cacheOptions: CacheOptions

        @Flag(help: "Print the list as JSON.")
        var json = false

        func run() async throws {
            let records = RunRegistry(cache: try cacheOptions.packageCache()).running()
            if json { return try JSONOutput.write(records) }
            for record in records {
                let handle = record.containerName ?? record.pid.map { "pid \($0)" } ?? "-"
                let mode = record.detached ? "detached" : "foreground"
                Terminal.standardOutput.writeLine("\(record.name)@\(record.version)  \(record.url)  \(record.runtime.rawValue)  \(handle)  \(mode)")
            }
        }
    }

    struct Stop: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stop the servers of a model that maxhub run started.")

        @OptionGroup var cacheOptions: CacheOptions

        @Argument(help: "NAME, or NAME@VERSION for one version.")
        var reference: String

        func run() async throws {
            let parts = reference.split(separator: "@", maxSplits: 1).map(String.init)
            guard let name = ModelName(parts[0]) else { throw CLIFailure("invalid model name \"\(parts[0])\"", code: .usage) }
            let version = parts.count > 1 ? Version(parts[1]) : nil
            if parts.count > 1 && version == nil { throw CLIFailure("invalid version \"\(parts[1])\"", code: .usage) }
            let registry = RunRegistry(cache: try cacheOptions.packageCache())
            let matching = registry.running().filter { $0.name == name && (version == nil || $0.version == version) }
            guard !matching.isEmpty else { throw CLIFailure("no running server of \(reference)", code: .notFound) }
            for record in matching {
                if let container = record.containerName, record.runtime != .process {
                    ModelServer.runQuietly([record.runtime.rawValue, "stop", container])
                }
                if let pid = record.pid {
                    await ModelServer.terminateGroup(pid, grace: .seconds(10)) { ModelServer.processExists(pid) }
                }
                registry.remove(record.id)
                Terminal.standardOutput.writeLine("stopped \(record.name)@\(record.version)")
            }
        }
    }
}

/// Set once any of the signals arrives.
final class SignalLatch: @unchecked Sendable {
    private let lock = NSLock()
    private var set = false
    private var sources: [DispatchSourceSignal] = []

    init(_ signals: [Int32]) {
        for number in signals {
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [weak self] in
                guard let self else { return }
                lock.lock()
                set = true
                lock.unlock()
            }
            source.resume()
            sources.append(source)
        }
    }

    var isSet: Bool {
        lock.lock()
        defer { lock.unlock() }
        return set
    }
}

/// Copies what a server appends to its log to standard error.
final class LogFollower {
    let path: String
    private var offset: UInt64 = 0

    init(path: String) {
        self.path = path
    }

    func forward() {
        guard let handle = FileHandle(forReadingAtPath: path) else { return }
        defer { try? handle.close() }
        try? handle.seek(toOffset: offset)
        guard let data = try? handle.readToEnd(), !data.isEmpty else { return }
        offset += UInt64(data.count)
        FileHandle.standardError.write(data)
    }
}
