import Foundation
import MaxhubCore
import MaxhubTestSupport
import Testing

/// Signed approvals end to end: `maxhub pull` checks the hub's signature before anything reaches the cache, and the
/// OpenSSF model-signing tool (PyPI `model-signing` 1.1.1, in the test venv) verifies the cached folder with it.
@Suite("Signed approvals: pull, verify, info, key pinning and rotation, with the OpenSSF tool", .onTestThreads, .serialized)
struct SignedPullTests {
    /// A hub with a curator and a reviewer, and a way to publish and approve versions of one package.
    struct Setup {
        let harness: CLIHarness
        let hub: RunningHub
        let data: String
        let curator: String
        let reviewer: String

        init() throws {
            harness = try CLIHarness()
            data = harness.url("hub").path
            hub = try RunningHub(dataFolder: data)
            let admin = try #require(hub.printedAdminToken)
            let harness = harness
            let url = hub.url
            func token(_ user: String, _ role: String) throws -> String {
                try harness.run("token", "create", "--user", user, "--role", role, "--url", url, "--token", admin).stdout
                    .trimmingCharacters(in: .newlines)
            }
            curator = try token("carl", "curator")
            reviewer = try token("rita", "reviewer")
        }

        func publishApproved(_ version: String) throws {
            let folder = try PublishCommandTests.writePackage(version: version, weights: "weights of \(version)\n", in: harness)
            try "print('serving')\n".write(toFile: folder + "/serve.py", atomically: true, encoding: .utf8)
            let published = try harness.run("publish", folder, "--url", hub.url, "--token", curator)
            #expect(published.status == 0, "\(published.stderr)")
            let approved = try harness.run(
                "review", "approve", "digits-classifier@\(version)", "--note", "weights from the authors", "--url", hub.url, "--token", reviewer)
            #expect(approved.status == 0, "\(approved.stderr)")
        }

        func pull(_ reference: String, cache: String, _ extra: [String] = []) throws -> CLIHarness.Result {
            try harness.run(["pull", reference, "--cache", cache, "--url", hub.url] + extra)
        }

        func cleanUp() {
            hub.stop()
            harness.cleanUp()
        }

        /// Runs SQL on the hub's catalog with Python's sqlite3 (the hub keeps serving; SQLite locks per write).
        func sql(_ statement: String, _ parameters: [String] = []) throws -> String {
            let script = """
                import json, sqlite3, sys
                db = sqlite3.connect(sys.argv[1], timeout=30)
                rows = db.execute(sys.argv[2], json.loads(sys.argv[3])).fetchall()
                db.commit()
                print("\\n".join(str(row[0]) for row in rows))
                """
            let arguments = [script, data + "/catalog.sqlite", statement, String(decoding: try JSONEncoder().encode(parameters), as: UTF8.self)]
            let (status, output) = try OpenAPIConformanceTests.run(try OpenAPIConformanceTests.python(), ["-c"] + arguments)
            guard status == 0 else { throw HubProcessError(message: "sqlite3: \(output)") }
            return output.trimmingCharacters(in: .newlines)
        }
    }

    static func modelSigning(_ arguments: [String]) throws -> (Int32, String) {
        let tool = (try OpenAPIConformanceTests.python() as NSString).deletingLastPathComponent + "/model_signing"
        return try OpenAPIConformanceTests.run(tool, arguments)
    }

