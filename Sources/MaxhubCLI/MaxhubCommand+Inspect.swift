import ArgumentParser
import Foundation
import MaxhubArchive
import MaxhubCore

extension MaxhubCommand {
    /// `maxhub inspect FILE`: an archive's entries with sizes and digests; unsafe archives refused.
    struct Inspect: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List a package archive's entries with sizes and digests, and check them.",
            discussion: """
                Refuses unsafe entries (absolute paths, .., links leaving the package, hard links, devices, fifos)
                naming the entry, and, when the archive carries maxhub.yaml, checks that its entries are exactly
                the manifest's files: with matching sizes and digests. Exits 4 when a check fails.
                """
        )

        @Argument(help: "The archive (.tar.zst, .tar.gz or .tar).")
        var archive: String

        @Option(help: "Refuse archives whose files add up to more than this many bytes.")
        var maxSize: Int64?

        @Flag(help: "Print the result as JSON.")
        var json = false

        struct Report: Encodable {
            struct Entry: Encodable {
                var path: String
                var kind: String
                var size: Int64
                var digest: String?
                var linkTarget: String?
            }

            var archive: String
            var digest: String
            var size: Int64
            var manifest: String?
            var entries: [Entry]
            var problems: [String]
        }

        func run() async throws {
            guard FileManager.default.fileExists(atPath: archive) else {
                throw CLIFailure("no archive at \(archive)", code: .notFound)
            }
            let inspector = ArchiveInspector(limits: ArchiveLimits(maxTotalSize: maxSize))
            let report: ArchiveInspector.Report
            do {
                report = try inspector.inspect(archiveAt: archive, capturing: Manifest.fileName)
            } catch {
                throw CLIFailure("\(archive): \(error.description)", code: .verificationFailed)
            }
            let entries = report.entries
            let capturedManifest = report.captured
            let archiveDigest = (digest: report.archiveDigest, size: report.archiveSize)
            var problems: [String] = []
            var manifest: Manifest?
            if let capturedManifest {
                do {
                    manifest = try Manifest(yaml: String(decoding: capturedManifest, as: UTF8.self))
                    if let manifest {
                        problems += PackageVerifier.verify(entries: entries, against: manifest).map(\.description)
                    }
                } catch {
                    problems += error.problems.map { "\(Manifest.fileName): \($0)" }
                }
            }
            if json {
                try JSONOutput.write(Report(
                    archive: archive, digest: archiveDigest.digest.description, size: archiveDigest.size,
                    manifest: manifest?.reference,
                    entries: entries.map { Report.Entry(path: $0.path, kind: $0.kind.rawValue, size: $0.size,
                                                       digest: $0.digest?.description, linkTarget: $0.linkTarget) },
                    problems: problems
                ))
            } else {
                for entry in entries {
                    let digest = entry.digest?.description ?? String(repeating: " ", count: 71)
                    let suffix = entry.linkTarget.map { " -> \($0)" } ?? (entry.kind == .directory ? "/" : "")
                    Terminal.standardOutput.writeLine("\(digest)  \(String(format: "%12lld", entry.size))  \(entry.path)\(suffix)")
                }
                let files = entries.filter { $0.kind == .file }
                let total = files.reduce(Int64(0)) { $0 + $1.size }
                let label = manifest.map { "\($0.reference), " } ?? ""
                Terminal.standardOutput.writeLine(
                    "\(label)\(files.count) files, \(ByteCount.format(total)) in \(ByteCount.format(archiveDigest.size)), \(archiveDigest.digest)"
                )
            }
            guard problems.isEmpty else {
                throw CLIFailure(
                    "\(archive) does not match its manifest:\n" + problems.map { "  \($0)" }.joined(separator: "\n"),
                    code: .verificationFailed
                )
            }
        }
    }
}
