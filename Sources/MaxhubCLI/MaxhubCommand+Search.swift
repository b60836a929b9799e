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
            let result = try await hub.call {
                try await $0.searchModels(
                    text: text.isEmpty ? nil : text, task: task, framework: framework, license: license, page: page, perPage: perPage)
            }
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

    struct Info: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a model and its versions, or the version a range picks.")

        @OptionGroup var hub: HubOptions

        @Argument(help: "NAME, or NAME@RANGE for one version.")
        var reference: String

        @Flag(help: "Let the range pick prereleases.")
        var pre = false

        @Flag(help: "Print the model or version as JSON.")
        var json = false

        func run() async throws {
            let (name, range) = try Pull.parse(reference)
            if reference.contains("@") {
                let detail = try await hub.call { client in
                    let resolution = try await client.resolve(name, range: range.text, includePrerelease: pre)
                    return try await client.version(resolution.version, of: name)
                }
                if json { return try JSONOutput.write(detail) }
                let license = detail.license
                var lines = [
                    "\(detail.name)@\(detail.version)  \(detail.state)",
                    "licenses:  code \(license.code), weights \(license.weights), data \(license.data)",
                    "archive:   \(detail.archive.digest) (\(ByteCount.format(detail.archive.size)))",
                    "published: by \(detail.publishedBy) at \(HubJSON.format(detail.publishedAt))",
                ]
                if let manifest = try? detail.manifest.decode(Manifest.self) {
                    lines.insert("task:      \(manifest.task)", at: 1)
                    lines.insert("about:     \(manifest.description)", at: 2)
                    lines.append("serving:   \(manifest.serving.api) on port \(manifest.serving.port)")
                }
                return lines.forEach(Terminal.standardOutput.writeLine)
            }
            let model = try await hub.call { try await $0.model(name) }
            if json { return try JSONOutput.write(model) }
            let summary = model.summary
            Terminal.standardOutput.writeLine("\(summary.name)  latest \(summary.latestVersion)  \(summary.task)")
            Terminal.standardOutput.writeLine(summary.description)
            Terminal.standardOutput.writeLine(
                "licenses: code \(summary.license.code), weights \(summary.license.weights), data \(summary.license.data)")
            for version in model.versions {
                Terminal.standardOutput.writeLine(
                    "  \(version.version)  \(version.state)  \(ByteCount.format(version.archive.size))  \(HubJSON.format(version.publishedAt))")
            }
        }
    }
}
