import ArgumentParser
import MaxhubClient
import MaxhubCore

extension MaxhubCommand {
    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "rm", abstract: "Remove a package from the cache.")

        @OptionGroup var cacheOptions: CacheOptions

        @Argument(help: "NAME@VERSION", transform: PackageReference.init(parsingExact:))
        var reference: PackageReference

        func run() async throws {
            guard try cacheOptions.packageCache().removePackage(reference.name, try reference.exactVersion()) else {
                throw CLIFailure("\(reference) is not in the cache", code: .notFound)
            }
            Terminal.standardOutput.writeLine("removed \(reference)")
        }
    }
}