    @Test("a pulled package verifies with model_signing and maxhub alike; a changed byte fails both; the tool's own bundle verifies")
    func theOpenSSFToolVerifiesAPulledPackage() throws {
        let setup = try Setup()
        defer { setup.cleanUp() }
        let harness = setup.harness
        try setup.publishApproved("1.0.0")
        let cache = harness.url("cache").path
        let pulled = try setup.pull("digits-classifier@1.0.0", cache: cache)
        #expect(pulled.status == 0, "\(pulled.stderr)")
        let folder = cache + "/packages/digits-classifier/1.0.0"
        let signature = folder + ".sig"
        #expect(FileManager.default.fileExists(atPath: signature))
        #expect(try String(contentsOfFile: cache + "/trust.json", encoding: .utf8).contains("hub-key \(setup.hub.url) "), "pinned on first contact")

        // The three commands of the README.
        let key = try Curl.run([setup.hub.url + "/api/v1/signing-key"])
        #expect(key.status == 200)
        try (key.body + "\n").write(toFile: harness.url("hub.pub").path, atomically: true, encoding: .utf8)
        let servedBundle = try Curl.run([setup.hub.url + "/api/v1/models/digits-classifier/versions/1.0.0/signature"])
        #expect(servedBundle.status == 200)
        #expect(servedBundle.body == (try String(contentsOfFile: signature, encoding: .utf8)), "the cache keeps the bundle the hub serves")
        let verify = ["verify", "key", "--signature", signature, "--public_key", harness.url("hub.pub").path, folder]
        let (status, output) = try Self.modelSigning(verify)
        #expect(status == 0, "\(output)")
        #expect(try harness.run(["verify", "digits-classifier@1.0.0", "--cache", cache, "--url", setup.hub.url]).status == 0)

        let info = try harness.run("info", "digits-classifier@1.0.0", "--url", setup.hub.url, "--cache", cache)
        #expect(info.status == 0, "\(info.stderr)")
        #expect(info.stdout.contains("reviewed:  approved by rita"), "\(info.stdout)")
        #expect(info.stdout.contains("signature: signed by the hub, key ") && info.stdout.contains("verifies, review by rita"), "\(info.stdout)")

        // A changed byte: the tool and maxhub verify both refuse.
        let original = try #require(FileManager.default.contents(atPath: folder + "/model.onnx"))
        try Data("weights of 1.0.1\n".utf8).write(to: URL(fileURLWithPath: folder + "/model.onnx"))
        let (changed, changedOutput) = try Self.modelSigning(verify)
        #expect(changed != 0, "\(changedOutput)")
        let refused = try harness.run(["verify", "digits-classifier@1.0.0", "--cache", cache, "--url", setup.hub.url])
        #expect(refused.status == 4 && refused.stderr.contains("model.onnx"), "\(refused.stderr)")
        try original.write(to: URL(fileURLWithPath: folder + "/model.onnx"))

        // A bundle the tool makes with the hub's own key over the cached folder verifies with maxhub's verifier.
        let privateKey = try setup.sql("SELECT private_key FROM signing_key ORDER BY id DESC LIMIT 1")
        try (privateKey + "\n").write(toFile: harness.url("hub.key").path, atomically: true, encoding: .utf8)
        let toolBundle = harness.url("tool.sig").path
        let (signed, signedOutput) = try Self.modelSigning(["sign", "key", "--private_key", harness.url("hub.key").path, "--signature", toolBundle, folder])
        try #require(signed == 0, "\(signedOutput)")
        try FileManager.default.removeItem(atPath: signature)
        try FileManager.default.copyItem(atPath: toolBundle, toPath: signature)
        let ours = try harness.run(["verify", "digits-classifier@1.0.0", "--cache", cache, "--url", setup.hub.url])
        #expect(ours.status == 0, "\(ours.stderr)")

        // A package cached without its signature (pulled before the hub signed) gets it checked against its files.
        try FileManager.default.removeItem(atPath: signature)
        #expect(try harness.run(["verify", "digits-classifier@1.0.0", "--cache", cache, "--url", setup.hub.url]).status == 4)
        let fetched = try setup.pull("digits-classifier@1.0.0", cache: cache)
        #expect(fetched.status == 0 && FileManager.default.fileExists(atPath: signature), "\(fetched.stderr)")
        try FileManager.default.removeItem(atPath: signature)
        try Data("weights of 1.0.1\n".utf8).write(to: URL(fileURLWithPath: folder + "/model.onnx"))
        let changedOnDisk = try setup.pull("digits-classifier@1.0.0", cache: cache)
        #expect(changedOnDisk.status == 4 && changedOnDisk.stderr.contains("model.onnx"), "\(changedOnDisk.stderr)")
        #expect(!FileManager.default.fileExists(atPath: signature))
    }

