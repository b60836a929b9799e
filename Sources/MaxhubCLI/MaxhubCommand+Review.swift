import ArgumentParser
import Foundation
import MaxhubClient
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

extension MaxhubCommand.ReviewCommand {
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the versions waiting for review, oldest first.")

        @OptionGroup var hub: HubOptions

        @Option(help: "pending, approved, rejected or yanked.")
        var state: ReviewState = .pending

        @Flag(help: "Print the queue as JSON.")
        var json = false

        func run() async throws {
            let queue = try await hub.call { try await $0.reviews(state: state) }
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

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show what a reviewer decides on: the manifest's summary, declared licenses, files and publisher.")

        @OptionGroup var hub: HubOptions

        @Argument(help: "NAME@VERSION")
        var reference: VersionReference

        @Flag(help: "Print the version as JSON.")
        var json = false

        func run() async throws {
            let detail = try await hub.call { try await $0.version(reference.version, of: reference.name) }
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

    struct Approve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Approve a pending version, confirming its declared licenses or correcting them.")

        @OptionGroup var hub: HubOptions

        @Argument(help: "NAME@VERSION")
        var reference: VersionReference

        @Option(name: .customLong("code-license"), help: "The SPDX license of the code, if not as declared.")
        var codeLicense: String?

        @Option(name: .customLong("weights-license"), help: "The SPDX license of the weights, if not as declared.")
        var weightsLicense: String?

        @Option(name: .customLong("data-license"), help: "The SPDX license of the training data, if not as declared.")
        var dataLicense: String?

        @Option(help: "A note for the record.")
        var note: String?

        func run() async throws {
            let verdict = LicenseVerdict(code: codeLicense, weights: weightsLicense, data: dataLicense)
            let request = ReviewRequest(decision: .approve, license: verdict == LicenseVerdict() ? nil : verdict, note: note)
            let detail = try await hub.call { try await $0.review(reference.version, of: reference.name, request) }
            let license = detail.license
            Terminal.standardOutput.writeLine(
                "approved \(detail.name)@\(detail.version): code \(license.code), weights \(license.weights), data \(license.data)")
        }
    }

    struct Reject: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Reject a pending version, saying why.")

        @OptionGroup var hub: HubOptions

        @Argument(help: "NAME@VERSION")
        var reference: VersionReference

        @Option(help: "Why the version is rejected (required).")
        var note: String

        func validate() throws {
            guard !note.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw ValidationError("--note must say why") }
        }

        func run() async throws {
            let detail = try await hub.call {
                try await $0.review(reference.version, of: reference.name, ReviewRequest(decision: .reject, note: note))
            }
            Terminal.standardOutput.writeLine("rejected \(detail.name)@\(detail.version)")
        }
    }
}
