import Foundation
import MaxhubCore
import MaxhubJSON

/// Packs a package folder into one reproducible archive and fills in its manifest's `files:` list.
///
/// The archive holds every file `PackageFileCollector` finds, sorted, then the canonical manifest
/// (with `files:` filled in) as the trailing `maxhub.yaml`. Every file is read once: hashed for
/// `files:` while it streams into the archive, and the archive is hashed while it is written.
public struct PackageBuilder: Sendable {
    /// What a pack produced.
    public struct Result: Sendable {
        public var manifest: Manifest
        public var archivePath: String
        public var digest: Digest
        public var size: Int64
        /// Whether the folder's `maxhub.yaml` was rewritten with a new `files:` list.
        public var updatedManifestFile: Bool
        /// The total size of the packaged files, before compression.
        public var contentSize: Int64 { manifest.files?.reduce(0) { $0 + $1.size } ?? 0 }
    }

    public var folder: URL
    public var compression: ArchiveCompression
    /// Whether to write the filled-in `files:` list back into the folder's `maxhub.yaml`.
    public var updatesManifestFile: Bool

    public init(folder: URL, compression: ArchiveCompression = .zstd, updatesManifestFile: Bool = true) {
        self.folder = folder
        self.compression = compression
        self.updatesManifestFile = updatesManifestFile
    }

    /// The default archive name for a manifest: `name-version.tar.zst` (`owner--name-...` for owned names).
    public static func defaultArchiveName(for manifest: Manifest, compression: ArchiveCompression) -> String {
        "\(manifest.name.fileSystemName)-\(manifest.version)\(compression.fileSuffix)"
    }

    /// Reads the folder's manifest, ignoring a stale `files:` list (pack recomputes it).
    public func loadManifest() throws(PackageError) -> (manifest: Manifest, text: String) {
        let url = folder.appendingPathComponent(Manifest.fileName)
        guard let text = try? String(contentsOf: url, encoding: .utf8) else {
            throw .manifest(.missing(url.path))
        }
        do {
            var document = try JSONValue(yaml: text)
            document.removeFiles()
            return (try Manifest(document: document), text)
        } catch let error as ManifestError {
            throw .manifest(error)
        } catch {
            throw .manifest(.unreadable("\(error)"))
        }
    }

    /// Archives of this model that an earlier `maxhub pack` left at the package root (`name-1.0.0.tar.zst`):
    /// never part of a later version's package.
    static func earlierArchives(of manifest: Manifest, in folder: URL) -> [String] {
        let prefix = manifest.name.fileSystemName + "-"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { name in
            name.hasPrefix(prefix) && ArchiveCompression.allCases.contains { name.hasSuffix($0.fileSuffix) }
        }.map { folder.appendingPathComponent($0).standardizedFileURL.path }
    }

    /// What a pack of the folder will hold, found without reading a file's contents: the manifest (its `files:` not yet
    /// filled in) and the files, sorted, with their stamps.
    public struct Plan: Sendable {
        public var manifest: Manifest
        /// The folder's `maxhub.yaml` as it is on disk.
        public var manifestText: String
        public var files: [PackageFile]
    }

    /// Walks the folder and checks that every file the manifest refers to is there. Archives of this model left in the
    /// folder, and the paths in `excluding`, are left out.
    public func plan(excluding excludedPaths: [String] = []) throws(PackageError) -> Plan {
        let loaded = try loadManifest()
        let collected: [PackageFile]
        do {
            let excluded = excludedPaths.map { URL(fileURLWithPath: $0).standardizedFileURL.path } + Self.earlierArchives(of: loaded.manifest, in: folder)
            collected = try PackageFileCollector(root: folder.path, excluding: excluded).collect()
        } catch {
            throw .archive(error)
        }
        let present = Set(collected.map(\.path))
        let missing = loaded.manifest.referencedFiles.filter { !present.contains($0.file) }
        guard missing.isEmpty else {
            throw .manifest(.invalid(missing.map { ManifestProblem(path: $0.path, message: "\"\($0.file)\" is not in the package folder") }))
        }
        return Plan(manifest: loaded.manifest, manifestText: loaded.text, files: collected)
    }

