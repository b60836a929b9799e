import ArgumentParser
import MaxhubClient
import MaxhubCore

extension MaxhubCommand {
    struct Audit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Read the hub's append-only audit log, oldest first (admin).")

        @OptionGroup var hub: HubOptions

        @Option(help: "Only entries by this user.")
        var actor: String?

        @Option(help: "Only this action (version.publish, version.approve, version.reject, version.yank, token.create, ...).")
        var action: String?

        @Option(help: "Only this subject: NAME@VERSION, a model name for all its versions, or token:ID.")
        var subject: String?

        @Option(help: "How many entries at most.")
        var limit = 1000

        @Flag(help: "Print the entries as JSON.")
        var json = false

        func validate() throws {
            guard (1...1000).contains(limit) else { throw ValidationError("--limit must be from 1 to 1000") }
        }

        func run() async throws {
            let page = try await hub.client().audit(actor: actor, action: action, subject: subject, limit: limit)
            if json { return try JSONOutput.write(page.entries) }
            for entry in page.entries {
                var line = "\(entry.id)  \(HubJSON.format(entry.at))  \(entry.actor)  \(entry.action)  \(entry.subject)"
                if entry.fromState != nil || entry.toState != nil {
                    line += "  \(entry.fromState?.rawValue ?? "-") → \(entry.toState?.rawValue ?? "-")"
                }
                if let detail = entry.detail { line += "  \(detail)" }
                Terminal.standardOutput.writeLine(line)
            }
        }
    }
}
