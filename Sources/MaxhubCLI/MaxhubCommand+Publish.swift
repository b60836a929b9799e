import ArgumentParser
import MaxhubClient

extension MaxhubCommand {
    struct Publish: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Publish a package folder (packed reproducibly first) or a packed archive to the hub (curator).",
            discussion: """
                The archive is uploaded only when the hub does not have it yet; then the manifest is published and the \
                new version waits for review. Prints NAME@VERSION, the archive's digest and the version's state.
                """
        )

        @OptionGroup var hub: HubOptions

        @Argument(help: "A package folder, or an archive made by `maxhub pack`.")
        var path: String

        @Flag(name: .customLong("dry-run"), help: "Validate and pack, and say what would be published, without contacting the hub.")
        var dryRun = false

        @Flag(help: "Print the result as JSON.")
        var json = false

        struct Report: Encodable {
            var name: String
            var version: String
            var digest: String
            var size: Int64
            var state: String?
            var uploaded: Bool
            var dryRun: Bool

            enum CodingKeys: String, CodingKey {
                case name, version, digest, size, state, uploaded
                case dryRun = "dry_run"
            }
        }

        func run() async throws {
            let package = try PackagePublisher.prepare(path)
            defer { package.discard() }
            let name = package.manifest.name
            let version = package.manifest.version
            guard !dryRun else {
                return try report(Report(
                    name: name.description, version: version.description, digest: package.digest.description, size: package.size,
                    state: nil, uploaded: false, dryRun: true))
            }
            let progress = TransferProgress(label: "uploading \(name)@\(version)", total: package.size)
            let outcome: PackagePublisher.Outcome
            do {
                defer { progress.finish() }
                outcome = try await PackagePublisher(client: try hub.client()).publish(package) { progress.update($0) }
            }
            let detail = outcome.detail
            try report(Report(
                name: detail.name.description, version: detail.version.description, digest: detail.archive.digest.description,
                size: detail.archive.size, state: detail.state.rawValue, uploaded: outcome.uploaded, dryRun: false))
        }

        private func report(_ report: Report) throws {
            if json { return try JSONOutput.write(report) }
            Terminal.standardOutput.writeLine("\(report.name)@\(report.version)")
            Terminal.standardOutput.writeLine(report.digest)
            Terminal.standardOutput.writeLine(report.dryRun ? "dry run: nothing was sent" : report.state ?? "")
        }
    }
}
