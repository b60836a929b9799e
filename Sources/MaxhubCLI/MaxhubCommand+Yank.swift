import ArgumentParser
import MaxhubClient
import MaxhubCore

extension MaxhubCommand {
    struct Yank: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Withdraw an approved version: ranges skip it, an exact pull still works. --undo restores it (admin)."
        )

        @OptionGroup var hub: HubOptions

        @Argument(help: "NAME@VERSION", transform: PackageReference.init(parsingExact:))
        var reference: PackageReference

        @Flag(help: "Restore a yanked version (admin).")
        var undo = false

        @Option(help: "Why, for the record and for those who pull it.")
        var reason: String?

        func run() async throws {
            let detail = try await hub.client().yank(try reference.exactVersion(), of: reference.name, YankRequest(undo: undo, reason: reason))
            Terminal.standardOutput.writeLine("\(undo ? "restored" : "yanked") \(detail.name)@\(detail.version) (\(detail.state))")
        }
    }
}
