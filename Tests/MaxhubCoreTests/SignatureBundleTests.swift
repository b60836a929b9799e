import Foundation
import MaxhubTestSupport
import Testing

@testable import MaxhubCore

/// The signature format against the OpenSSF model-signing tool itself (PyPI `model-signing` 1.1.1, in the test venv):
/// what maxhub signs, `model_signing verify key` accepts, and what `model_signing sign key` makes, maxhub verifies.
@Suite(.onTestThreads) struct SignatureBundleTests {
    /// A model folder whose names sort differently as strings and as paths (`a-b/c` and `a/b`), with a git file the
    /// tool leaves out.
    static func writeModel(_ scratch: TestFolder) throws -> (folder: String, files: [String: String]) {
        let contents: [String: String] = [
            "maxhub.yaml": "name: demo\nversion: 1.0.0\n", "model.onnx": "weights", "a/b": "one", "a-b/c": "two",
            "data/Ünïcode.txt": "three", ".gitignore": "*.tmp\n",
        ]
        var files: [String: String] = [:]
        for (path, text) in contents {
            _ = try scratch.write("model/\(path)", text)
            files[path] = Digest.of(Array(text.utf8)).hex
        }
        return (scratch.path("model"), files)
    }

    static func modelSigning() throws -> String {
        let python = try RepositoryLayout.python()
        return (python as NSString).deletingLastPathComponent + "/model_signing"
    }

    /// Runs the tool; its exit status and what it printed.
    static func runTool(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let result = try ToolRun.run(try modelSigning(), arguments)
        return (result.status, result.output)
    }

    @Test("model_signing verify key accepts what maxhub signs, and refuses a changed, an extra or a missing file")
    func theToolVerifiesMaxhubsBundles() throws {
        let scratch = try TestFolder()
        defer { scratch.remove() }
        let (folder, files) = try Self.writeModel(scratch)
        let key = HubSigningKey()
        let statement = FilesStatement(subject: "demo@1.0.0", files: files)
        #expect(!statement.resources.contains { $0.name == ".gitignore" })
        _ = try scratch.write("model.sig", try key.bundle(payload: statement.json()).json())
        _ = try scratch.write("hub.pub", key.publicKey.pem)
        let verify = ["verify", "key", "--signature", scratch.path("model.sig"), "--public_key", scratch.path("hub.pub"), folder]

        let accepted = try Self.runTool(verify)
        #expect(accepted.status == 0, "\(accepted.output)")

        _ = try scratch.write("model/model.onnx", "weightz")
        let changed = try Self.runTool(verify)
        #expect(changed.status != 0 && changed.output.contains("model.onnx"), "\(changed.output)")
        _ = try scratch.write("model/model.onnx", "weights")

        _ = try scratch.write("model/extra.bin", "more")
        let extra = try Self.runTool(verify)
        #expect(extra.status != 0 && extra.output.contains("extra.bin"), "\(extra.output)")
        try FileManager.default.removeItem(atPath: scratch.path("model/extra.bin"))

        try FileManager.default.removeItem(atPath: scratch.path("model/a/b"))
        let missing = try Self.runTool(verify)
        #expect(missing.status != 0, "\(missing.output)")

        // Another key's public half is refused.
        _ = try scratch.write("other.pub", HubSigningKey().publicKey.pem)
        let other = try Self.runTool(["verify", "key", "--signature", scratch.path("model.sig"), "--public_key", scratch.path("other.pub"), folder])
        #expect(other.status != 0, "\(other.output)")
    }

