import Foundation
import MaxhubArchive
import MaxhubCore
import MaxhubJSON

/// `maxhub publish`: a package folder (packed reproducibly first) or a packed archive, uploaded only when the hub does
/// not have it yet, then published as a version that waits for review.
public struct PackagePublisher: Sendable {
    public var client: HubClient

    public init(client: HubClient) {
        self.client = client
    }

    /// An archive ready to send, with the manifest it carries.
    public struct PreparedPackage: Sendable {
        public var manifest: Manifest
        public var archivePath: String
        public var digest: Digest
        public var size: Int64
        /// The folder holding an archive packed for this publish, removed by `discard()`.
        public var temporaryFolder: String?

        /// Removes the archive packed for this publish, if one was.
        public func discard() {
            if let temporaryFolder { try? FileManager.default.removeItem(atPath: temporaryFolder) }
        }
    }

    /// What the hub answered.
    public struct Outcome: Sendable {
        public var detail: VersionDetail
        /// Whether the archive was sent (false when the hub had it already).
        public var uploaded: Bool
    }

    /// Packs a folder into a temporary archive, or reads the manifest an archive carries and checks its files.
    public static func prepare(_ path: String) throws(PublishError) -> PreparedPackage {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else { throw .noPackage(path) }
        if isFolder.boolValue {
            let temporary = FileManager.default.temporaryDirectory.appendingPathComponent("maxhub-publish-\(UUID().uuidString)").path
            do {
                try FileManager.default.createDirectory(atPath: temporary, withIntermediateDirectories: true)
                let builder = PackageBuilder(folder: URL(fileURLWithPath: path))
                let manifest = try builder.loadManifest().manifest
                let archive = temporary + "/" + PackageBuilder.defaultArchiveName(for: manifest, compression: .zstd)
                let result = try builder.pack(to: archive)
                return PreparedPackage(
                    manifest: result.manifest, archivePath: archive, digest: result.digest, size: result.size, temporaryFolder: temporary)
            } catch {
                try? FileManager.default.removeItem(atPath: temporary)
                throw .packFailed("\(error)")
            }
        }
        let report: ArchiveInspector.Report
        do {
            report = try ArchiveInspector().inspect(archiveAt: path, capturing: Manifest.fileName)
        } catch {
            throw .packFailed(error.description)
        }
        guard let captured = report.captured else { throw .noManifest(path) }
        let manifest: Manifest
        do {
            manifest = try Manifest(yaml: String(decoding: captured, as: UTF8.self))
        } catch {
            throw .invalidManifest(path, "\(error)")
        }
        let mismatches = PackageVerifier.verify(entries: report.entries, against: manifest)
        guard mismatches.isEmpty else { throw .archiveMismatch(path, mismatches.map(\.description)) }
        return PreparedPackage(manifest: manifest, archivePath: path, digest: report.archiveDigest, size: report.archiveSize)
    }

    /// Uploads the archive unless the hub has it (`progress` gets the bytes sent so far), then publishes the manifest.
    public func publish(_ package: PreparedPackage, progress: @escaping @Sendable (Int64) -> Void = { _ in }) async throws -> Outcome {
        var reference = ArchiveReference(digest: package.digest, size: package.size)
        var uploaded = false
        if try await !client.hasBlob(package.digest) {
            reference = try await client.uploadBlob(at: package.archivePath, digest: package.digest, size: package.size, progress: progress)
            uploaded = true
        }
        let manifest = try JSONValue(json: package.manifest.canonicalJSON())
        let detail = try await client.publish(manifest, name: package.manifest.name, version: package.manifest.version, archive: reference)
        return Outcome(detail: detail, uploaded: uploaded)
    }
}
