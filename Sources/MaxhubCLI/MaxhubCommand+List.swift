import ArgumentParser
import MaxhubClient

extension MaxhubCommand {
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "ls", abstract: "List the packages in the cache.")

        @OptionGroup var cacheOptions: CacheOptions

        @Flag(help: "Print the list as JSON.")
        var json = false

        struct Entry: Encodable {
            var name: String
            var version: String
            var path: String
        }

        func run() async throws {
            let entries = try cacheOptions.packageCache().cachedPackages().map {
                Entry(name: $0.name.description, version: $0.version.description, path: $0.path)
            }
            if json { return try JSONOutput.write(entries) }
            for entry in entries { Terminal.standardOutput.writeLine("\(entry.name)@\(entry.version)  \(entry.path)") }
        }
    }
}
