import ArgumentParser
import MaxhubClient

extension MaxhubCommand {
    struct ProcessStatus: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "ps", abstract: "List the model servers that maxhub run started.")

        @OptionGroup var cacheOptions: CacheOptions

        @Flag(help: "Print the list as JSON.")
        var json = false

        func run() async throws {
            let records = await RunRegistry(cache: try cacheOptions.packageCache()).running()
            if json { return try JSONOutput.write(records) }
            for record in records {
                let handle = record.containerName ?? record.pid.map { "pid \($0)" } ?? "-"
                let mode = record.detached ? "detached" : "foreground"
                Terminal.standardOutput.writeLine("\(record.name)@\(record.version)  \(record.url)  \(record.runtime.rawValue)  \(handle)  \(mode)")
            }
        }
    }
}
