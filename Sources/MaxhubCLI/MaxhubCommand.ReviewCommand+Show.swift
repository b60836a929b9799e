import ArgumentParser
import MaxhubClient
import MaxhubCore

extension MaxhubCommand.ReviewCommand {
    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show what a reviewer decides on: the manifest's summary, declared licenses, files and publisher.")

        @OptionGroup var hub: HubOptions

        @Argument(help: "NAME@VERSION", transform: PackageReference.init(parsingExact:))
        var reference: PackageReference

        @Flag(help: "Print the version as JSON.")
        var json = false

        func run() async throws {
            let detail = try await hub.client().version(try reference.exactVersion(), of: reference.name)
            if json { return try JSONOutput.write(detail) }
            let manifest = try? detail.manifest.decode(Manifest.self)
            var lines = ["\(detail.name)@\(detail.version)  \(detail.state)"]
            if let manifest {
                lines.append("task:        \(manifest.task)")
                lines.append("description: \(manifest.description)")
                lines.append("declared:    code \(manifest.license.code), weights \(manifest.license.weights), data \(manifest.license.data)")
                if let source = manifest.source { lines.append("source:      \(source.url)") }
                if let dataset = manifest.dataset { lines.append("dataset:     \(dataset.name)") }
            }
            lines.append("published:   by \(detail.publishedBy) at \(HubJSON.format(detail.publishedAt))")
            lines.append("archive:     \(detail.archive.digest) (\(ByteCount.format(detail.archive.size)))")
            if let review = detail.review {
                lines.append("review:      \(review.decision) by \(review.reviewer) at \(HubJSON.format(review.reviewedAt))")
                lines.append("confirmed:   code \(review.license.code), weights \(review.license.weights), data \(review.license.data)")
                if let note = review.note { lines.append("note:        \(note)") }
            }
            if let reason = detail.yankReason { lines.append("yanked:      \(reason)") }
            if let files = manifest?.files {
                lines.append("files:")
                for file in files { lines.append("  \(file.path)  \(ByteCount.format(file.size))  sha256:\(file.sha256)") }
            }
            lines.forEach(Terminal.standardOutput.writeLine)
        }
    }
}
