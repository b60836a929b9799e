import ArgumentParser
import MaxhubCore

extension MaxhubCommand {
    struct Token: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Manage the hub's bearer tokens (admin).",
            subcommands: [Create.self, List.self, Revoke.self]
        )
    }
}

extension Role: ExpressibleByArgument {}
