import ArgumentParser
import Foundation
import MaxhubClient
import MaxhubCore

extension MaxhubCommand.ReviewCommand {
    struct Reject: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Reject a pending version, saying why.")

        @OptionGroup var hub: HubOptions

        @Argument(help: "NAME@VERSION", transform: PackageReference.init(parsingExact:))
        var reference: PackageReference

        @Option(help: "Why the version is rejected (required).")
        var note: String

        func validate() throws {
            guard !note.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw ValidationError("--note must say why") }
        }

        func run() async throws {
            let detail = try await hub.client().review(
                try reference.exactVersion(), of: reference.name, ReviewRequest(decision: .reject, note: note))
            Terminal.standardOutput.writeLine("rejected \(detail.name)@\(detail.version)")
        }
    }
}
