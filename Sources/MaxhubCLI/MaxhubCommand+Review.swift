import ArgumentParser
import MaxhubCore

extension MaxhubCommand {
    struct ReviewCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "review",
            abstract: "Review the IP (code, weights and data licenses) of published versions (reviewer).",
            subcommands: [List.self, Show.self, Approve.self, Reject.self]
        )
    }
}

extension ReviewState: ExpressibleByArgument {}
