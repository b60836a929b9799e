import ArgumentParser
import MaxhubClient

extension RuntimeChoice: ExpressibleByArgument {}

/// How `maxhub run` and `maxhub verify --claims` start a model.
struct LaunchOptions: ParsableArguments {
    @Option(help: "Where the server runs: auto picks docker, then podman (the first that answers and has the image), else process.")
    var runtime: RuntimeChoice = .auto

    @Option(help: "The port on 127.0.0.1 (default: the manifest's serving.port; 0 picks a free one).")
    var port: Int?

    @Option(help: "Seconds to wait for the server's health check.")
    var timeout: Int = 120

    @Flag(help: "Let the range pick prereleases.")
    var pre = false

    func options(detached: Bool = false, checkPort: Bool = true) -> ModelLauncher.Options {
        ModelLauncher.Options(runtime: runtime, port: port, includePrerelease: pre, detached: detached, checkPort: checkPort)
    }

    func launcher(hub: HubOptions, cache: CacheOptions) throws -> ModelLauncher {
        ModelLauncher(puller: try cache.puller(hub: hub)) { Terminal.standardError.writeLine($0) }
    }
}
