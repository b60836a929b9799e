import Foundation
import MaxhubCore

/// Checks packaged files against a manifest's `files:` list: in a folder (`maxhub validate`) or in an
/// archive's entries (`maxhub inspect`, and the hub at publish).
public enum PackageVerifier {
    /// One file that does not match the manifest.
    public struct Mismatch: Equatable, Sendable, CustomStringConvertible {
        public var path: String
        public var problem: String

        public var description: String { "\(path): \(problem)" }
    }

    /// Checks the files of `folder` against `manifest.files`: each listed file present, a regular file,
    /// of the listed size and digest; and no file that pack would include left unlisted (archives of the
    /// model that pack left in the folder are not part of it).
    public static func verify(folder: URL, against manifest: Manifest) throws(ArchiveError) -> [Mismatch] {
        let listed = manifest.files ?? []
        let excluded = PackageBuilder.earlierArchives(of: manifest, in: folder)
        let present = try PackageFileCollector(root: folder.path, excluding: excluded).collect()
        let byPath = Dictionary(present.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
        var mismatches: [Mismatch] = []
        for file in listed {
            guard let found = byPath[file.path] else {
                mismatches.append(Mismatch(path: file.path, problem: "listed in files: but missing from the folder"))
                continue
            }
            guard found.size == file.size else {
                mismatches.append(Mismatch(path: file.path, problem: "size \(found.size) bytes, files: says \(file.size)"))
                continue
            }
            let actual: Digest
            do {
                actual = try FileDigester.digest(ofFileAt: found.absolutePath).digest
            } catch {
                mismatches.append(Mismatch(path: file.path, problem: error.description))
                continue
            }
            if actual.hex != file.sha256 {
                mismatches.append(Mismatch(path: file.path, problem: "checksum mismatch: expected sha256:\(file.sha256), got \(actual)"))
            }
        }
        let listedPaths = Set(listed.map(\.path))
        for file in present where !listedPaths.contains(file.path) {
            mismatches.append(Mismatch(path: file.path, problem: "not listed in files: (run maxhub pack to update the list)"))
        }
        return mismatches
    }

    /// Checks archive entries against `manifest.files`: exactly the listed files (plus the trailing
    /// `maxhub.yaml`), regular files only, with the listed sizes and digests.
    public static func verify(entries: [InspectedEntry], against manifest: Manifest) -> [Mismatch] {
        let listed = manifest.files ?? []
        let byPath = Dictionary(listed.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
        var seen: Set<String> = []
        var mismatches: [Mismatch] = []
        for entry in entries where entry.path != Manifest.fileName {
            if entry.kind == .directory { continue }
            seen.insert(entry.path)
            guard let file = byPath[entry.path] else {
                mismatches.append(Mismatch(path: entry.path, problem: "in the archive but not in files:"))
                continue
            }
            guard entry.kind == .file else {
                mismatches.append(Mismatch(path: entry.path, problem: "is a \(entry.kind.rawValue), files: lists a regular file"))
                continue
            }
            if entry.size != file.size {
                mismatches.append(Mismatch(path: entry.path, problem: "size \(entry.size) bytes, files: says \(file.size)"))
            } else if let digest = entry.digest, digest.hex != file.sha256 {
                mismatches.append(Mismatch(path: entry.path, problem: "checksum mismatch: expected sha256:\(file.sha256), got \(digest)"))
            }
        }
        for file in listed where !seen.contains(file.path) {
            mismatches.append(Mismatch(path: file.path, problem: "listed in files: but not in the archive"))
        }
        return mismatches
    }
}