    @Test("a swapped, missing or foreign signature fails the pull with exit 4 and leaves the cache untouched")
    func aBadSignatureLeavesTheCacheUntouched() throws {
        let setup = try Setup()
        defer { setup.cleanUp() }
        let harness = setup.harness
        try setup.publishApproved("1.0.0")
        let cache = harness.url("cache").path
        // Pins the hub's key, then forgets the package.
        #expect(try setup.pull("digits-classifier@1.0.0", cache: cache).status == 0)
        #expect(try harness.run(["rm", "digits-classifier@1.0.0", "--cache", cache]).status == 0)
        try FileManager.default.removeItem(atPath: cache + "/blobs")

        // The same statement, signed by a key the hub never had, stored in place of the hub's bundle.
        let served = try Curl.run([setup.hub.url + "/api/v1/models/digits-classifier/versions/1.0.0/signature"]).body
        let bundle = try SignatureBundle(json: Array(served.utf8))
        let payload = try #require(Data(base64Encoded: bundle.dsseEnvelope.payload))
        let forged = try HubSigningKey().bundle(payload: Array(payload)).json()
        _ = try setup.sql("DROP TRIGGER version_signature_is_kept")
        _ = try setup.sql("UPDATE version_signature SET bundle = ? WHERE kind = 'files'", [String(decoding: forged, as: UTF8.self)])
        func cacheHoldsNothing() -> Bool {
            let packages = (try? FileManager.default.contentsOfDirectory(atPath: cache + "/packages/digits-classifier")) ?? []
            let blobs = FileManager.default.enumerator(atPath: cache + "/blobs")?.allObjects ?? []
            return packages.isEmpty && blobs.isEmpty
        }
        let swapped = try setup.pull("digits-classifier@1.0.0", cache: cache)
        #expect(swapped.status == 4, "\(swapped.stderr)")
        #expect(swapped.stderr.contains("signature of digits-classifier@1.0.0 was refused"), "\(swapped.stderr)")
        #expect(swapped.stderr.contains("does not trust"), "\(swapped.stderr)")
        #expect(cacheHoldsNothing())

        // A bundle over other files, signed by the hub's own key: refused once the archive's files are known.
        let hubKey = try HubSigningKey(pem: try setup.sql("SELECT private_key FROM signing_key ORDER BY id DESC LIMIT 1"))
        let otherFiles = FilesStatement(subject: "digits-classifier@1.0.0", files: ["maxhub.yaml": Digest.of([1]).hex, "model.onnx": Digest.of([2]).hex])
        let wrong = try hubKey.bundle(payload: otherFiles.json()).json()
        _ = try setup.sql("UPDATE version_signature SET bundle = ? WHERE kind = 'files'", [String(decoding: wrong, as: UTF8.self)])
        let mismatched = try setup.pull("digits-classifier@1.0.0", cache: cache)
        #expect(mismatched.status == 4 && mismatched.stderr.contains("does not cover these files"), "\(mismatched.stderr)")
        #expect(cacheHoldsNothing())

        _ = try setup.sql("DELETE FROM version_signature")
        let missing = try setup.pull("digits-classifier@1.0.0", cache: cache)
        #expect(missing.status == 4 && missing.stderr.contains("serves no signature"), "\(missing.stderr)")
        #expect(cacheHoldsNothing())
    }