    @Test("maxhub verifies what model_signing sign key makes with the same key, and lists the files as the tool does")
    func maxhubVerifiesTheToolsBundles() throws {
        let scratch = try TestFolder()
        defer { scratch.remove() }
        let (folder, files) = try Self.writeModel(scratch)
        let key = HubSigningKey()
        _ = try scratch.write("key.pem", key.pem)
        let signed = try Self.runTool(["sign", "key", "--private_key", scratch.path("key.pem"), "--signature", scratch.path("tool.sig"), folder])
        try #require(signed.status == 0, "\(signed.output)")

        let bundle = try SignatureBundle(json: try scratch.read("tool.sig"))
        // The tool names the key by the sha256 of its PEM: maxhub writes the PEM byte for byte as the tool does.
        #expect(bundle.keyHint == key.publicKey.fingerprint)
        let (statement, verifiedBy) = try bundle.verifyFiles(files, trusting: [HubSigningKey().publicKey, key.publicKey])
        #expect(verifiedBy == key.publicKey)
        let ours = FilesStatement(subject: "model", files: files)
        #expect(statement.resources == ours.resources, "the same files in the same order")
        #expect(statement.rootDigest == ours.rootDigest)
        #expect(statement.statement.predicate.serialization.ignorePaths.map(Set.init) == Set(FilesStatement.ignoredPaths))

        var changed = files
        changed["model.onnx"] = Digest.of(Array("other".utf8)).hex
        #expect(throws: SignatureError.self) { try bundle.verifyFiles(changed, trusting: [key.publicKey]) }
        #expect(throws: SignatureError.unknownKey(hint: key.publicKey.fingerprint)) {
            try bundle.verifyFiles(files, trusting: [HubSigningKey().publicKey])
        }
    }

    @Test("the DSSE pre-authentication encoding is the specification's")
    func preAuthenticationEncoding() {
        let encoded = SignatureBundle.preAuthenticationEncoding(payloadType: "http://example.com/HelloWorld", payload: Array("hello world".utf8))
        #expect(String(decoding: encoded, as: UTF8.self) == "DSSEv1 29 http://example.com/HelloWorld 11 hello world")
    }

    @Test("a bundle with another media type, a forged signature or a statement that contradicts itself is refused")
    func badBundles() throws {
        let key = HubSigningKey()
        let files = ["maxhub.yaml": Digest.of([1]).hex, "w.bin": Digest.of([2]).hex]
        let bundle = try key.bundle(payload: FilesStatement(subject: "m", files: files).json())
        #expect(throws: Never.self) { try SignatureBundle(json: bundle.json()).verifyFiles(files, trusting: [key.publicKey]) }

        var wrongType = bundle
        wrongType.mediaType = "application/vnd.dev.sigstore.bundle+json;version=0.2"
        #expect(throws: SignatureError.self) { try SignatureBundle(json: wrongType.json()) }

        var forged = bundle
        forged.dsseEnvelope.signatures[0].sig = try key.bundle(payload: Array("{}".utf8)).dsseEnvelope.signatures[0].sig
        #expect(throws: SignatureError.badSignature(fingerprint: key.publicKey.fingerprint)) {
            try forged.verifyFiles(files, trusting: [key.publicKey])
        }

        var statement = FilesStatement(subject: "m", files: files)
        statement.statement.predicate.resources.removeLast()
        let inconsistent = try key.bundle(payload: statement.json())
        #expect(throws: SignatureError.self) { try inconsistent.verifyFiles(files, trusting: [key.publicKey]) }

        #expect(throws: SignatureError.self) { try SignatureBundle(json: Array("not json".utf8)) }
        #expect(throws: SignatureError.self) { try HubPublicKey(pem: "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n") }
    }

    @Test("the review statement names its version, archive and files statement, and is checked against them")
    func reviewStatements() throws {
        let key = HubSigningKey()
        let name = try ModelName(parsing: "demo")
        let version = try Version(parsing: "1.2.0")
        let archive = ArchiveReference(digest: Digest.of([7]), size: 10)
        let files = FilesStatement(subject: "demo@1.2.0", files: ["maxhub.yaml": Digest.of([1]).hex])
        let review = ReviewStatement(
            name: name, version: version, reviewer: "rita", reviewedAt: Date(timeIntervalSince1970: 1_800_000_000.7),
            license: .init(code: "MIT", weights: "Apache-2.0", data: "CC-BY-4.0"), note: "weights from the paper's release",
            publishedBy: "carl", archive: archive, filesDigest: files.rootDigest)
        let bundle = try key.bundle(payload: review.json())
        let (read, _) = try bundle.verifyReview(of: name, version, archive: archive.digest, filesDigest: files.rootDigest, trusting: [key.publicKey])
        #expect(read.predicate.reviewer == "rita" && read.predicate.licenses.weights == "Apache-2.0")
        #expect(read.predicate.reviewedAt == Date(timeIntervalSince1970: 1_800_000_000))
        #expect(throws: SignatureError.self) {
            try bundle.verifyReview(of: name, try Version(parsing: "1.2.1"), archive: archive.digest, filesDigest: files.rootDigest, trusting: [key.publicKey])
        }
        #expect(throws: SignatureError.self) {
            try bundle.verifyReview(of: name, version, archive: Digest.of([8]), filesDigest: files.rootDigest, trusting: [key.publicKey])
        }
        // A files bundle is not a review.
        #expect(throws: SignatureError.self) {
            try key.bundle(payload: files.json()).verifyReview(
                of: name, version, archive: archive.digest, filesDigest: files.rootDigest, trusting: [key.publicKey])
        }
    }
}
