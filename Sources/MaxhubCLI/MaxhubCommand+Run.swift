import ArgumentParser
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
                on 127.0.0.1; the container is named maxhub-NAME-VERSION and removed when it stops. auto takes docker, then \
                podman, when it answers and has the image, else the process runtime, and says why. The process runtime runs serving.command in the package folder with PORT, HOST and \
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
            let launcher = try launch.launcher(hub: hub, cache: cacheOptions)
            let model = try await launcher.prepare(try PackageReference(parsing: reference), launch.options(detached: detach, checkPort: !dryRun))
            if dryRun { return Terminal.standardOutput.writeLine(Self.dryRunLine(model)) }
            // Stopping starts with the first signal; until then they must not end this process.
            let stopRequested = SignalLatch([SIGINT, SIGTERM])
            let running = try await launcher.start(model, timeout: .seconds(launch.timeout)) { stopRequested.isSet }
            let reference = model.reference
            let runtime = model.plan.runtime.rawValue
            Terminal.standardOutput.writeLine(running.url)
            if detach {
                let logs = model.plan.containerName.map { "\(runtime) logs \($0)" } ?? "logs in \(running.server.logPath)"
                return Terminal.standardError.writeLine(
                    "\(reference) runs in the background (\(runtime)); \(logs); maxhub stop \(model.manifest.name) stops it")
            }
            Terminal.standardError.writeLine("serving \(reference) at \(running.url) (\(runtime)); Ctrl-C stops it")
            switch await running.serveInForeground(stopRequested: { stopRequested.isSet }) {
            case .stopped:
                Terminal.standardError.writeLine("stopped \(reference)")
            case .exited(let how):
                throw CLIFailure("the server of \(reference) stopped by itself (\(how))")
            }
        }

        /// The command `--dry-run` prints: the engine's command line, or for a process `cd PACKAGE && ENV... COMMAND`.
        static func dryRunLine(_ model: ModelLauncher.PreparedModel) -> String {
            guard model.plan.runtime == .process else { return model.plan.commandLine }
            let environment = model.plan.environment.sorted { $0.key < $1.key }.map { "\($0.key)=\(LaunchPlan.shellQuoted($0.value))" }
            return "cd \(LaunchPlan.shellQuoted(model.packagePath)) && " + (environment + [model.plan.commandLine]).joined(separator: " ")
        }
    }
}
