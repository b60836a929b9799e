import ArgumentParser
import MaxhubClient
import MaxhubCore

extension MaxhubCommand {
    struct Stop: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stop the servers of a model that maxhub run started.")

        @OptionGroup var cacheOptions: CacheOptions

        @Argument(help: "NAME, or NAME@VERSION for one version.")
        var reference: String

        func run() async throws {
            let reference = try PackageReference(parsing: reference)
            if reference.range != nil && reference.version == nil {
                throw CLIFailure("invalid version \"\(reference.range?.text ?? "")\"", code: .usage)
            }
            let stopped = await RunRegistry(cache: try cacheOptions.packageCache()).stop(reference.name, version: reference.version)
            guard !stopped.isEmpty else { throw CLIFailure("no running server of \(reference)", code: .notFound) }
            for record in stopped { Terminal.standardOutput.writeLine("stopped \(record.name)@\(record.version)") }
        }
    }
}
