import Foundation
import MaxhubCore
import MaxhubJSON
import MaxhubStore

/// Small factories for catalog tests.
enum CatalogFixtures {
    /// A fixed time with a sub-millisecond part, to exercise truncation.
    static let time = Date(timeIntervalSince1970: 1_800_000_000.123_456)

    static func makeManifest(
        name: String = "digits-classifier", version: String = "1.0.0", task: String = "image-classification",
        description: String = "Handwritten digit classifier (8x8 grayscale).",
        license: Manifest.Licenses = .init(code: "Apache-2.0", weights: "Apache-2.0", data: "CC-BY-4.0"),
        framework: String? = "onnxruntime"
    ) throws -> Manifest {
        Manifest(
            name: try ModelName(parsing: name), version: try Version(parsing: version), task: task, description: description,
            license: license, framework: framework.map { Manifest.Framework(name: $0) },
            inputs: [Manifest.Input(name: "x", type: "tensor")], outputs: [Manifest.Output(name: "y", type: "tensor")],
            serving: Manifest.Serving(api: "max", port: 5000, command: ["python3", "serve.py"])
        )
    }

    static func makeVersion(
        name: String = "digits-classifier", version: String = "1.0.0", task: String = "image-classification",
        description: String = "Handwritten digit classifier (8x8 grayscale).",
        license: Manifest.Licenses = .init(code: "Apache-2.0", weights: "Apache-2.0", data: "CC-BY-4.0"),
        framework: String? = "onnxruntime", publishedBy: String = "alice", publishedAt: Date = time, readme: ModelCard? = nil
    ) throws -> NewVersion {
        let manifest = try makeManifest(
            name: name, version: version, task: task, description: description, license: license, framework: framework
        )
        return NewVersion(
            manifest: manifest, manifestJSON: try JSONValue(encoding: manifest),
            archive: ArchiveReference(digest: Digest.of(Data("\(name)@\(version)".utf8)), size: 4096),
            publishedBy: publishedBy, publishedAt: publishedAt, readme: readme
        )
    }

    static func makeToken(user: String = "alice", roles: [Role] = [.curator], createdBy: String = "admin", at: Date = time) -> NewToken {
        NewToken(user: user, roles: roles, hash: TokenSecret.hash(of: TokenSecret.generate()), createdBy: createdBy, createdAt: at)
    }

    static func name(_ text: String) throws -> ModelName { try ModelName(parsing: text) }

    static func version(_ text: String) throws -> Version { try Version(parsing: text) }
}
