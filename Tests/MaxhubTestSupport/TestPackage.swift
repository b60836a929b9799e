import Foundation
import MaxhubArchive
import MaxhubCore
import MaxhubJSON

/// A real package: a folder with a manifest and files, packed by `PackageBuilder` into a reproducible archive.
/// `serving` is the manifest's `serving:` block, one setting a line.
public struct TestPackage: Sendable {
    public let name: ModelName
    public let version: Version
    /// The packed manifest (with `files:`) as JSON, as a client publishes it.
    public let manifest: JSONValue
    public let archive: [UInt8]
    public let reference: ArchiveReference
    /// Every file of the extracted package, `maxhub.yaml` included: path → sha256 (hex), as a signature lists them.
    public let extractedFiles: [String: String]

    public static func make(
        name: String = "digits-classifier", version: String = "1.0.0", task: String = "image-classification",
        description: String = "Handwritten digit classifier (8x8 grayscale).", license: String = "Apache-2.0",
        framework: String? = "onnxruntime", files: [String: String] = ["model.onnx": "weights", "serve.py": "print('hi')\n"],
        serving: String = "api: max\nport: 5000\ncommand: [python3, serve.py]"
    ) throws -> TestPackage {
        let folder = try makeTemporaryFolder("maxhub-package")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var yaml = """
            name: \(name)
            version: \(version)
            task: \(task)
            description: "\(description)"
            license:
              code: \(license)
              weights: \(license)
              data: CC-BY-4.0
            inputs:
            - name: x
              type: tensor
            outputs:
            - name: y
              type: tensor
            serving:

            """
        yaml += serving.split(separator: "\n").map { "  \($0)\n" }.joined()
        if let framework { yaml += "framework:\n  name: \(framework)\n" }
        try yaml.write(toFile: folder + "/maxhub.yaml", atomically: true, encoding: .utf8)
        for (path, contents) in files {
            let target = folder + "/" + path
            try FileManager.default.createDirectory(
                atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try contents.write(toFile: target, atomically: true, encoding: .utf8)
        }
        let archivePath = folder + "/package.tar.zst"
        let result = try PackageBuilder(folder: URL(fileURLWithPath: folder), compression: .zstd).pack(to: archivePath)
        let archive = try [UInt8](Data(contentsOf: URL(fileURLWithPath: archivePath)))
        var extracted: [String: String] = [:]
        for entry in try ArchiveInspector().inspect(archiveAt: archivePath) where entry.kind == .file {
            extracted[entry.path] = entry.digest?.hex
        }
        return TestPackage(
            name: result.manifest.name,
            version: result.manifest.version,
            manifest: try JSONValue(json: result.manifest.canonicalJSON()),
            archive: archive,
            reference: ArchiveReference(digest: result.digest, size: result.size),
            extractedFiles: extracted
        )
    }
}
