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

    /// Packs the folder into `outputPath`, by default `defaultArchiveName` in the working folder.
    public func pack(to outputPath: String? = nil) throws(PackageError) -> Result {
        let loaded = try loadManifest()
        var manifest = loaded.manifest
        let outputPath = outputPath ?? Self.defaultArchiveName(for: manifest, compression: compression)
        let outputURL = URL(fileURLWithPath: outputPath)
        let collected: [PackageFile]
        do {
            let excluded = [outputURL.standardizedFileURL.path] + Self.earlierArchives(of: manifest, in: folder)
            collected = try PackageFileCollector(root: folder.path, excluding: excluded).collect()
        } catch {
            throw .archive(error)
        }
        let present = Set(collected.map(\.path))
        let missing = manifest.referencedFiles.filter { !present.contains($0.file) }
        guard missing.isEmpty else {
            throw .manifest(.invalid(missing.map { ManifestProblem(path: $0.path, message: "\"\($0.file)\" is not in the package folder") }))
        }
        let packed: (digest: Digest, size: Int64)
        do {
            let writer = try ReproducibleArchiveWriter(writingTo: outputPath, compression: compression)
            var files: [Manifest.File] = []
            for file in collected {
                let entry = try writer.addFile(at: file.absolutePath, as: file.path)
                files.append(Manifest.File(path: entry.path, size: entry.size, digest: entry.digest))
            }
            manifest.files = files
            _ = try writer.addTrailer(Array(manifest.canonicalYAML().utf8), as: Manifest.fileName)
            packed = try writer.finish()
        } catch {
            throw .archive(error)
        }
        var updated = false
        if updatesManifestFile {
            let newText = manifest.replacingFilesSection(in: loaded.text)
            if newText != loaded.text {
                do {
                    try Data(newText.utf8).write(to: folder.appendingPathComponent(Manifest.fileName), options: .atomic)
                } catch {
                    throw .cannotUpdateManifest(folder.appendingPathComponent(Manifest.fileName).path, "\(error.localizedDescription)")
                }
                updated = true
            }
        }
        return Result(manifest: manifest, archivePath: outputPath, digest: packed.digest, size: packed.size, updatedManifestFile: updated)
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
