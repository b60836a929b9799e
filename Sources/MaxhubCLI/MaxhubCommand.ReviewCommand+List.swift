import ArgumentParser
import MaxhubClient
import MaxhubCore

extension MaxhubCommand.ReviewCommand {
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the versions waiting for review, oldest first.")

        @OptionGroup var hub: HubOptions

        @Option(help: "pending, approved, rejected or yanked.")
        var state: ReviewState = .pending

        @Flag(help: "Print the queue as JSON.")
        var json = false

        func run() async throws {
            let queue = try await hub.client().reviews(state: state)
            if json { return try JSONOutput.write(queue) }
            guard !queue.versions.isEmpty else {
                return Terminal.standardOutput.writeLine("no \(state) versions")
            }
            for version in queue.versions {
                let license = version.license
                Terminal.standardOutput.writeLine(
                    "\(version.name)@\(version.version)  published by \(version.publishedBy) \(HubJSON.format(version.publishedAt))  "
                        + "code \(license.code), weights \(license.weights), data \(license.data)")
            }
        }
    }
}
