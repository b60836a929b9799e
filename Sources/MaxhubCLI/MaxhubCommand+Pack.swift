import ArgumentParser
import Foundation
import MaxhubArchive
import MaxhubClient
import MaxhubCore

extension MaxhubCommand {
    /// `maxhub pack DIR [-o FILE]`: one reproducible archive, and the `files:` list filled in.
    struct Pack: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Pack a package folder into a reproducible archive and print its digest.",
            discussion: """
                Writes a tar archive compressed with zstd (gzip with --gzip): every regular file of the folder
                but maxhub.yaml, hidden files and what .maxhubignore lists, sorted, with fixed owners, modes and
                times, then the canonical manifest. The same folder always gives the same digest. The files' sizes
                and digests are written into the files: list of the folder's maxhub.yaml (other lines are kept).
                The digest is the last line on standard output.
                """
        )

        @Argument(help: "The package folder.")
        var directory = "."

        @Option(name: [.short, .customLong("output")], help: "The archive to write (default: NAME-VERSION.tar.zst here).")
        var output: String?

        @Flag(help: "Compress with gzip instead of zstd.")
        var gzip = false

        @Flag(name: .customLong("no-update"), help: "Leave the folder's maxhub.yaml as it is.")
        var noUpdate = false

        @OptionGroup var cache: CacheOptions

        @Flag(help: "Print the result as JSON.")
        var json = false

        struct Report: Encodable {
            var name: String
            var version: String
            var archive: String
            var digest: String
            var size: Int64
            var files: [Manifest.File]
        }

        func run() async throws {
            let compression: ArchiveCompression = gzip ? .gzip : .zstd
            let builder = PackageBuilder(
                folder: URL(fileURLWithPath: directory), compression: compression, updatesManifestFile: !noUpdate
            )
            let result: PackageBuilder.Result
            let plannedAt = Date()
            let plan: PackageBuilder.Plan
            do throws(PackageError) {
                let manifest = try builder.loadManifest().manifest
                let outputPath = output ?? PackageBuilder.defaultArchiveName(for: manifest, compression: compression)
                plan = try builder.plan(excluding: [outputPath])
                result = try builder.pack(plan, to: outputPath)
            } catch {
                throw CLIFailure(error.description)
            }
            // A later publish of the unchanged folder knows the digest without packing again.
            PackRecords(cache: try cache.packageCache()).remember(
                plan, compression: compression, plannedAt: plannedAt, digest: result.digest, size: result.size,
                files: result.manifest.files ?? [])
            if json {
                try JSONOutput.write(Report(
                    name: result.manifest.name.description, version: result.manifest.version.description,
                    archive: result.archivePath, digest: result.digest.description, size: result.size,
                    files: result.manifest.files ?? []
                ))
                return
            }
            let count = result.manifest.files?.count ?? 0
            Terminal.standardOutput.writeLine(
                "packed \(result.manifest.reference): \(count) file\(count == 1 ? "" : "s"), "
                    + "\(ByteCount.format(result.contentSize)) → \(result.archivePath) (\(ByteCount.format(result.size)))"
            )
            if result.updatedManifestFile {
                let manifestFile = URL(fileURLWithPath: directory).appendingPathComponent(Manifest.fileName).path
                Terminal.standardOutput.writeLine("updated files: in \(manifestFile)")
            }
            Terminal.standardOutput.writeLine(result.digest.description)
        }
    }
}