    @Test("versions approved before the hub signed approvals are signed from their reviews when it starts")
    func olderApprovalsAreSignedAtStart() throws {
        let setup = try Setup()
        defer { setup.harness.cleanUp() }
        try setup.publishApproved("1.0.0")
        setup.hub.stop()
        // As a catalog of an earlier hub: the approval without signatures, the manifest file's digest not recorded.
        _ = try setup.sql("DELETE FROM version_signature")
        _ = try setup.sql("UPDATE version SET manifest_file_sha256 = NULL")
        let restarted = try RunningHub(dataFolder: setup.data)
        defer { restarted.stop() }
        let signature = restarted.url + "/api/v1/models/digits-classifier/versions/1.0.0/signature"
        let deadline = Date().addingTimeInterval(20)
        while try Curl.run([signature]).status != 200, Date() < deadline { Thread.sleep(forTimeInterval: 0.1) }
        #expect(try Curl.run([signature]).status == 200)
        let review = try Curl.run([restarted.url + "/api/v1/models/digits-classifier/versions/1.0.0/review-signature"])
        #expect(review.status == 200)
        let cache = setup.harness.url("cache").path
        let pulled = try setup.harness.run(["pull", "digits-classifier@1.0.0", "--cache", cache, "--url", restarted.url])
        #expect(pulled.status == 0, "\(pulled.stderr)")
        let info = try setup.harness.run("info", "digits-classifier@1.0.0", "--url", restarted.url, "--cache", cache)
        #expect(info.stdout.contains("verifies, review by rita"), "\(info.stdout)")
    }

    @Test("a rotation: the new key is refused until --trust-new-key, old versions verify with the old key, --hub-key pins nothing")
    func rotationAndPinning() throws {
        let setup = try Setup()
        defer { setup.cleanUp() }
        let harness = setup.harness
        try setup.publishApproved("1.0.0")
        let cache = harness.url("cache").path
        #expect(try setup.pull("digits-classifier@1.0.0", cache: cache).status == 0)
        let oldKey = try Curl.run([setup.hub.url + "/api/v1/signing-key"]).body
        try (oldKey + "\n").write(toFile: harness.url("old.pub").path, atomically: true, encoding: .utf8)

        let rotated = try harness.run("admin", "key", "rotate", "--data", setup.data)
        #expect(rotated.status == 0, "\(rotated.stderr)")
        let listed = try harness.run("admin", "key", "list", "--data", setup.data)
        #expect(listed.lines.count == 2 && listed.lines.last?.hasSuffix("signs") == true, "\(listed.stdout)")
        try setup.publishApproved("2.0.0")
        let newKey = try Curl.run([setup.hub.url + "/api/v1/signing-key"]).body
        #expect(newKey != oldKey)

        let refused = try setup.pull("digits-classifier@2.0.0", cache: cache)
        #expect(refused.status == 4 && refused.stderr.contains("--trust-new-key"), "\(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: cache + "/packages/digits-classifier/2.0.0"))
        let accepted = try setup.pull("digits-classifier@2.0.0", cache: cache, ["--trust-new-key"])
        #expect(accepted.status == 0, "\(accepted.stderr)")
        #expect(try String(contentsOfFile: cache + "/trust.json", encoding: .utf8).components(separatedBy: "hub-key ").count == 3)

        // The old version, pulled again, still verifies with the key that signed it.
        #expect(try harness.run(["rm", "digits-classifier@1.0.0", "--cache", cache]).status == 0)
        let again = try setup.pull("digits-classifier@1.0.0", cache: cache)
        #expect(again.status == 0, "\(again.stderr)")
        let (oldStatus, oldOutput) = try Self.modelSigning([
            "verify", "key", "--signature", cache + "/packages/digits-classifier/1.0.0.sig", "--public_key", harness.url("old.pub").path,
            cache + "/packages/digits-classifier/1.0.0",
        ])
        #expect(oldStatus == 0, "\(oldOutput)")

        // A configured key is the only one trusted, and nothing is pinned.
        let fresh = harness.url("fresh").path
        let configured = try setup.pull("digits-classifier@2.0.0", cache: fresh, ["--hub-key", harness.url("old.pub").path])
        #expect(configured.status == 4 && configured.stderr.contains("does not trust"), "\(configured.stderr)")
        let matching = try setup.pull("digits-classifier@1.0.0", cache: fresh, ["--hub-key", harness.url("old.pub").path])
        #expect(matching.status == 0, "\(matching.stderr)")
        let trust = (try? String(contentsOfFile: fresh + "/trust.json", encoding: .utf8)) ?? ""
        #expect(!trust.contains("hub-key"), "\(trust)")
    }
}
