import ArgumentParser
import Foundation
import MaxhubArchive
import MaxhubClient

extension MaxhubCommand {
    struct Publish: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Publish a package folder (packed reproducibly first) or a packed archive to the hub (curator).",
            discussion: """
                A folder is packed straight into the upload, reading each file once; no archive is written unless \
                --keep. The archive is uploaded only when the hub does not have it yet (a folder packed before is \
                recognised without reading its files); an upload cut off by the network resumes. Then the manifest \
                is published and the new version waits for review. Prints NAME@VERSION, the archive's digest and \
                the version's state.
                """
        )

        @OptionGroup var hub: HubOptions

        @Argument(help: "A package folder, or an archive made by `maxhub pack`.")
        var path: String

        @Flag(name: .customLong("dry-run"), help: "Validate and pack, and say what would be published, without contacting the hub.")
        var dryRun = false

        @Flag(help: "Keep the packed archive (NAME-VERSION.tar.zst in the working folder) when publishing a folder.")
        var keep = false

        @Flag(help: "Compress a folder's archive with gzip instead of zstd.")
        var gzip = false

        @OptionGroup var cache: CacheOptions

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
            let publisher = PackagePublisher(
                client: try hub.client(), records: PackRecords(cache: try cache.packageCache()), compression: gzip ? .gzip : .zstd)
            let kept = try keptArchivePath()
            let outcome: PackagePublisher.Outcome
            if dryRun {
                outcome = try publisher.dryRun(path, keepingAt: kept)
            } else {
                let estimate = PackagePublisher.estimatedSize(of: path)
                let progress = TransferProgress(label: "publishing \(URL(fileURLWithPath: path).lastPathComponent)", total: estimate)
                defer { progress.finish() }
                outcome = try await publisher.publish(path, keepingAt: kept) { progress.update($0, total: max($0, estimate)) }
            }
            if let kept, outcome.packed, !json { Terminal.standardError.writeLine("kept the archive at \(kept)") }
            try report(Report(
                name: outcome.manifest.name.description, version: outcome.manifest.version.description,
                digest: outcome.digest.description, size: outcome.size, state: outcome.detail?.state.rawValue,
                uploaded: outcome.uploaded, dryRun: dryRun))
        }

        /// Where `--keep` writes a folder's archive: NAME-VERSION.tar.zst in the working folder.
        private func keptArchivePath() throws -> String? {
            guard keep else { return nil }
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue else { return nil }
            let builder = PackageBuilder(folder: URL(fileURLWithPath: path), compression: gzip ? .gzip : .zstd)
            do {
                return PackageBuilder.defaultArchiveName(for: try builder.loadManifest().manifest, compression: builder.compression)
            } catch {
                throw CLIFailure(error.description)
            }
        }

        private func report(_ report: Report) throws {
            if json { return try JSONOutput.write(report) }
            Terminal.standardOutput.writeLine("\(report.name)@\(report.version)")
            Terminal.standardOutput.writeLine(report.digest)
            Terminal.standardOutput.writeLine(report.dryRun ? "dry run: nothing was sent" : report.state ?? "")
        }
    }
}
