import ArgumentParser
import Foundation
import MaxhubArchive
import MaxhubClient
import MaxhubCore
import MaxhubJSON

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
            let package = try prepare()
            defer { if let temporary = package.temporaryFolder { try? FileManager.default.removeItem(atPath: temporary) } }
            let name = package.manifest.name
            let version = package.manifest.version
            guard !dryRun else {
                return try report(Report(
                    name: name.description, version: version.description, digest: package.digest.description, size: package.size,
                    state: nil, uploaded: false, dryRun: true))
            }
            let detail: VersionDetail
            var uploaded = false
            do {
                let client = try hub.client()
                var reference = ArchiveReference(digest: package.digest, size: package.size)
                if try await !client.hasBlob(package.digest) {
                    let progress = TransferProgress(label: "uploading \(name)@\(version)", total: package.size)
                    reference = try await client.uploadBlob(at: package.archivePath, digest: package.digest, size: package.size) {
                        progress.update($0)
                    }
                    progress.finish()
                    uploaded = true
                }
                detail = try await client.publish(try JSONValue(json: package.manifest.canonicalJSON()), name: name, version: version, archive: reference)
            } catch let error as HubClientError {
                throw CLIFailure(error)
            }
            try report(Report(
                name: detail.name.description, version: detail.version.description, digest: detail.archive.digest.description,
                size: detail.archive.size, state: detail.state.rawValue, uploaded: uploaded, dryRun: false))
        }

        private func report(_ report: Report) throws {
            if json { return try JSONOutput.write(report) }
            Terminal.standardOutput.writeLine("\(report.name)@\(report.version)")
            Terminal.standardOutput.writeLine(report.digest)
            Terminal.standardOutput.writeLine(report.dryRun ? "dry run: nothing was sent" : report.state ?? "")
        }

        private struct Prepared {
            var manifest: Manifest
            var archivePath: String
            var digest: Digest
            var size: Int64
            var temporaryFolder: String?
        }

        /// Packs a folder into a temporary archive, or reads the manifest an archive carries and checks its files.
        private func prepare() throws -> Prepared {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
                throw CLIFailure("no package folder or archive at \(path)", code: .notFound)
            }
            if isFolder.boolValue {
                let temporary = FileManager.default.temporaryDirectory.appendingPathComponent("maxhub-publish-\(UUID().uuidString)").path
                try FileManager.default.createDirectory(atPath: temporary, withIntermediateDirectories: true)
                do {
                    let builder = PackageBuilder(folder: URL(fileURLWithPath: path))
                    let manifest = try builder.loadManifest().manifest
                    let archive = temporary + "/" + PackageBuilder.defaultArchiveName(for: manifest, compression: .zstd)
                    let result = try builder.pack(to: archive)
                    return Prepared(manifest: result.manifest, archivePath: archive, digest: result.digest, size: result.size, temporaryFolder: temporary)
                } catch {
                    try? FileManager.default.removeItem(atPath: temporary)
                    throw CLIFailure(error.description)
                }
            }
            let report: ArchiveInspector.Report
            do {
                report = try ArchiveInspector().inspect(archiveAt: path, capturing: Manifest.fileName)
            } catch {
                throw CLIFailure(error.description)
            }
            guard let captured = report.captured else {
                throw CLIFailure("\(path) has no \(Manifest.fileName); make archives with `maxhub pack`")
            }
            let manifest: Manifest
            do {
                manifest = try Manifest(yaml: String(decoding: captured, as: UTF8.self))
            } catch {
                throw CLIFailure("the manifest in \(path) is invalid: \(error)")
            }
            let mismatches = PackageVerifier.verify(entries: report.entries, against: manifest)
            guard mismatches.isEmpty else {
                throw CLIFailure("\(path) does not match its manifest: " + mismatches.map(\.description).joined(separator: "; "), code: .verificationFailed)
            }
            return Prepared(manifest: manifest, archivePath: path, digest: report.archiveDigest, size: report.archiveSize, temporaryFolder: nil)
        }
    }
}
