import Foundation
import MaxhubArchive
import MaxhubCore
import MaxhubTestSupport

/// A package folder with the awkward parts a real one can have.
enum PackageFixture {
    static let longPath = "deep/" + String(repeating: "nested-folder/", count: 6) + "file-with-a-long-name.txt"
    static let longName = "labels-" + String(repeating: "x", count: 110) + ".txt"
    static let unicodePath = "données/modèle-é.txt"

    /// Writes the package under `folder/relative` and returns its path.
    static func make(in folder: TestFolder, at relative: String = "package") throws -> String {
        try folder.write("\(relative)/maxhub.yaml", "name: fixture\nversion: 1.0.0\n")
        try folder.write("\(relative)/README.md", "# Fixture\n\nA model card.\n")
        try folder.write("\(relative)/model/weights.bin", makeNoise(count: 1_572_864 + 7, seed: 42))
        try folder.write("\(relative)/bin/serve.sh", "#!/bin/sh\necho serving\n", mode: 0o755)
        try folder.write("\(relative)/\(unicodePath)", "accents\n")
        try folder.write("\(relative)/\(longPath)", "deep\n")
        try folder.write("\(relative)/\(longName)", "0\n1\n2\n")
        try folder.write("\(relative)/empty.txt", [])
        return folder.path(relative)
    }

    /// Packs `root` the way `maxhub pack` does: the collected files in order, then the manifest as trailer.
    static func pack(
        _ root: String,
        to archivePath: String,
        compression: ArchiveCompression
    ) throws -> (digest: Digest, size: Int64, files: [PackedFile]) {
        let writer = try ReproducibleArchiveWriter(writingTo: archivePath, compression: compression)
        var packed: [PackedFile] = []
        for file in try PackageFileCollector(root: root, excluding: [archivePath]).collect() {
            packed.append(try writer.addFile(at: file.absolutePath, as: file.path))
        }
        let manifest = "files:\n" + packed.map { "  - { path: \($0.path), size: \($0.size), sha256: \($0.digest.hex) }\n" }.joined()
        packed.append(try writer.addTrailer(Array(manifest.utf8), as: "maxhub.yaml"))
        let (digest, size) = try writer.finish()
        return (digest, size, packed)
    }
}