    /// Packs the folder into `outputPath`, by default `defaultArchiveName` in the working folder.
    public func pack(to outputPath: String? = nil) throws(PackageError) -> Result {
        let manifestName = try loadManifest().manifest
        let outputPath = outputPath ?? Self.defaultArchiveName(for: manifestName, compression: compression)
        return try pack(try plan(excluding: [outputPath]), to: outputPath)
    }

    /// Packs planned files into `outputPath` (which the plan must have left out).
    public func pack(_ plan: Plan, to outputPath: String) throws(PackageError) -> Result {
        let packed = try write(plan) { () throws(ArchiveError) in
            try ReproducibleArchiveWriter(writingTo: outputPath, compression: compression)
        }
        let updated = try updateManifestFile(plan, with: packed.manifest)
        return Result(manifest: packed.manifest, archivePath: outputPath, digest: packed.digest, size: packed.size, updatedManifestFile: updated)
    }

    /// What `pack(_:streamingTo:)` produced: the manifest with `files:` filled in, and the archive's digest and size.
    public struct Streamed: Sendable {
        public var manifest: Manifest
        public var digest: Digest
        public var size: Int64
        public var updatedManifestFile: Bool
    }

    /// Packs the planned files straight into `pipe` (an upload drains it on another thread), reading each file once;
    /// with `keepingAt`, the archive also goes to a file there. `finish` of the pipe comes after the last byte; an
    /// error fails it. Blocks the calling thread whenever the pipe is full.
    public func pack(_ plan: Plan, streamingTo pipe: BytePipe, keepingAt keptPath: String? = nil) throws(PackageError) -> Streamed {
        let label = Self.defaultArchiveName(for: plan.manifest, compression: compression)
        let packed: (manifest: Manifest, digest: Digest, size: Int64)
        do {
            packed = try write(plan) { () throws(ArchiveError) in
                try ReproducibleArchiveWriter(streamingTo: pipe, label: label, keepingAt: keptPath, compression: compression)
            }
        } catch {
            pipe.fail("\(error)")
            throw error
        }
        let updated = try updateManifestFile(plan, with: packed.manifest)
        return Streamed(manifest: packed.manifest, digest: packed.digest, size: packed.size, updatedManifestFile: updated)
    }

    private func write(
        _ plan: Plan, into makeWriter: () throws(ArchiveError) -> ReproducibleArchiveWriter
    ) throws(PackageError) -> (manifest: Manifest, digest: Digest, size: Int64) {
        var manifest = plan.manifest
        do {
            let writer = try makeWriter()
            var files: [Manifest.File] = []
            for file in plan.files {
                let entry = try writer.addFile(at: file.absolutePath, as: file.path)
                files.append(Manifest.File(path: entry.path, size: entry.size, digest: entry.digest))
            }
            manifest.files = files
            _ = try writer.addTrailer(Array(manifest.canonicalYAML().utf8), as: Manifest.fileName)
            let packed = try writer.finish()
            return (manifest, packed.digest, packed.size)
        } catch {
            throw .archive(error)
        }
    }

    /// Writes the filled-in `files:` list back into the folder's `maxhub.yaml` (when `updatesManifestFile`); whether
    /// the file changed.
    public func updateManifestFile(_ plan: Plan, with manifest: Manifest) throws(PackageError) -> Bool {
        guard updatesManifestFile else { return false }
        let newText = manifest.replacingFilesSection(in: plan.manifestText)
        guard newText != plan.manifestText else { return false }
        do {
            try Data(newText.utf8).write(to: folder.appendingPathComponent(Manifest.fileName), options: .atomic)
        } catch {
            throw .cannotUpdateManifest(folder.appendingPathComponent(Manifest.fileName).path, "\(error.localizedDescription)")
        }
        return true
    }
}

extension JSONValue {
    /// Drops a top-level `files` key (the list `maxhub pack` computes).
    mutating func removeFiles() {
        if case .object(var members) = self {
            members["files"] = nil
            self = .object(members)
        }
    }
}
