import ArgumentParser
import MaxhubClient
import MaxhubCore

extension MaxhubCommand {
    struct Search: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Search the catalog by words in names, descriptions and tasks.")

        @OptionGroup var hub: HubOptions

        @Argument(help: "Words to find (prefixes match); leave out to list everything.")
        var query: [String] = []

        @Option(help: "Only this task (image-classification, tabular-classification, ...).")
        var task: String?

        @Option(help: "Only this framework (onnxruntime, pytorch, ...).")
        var framework: String?

        @Option(help: "Only models with this SPDX license for code, weights or data.")
        var license: String?

        @Option(help: "Which page of results.")
        var page = 1

        @Option(name: .customLong("per-page"), help: "Results per page (1 to 100).")
        var perPage = 20

        @Flag(help: "Print the page as JSON.")
        var json = false

        func validate() throws {
            guard page >= 1 else { throw ValidationError("--page starts at 1") }
            guard (1...100).contains(perPage) else { throw ValidationError("--per-page must be from 1 to 100") }
        }

        func run() async throws {
            let text = query.joined(separator: " ")
            let result = try await hub.client().searchModels(
                text: text.isEmpty ? nil : text, task: task, framework: framework, license: license, page: page, perPage: perPage)
            if json { return try JSONOutput.write(result) }
            guard !result.models.isEmpty else { throw CLIFailure("no model matches", code: .notFound) }
            for model in result.models {
                Terminal.standardOutput.writeLine(
                    "\(model.name)@\(model.latestVersion)  \(model.task)  \(model.license.weights)  \(model.description)")
            }
            let shown = (page - 1) * perPage + result.models.count
            if shown < result.total {
                Terminal.standardError.writeLine("\(shown) of \(result.total); --page \(page + 1) for more")
            }
        }
    }
}
