import Foundation
import MaxhubCore
import MaxhubJSON
import MaxhubTestSupport
import Testing

/// Pushes through `/v2/` with real clients: oras-py pushes a file under a model and pulls it back, skopeo copies an OCI
/// layout in and out byte for byte, and the hub keeps what was pushed as the rest of its data: tags that never move,
/// an audit entry per push, blobs that gc keeps and fsck names.
@Suite("The OCI face: oras and skopeo push through /v2/", .onTestThreads, .serialized)
struct RegistryPushTests {
    @Test("oras pushes a file under a model with a curator's login and pulls it back; the push is audited, gc keeps it")
    func orasPushesAndPullsBack() throws {
        let setup = try SignedPullTests.Setup()
        defer { setup.cleanUp() }
        let host = String(setup.hub.url.dropFirst("http://".count))
        let source = setup.harness.url("push").path
        try FileManager.default.createDirectory(atPath: source, withIntermediateDirectories: true)
        let bytes = makeNoise(count: 3 << 20, seed: 61)
        try Data(bytes).write(to: URL(fileURLWithPath: source + "/weights.bin"))
        let script = """
            import os, sys
            import oras.client
            host, target, user, password, folder, outdir = sys.argv[1:7]
            client = oras.client.OrasClient(hostname=host, insecure=True)
            client.login(username=user, password=password, hostname=host, tls_verify=False)
            os.chdir(folder)
            response = client.push(target=target, files=["weights.bin"])
            print(response.status_code)
            print(client.pull(target=target, outdir=outdir))
            """
        let pulled = setup.harness.url("pulled").path
        let (status, output) = try OpenAPIConformanceTests.run(
            try OpenAPIConformanceTests.python(),
            ["-c", script, host, "\(host)/digits-classifier/files:v1", "carl", setup.curator, source, pulled])
        #expect(status == 0, "\(output)")
        #expect(FileManager.default.contents(atPath: pulled + "/weights.bin") == Data(bytes), "\(output)")

        // Anonymous readers pull what was pushed; the tag lists; the blob is the file.
        let tags = try Curl.run([setup.hub.url + "/v2/digits-classifier/files/tags/list"])
        #expect(tags.body == #"{"name":"digits-classifier/files","tags":["v1"]}"#, "\(tags.body)")
        let blob = try Curl.run(["-o", "/dev/null", setup.hub.url + "/v2/digits-classifier/files/blobs/\(Digest.of(bytes))"])
        #expect(blob.status == 200)
        // A blob no manifest of the repository names is unknown to a reader, whatever else the hub holds.
        let other = try Curl.run([setup.hub.url + "/v2/digits-classifier/other/blobs/\(Digest.of(bytes))"])
        #expect(other.status == 404 && other.body.contains("BLOB_UNKNOWN"), "\(other.body)")

        let admin = try #require(setup.hub.printedAdminToken)
        let audit = try Curl.run(["-H", "Authorization: Bearer \(admin)", setup.hub.url + "/api/v1/audit?action=registry.push"])
        #expect(audit.status == 200)
        #expect(audit.body.contains(#""subject":"digits-classifier/files:v1""#) && audit.body.contains(#""actor":"carl""#), "\(audit.body)")

        // gc keeps the blobs a pushed manifest names and removes a blob nothing names; fsck says who uses what is left.
        let orphan = Array("no manifest names this\n".utf8)
        let auth = ["-H", "Authorization: Bearer \(setup.curator)"]
        let uploaded = try Curl.run(
            auth + ["-X", "POST", "--data-binary", "no manifest names this\n", "-H", "Content-Type: application/octet-stream",
                setup.hub.url + "/v2/digits-classifier/files/blobs/uploads/?digest=\(Digest.of(orphan))"])
        #expect(uploaded.status == 201, "\(uploaded.body)")
        Thread.sleep(forTimeInterval: 1.5)
        let gc = try setup.harness.run("admin", "gc", "--data", setup.data, "--grace", "1s")
        #expect(gc.status == 0, "\(gc.stderr)")
        #expect(try Curl.run(["-o", "/dev/null", setup.hub.url + "/v2/digits-classifier/files/blobs/\(Digest.of(bytes))"]).status == 200)
        #expect(try Curl.run(auth + ["-o", "/dev/null", setup.hub.url + "/v2/digits-classifier/files/blobs/\(Digest.of(orphan))"]).status == 404)
        let fsck = try setup.harness.run("admin", "fsck", "--data", setup.data)
        #expect(fsck.status == 0, "\(fsck.stdout)\(fsck.stderr)")
        #expect(fsck.lines.last?.contains("0 corrupt, 0 missing, 0 used by nothing") == true, "\(fsck.stdout)")
    }

    /// A hub with digits-classifier@1.0.0 approved and the empty config blob `{}` pushed to digits-classifier/serving by
    /// a curator, whose `Authorization` header `auth` holds.
    private static func hubWithEmptyConfig() throws -> (setup: SignedPullTests.Setup, auth: [String], config: [UInt8]) {
        let setup = try SignedPullTests.Setup()
        do {
            try setup.publishApproved("1.0.0")
            let auth = ["-H", "Authorization: Bearer \(setup.curator)"]
            let config = Array("{}".utf8)
            let stored = try Curl.run(
                auth + ["-X", "POST", "--data-binary", "{}", "-H", "Content-Type: application/octet-stream",
                    setup.hub.url + "/v2/digits-classifier/serving/blobs/uploads/?digest=\(Digest.of(config))"])
            #expect(stored.status == 201, "\(stored.body)")
            return (setup, auth, config)
        } catch {
            setup.cleanUp()
            throw error
        }
    }

    @Test("tags never move: another manifest under a pushed tag or a version is 409 DENIED; the same bytes again are taken")
    func tagsNeverMove() throws {
        // Two image manifests over the same (empty) config blob.
        let (setup, auth, config) = try Self.hubWithEmptyConfig()
        defer { setup.cleanUp() }
        let url = setup.hub.url
        // A blob the hub holds mounts into another repository at once; an unknown one starts an upload instead.
        let mounted = try Curl.run(auth + ["-i", "-X", "POST", url + "/v2/digits-classifier/other/blobs/uploads/?mount=\(Digest.of(config))&from=x"])
        #expect(mounted.status == 201 && mounted.body.contains("Location: /v2/digits-classifier/other/blobs/\(Digest.of(config))"), "\(mounted.body)")
        let unknownMount = try Curl.run(auth + ["-X", "POST", url + "/v2/digits-classifier/other/blobs/uploads/?mount=sha256:\(String(repeating: "2", count: 64))"])
        #expect(unknownMount.status == 202)
        func manifest(_ note: String) -> String {
            #"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.empty.v1+json","digest":"\#(Digest.of(config))","size":2},"layers":[],"annotations":{"note":"\#(note)"}}"#
        }
        func put(_ body: String, _ reference: String, repository: String = "digits-classifier/serving") throws -> Curl.Result {
            try Curl.run(
                auth + ["-X", "PUT", "-H", "Content-Type: application/vnd.oci.image.manifest.v1+json", "--data-binary", body,
                    url + "/v2/\(repository)/manifests/\(reference)"])
        }
        #expect(try put(manifest("first"), "1.0.0").status == 201)
        #expect(try put(manifest("first"), "1.0.0").status == 201, "the same bytes again")
        let moved = try put(manifest("second"), "1.0.0")
        #expect(moved.status == 409 && moved.body.contains(#""code":"DENIED""#), "\(moved.body)")
        let served = try Curl.run([url + "/v2/digits-classifier/serving/manifests/1.0.0"])
        #expect(served.body == manifest("first"), "byte for byte")

        // A manifest naming a blob the hub lacks, or sent as something else, is refused before anything is kept.
        let missing = manifest("x").replacingOccurrences(of: "\"layers\":[]", with: #""layers":[{"mediaType":"application/octet-stream","digest":"sha256:\#(String(repeating: "0", count: 64))","size":1}]"#)
        let refused = try put(missing, "2.0.0")
        #expect(refused.status == 400 && refused.body.contains("MANIFEST_BLOB_UNKNOWN"), "\(refused.body)")
        let wrongDigest = try put(manifest("y"), "sha256:" + String(repeating: "1", count: 64))
        #expect(wrongDigest.status == 400 && wrongDigest.body.contains("DIGEST_INVALID"), "\(wrongDigest.body)")

        // The model's own tags are its versions: its derived manifest is taken again, anything else is refused.
        let derived = try Curl.run([url + "/v2/digits-classifier/manifests/1.0.0"]).body
        #expect(try put(derived, "1.0.0", repository: "digits-classifier").status == 201)
        let overVersion = try put(manifest("z"), "1.0.0", repository: "digits-classifier")
        #expect(overVersion.status == 409 && overVersion.body.contains(#""code":"DENIED""#), "\(overVersion.body)")
        #expect(try put(manifest("z"), "latest", repository: "digits-classifier").status == 403)
        // A reader may not push.
        let reader = try Curl.run(
            ["-H", "Authorization: Bearer \(setup.reviewer)", "-X", "PUT", "-H", "Content-Type: application/vnd.oci.image.manifest.v1+json",
                "--data-binary", manifest("r"), url + "/v2/digits-classifier/serving/manifests/r"])
        #expect(reader.status == 403 && reader.body.contains("DENIED"))
    }

    @Test("the referrers API lists the manifests pushed with a subject, filters by artifact type, and is empty otherwise")
    func referrersListWhatNamesTheSubject() throws {
        let (setup, auth, config) = try Self.hubWithEmptyConfig()
        defer { setup.cleanUp() }
        let url = setup.hub.url
        let empty = #"{"mediaType":"application/vnd.oci.empty.v1+json","digest":"\#(Digest.of(config))","size":2}"#
        let image = #"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":\#(empty),"layers":[]}"#
        let subject = Digest.of(Array(image.utf8))
        func artifact(_ type: String, _ note: String) -> String {
            #"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","artifactType":"\#(type)","config":\#(empty),"layers":[],"subject":{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"\#(subject)","size":\#(image.utf8.count)},"annotations":{"note":"\#(note)"}}"#
        }
        func put(_ body: String, _ reference: String) throws -> Curl.Result {
            try Curl.run(
                auth + ["-i", "-X", "PUT", "-H", "Content-Type: application/vnd.oci.image.manifest.v1+json", "--data-binary", body,
                    url + "/v2/digits-classifier/serving/manifests/\(reference)"])
        }
        #expect(try put(image, "1.0.0").status == 201)
        let signature = artifact("application/vnd.dev.cosign.artifact.sig.v1+json", "signature")
        let sbom = artifact("application/spdx+json", "sbom")
        let pushed = try put(signature, Digest.of(Array(signature.utf8)).description)
        #expect(pushed.status == 201 && pushed.body.contains("OCI-Subject: \(subject)"), "\(pushed.body)")
        #expect(try put(sbom, Digest.of(Array(sbom.utf8)).description).status == 201)

        let listed = try Curl.run(["-i", url + "/v2/digits-classifier/serving/referrers/\(subject)"])
        #expect(listed.status == 200 && listed.body.contains("Content-Type: application/vnd.oci.image.index.v1+json"), "\(listed.body)")
        let index = try JSONValue(jsonString: String(listed.body[listed.body.range(of: "\r\n\r\n")!.upperBound...]))
        #expect(index["schemaVersion"] == .number(.integer(2)))
        let manifests = index["manifests"]?.arrayValue ?? []
        let expected = [(signature, "application/vnd.dev.cosign.artifact.sig.v1+json", "signature"), (sbom, "application/spdx+json", "sbom")]
            .sorted { Digest.of(Array($0.0.utf8)).description < Digest.of(Array($1.0.utf8)).description }
        #expect(manifests.count == 2)
        for (descriptor, (body, type, note)) in zip(manifests, expected) {
            #expect(descriptor["digest"]?.stringValue == Digest.of(Array(body.utf8)).description)
            #expect(descriptor["size"] == .number(.integer(Int64(body.utf8.count))))
            #expect(descriptor["artifactType"]?.stringValue == type)
            #expect(descriptor["annotations"]?["note"]?.stringValue == note)
        }
        let filtered = try Curl.run(["-i", url + "/v2/digits-classifier/serving/referrers/\(subject)?artifactType=application/spdx%2Bjson"])
        #expect(filtered.body.contains("OCI-Filters-Applied: artifactType"), "\(filtered.body)")
        #expect(filtered.body.contains("sbom") && !filtered.body.contains("\"signature\""), "\(filtered.body)")
        // Nothing names another digest; a model's own repository has no referrers; a bad digest is DIGEST_INVALID.
        let none = try Curl.run([url + "/v2/digits-classifier/serving/referrers/sha256:\(String(repeating: "3", count: 64))"])
        #expect(none.status == 200 && none.body.contains(#""manifests":[]"#), "\(none.body)")
        #expect(try Curl.run([url + "/v2/digits-classifier/referrers/\(subject)"]).body.contains(#""manifests":[]"#))
        let bad = try Curl.run([url + "/v2/digits-classifier/serving/referrers/latest"])
        #expect(bad.status == 400 && bad.body.contains("DIGEST_INVALID"), "\(bad.body)")
    }

    @Test("skopeo copies an OCI layout into maxhub and back out, byte for byte")
    func skopeoCopiesALayoutInAndOut() throws {
        let setup = try SignedPullTests.Setup()
        defer { setup.cleanUp() }
        try setup.publishApproved("1.0.0")
        let host = String(setup.hub.url.dropFirst("http://".count))
        let first = setup.harness.url("first").path
        let out = try ToolRun.run(
            "/usr/bin/skopeo", ["copy", "--src-tls-verify=false", "docker://\(host)/digits-classifier:1.0.0", "oci:\(first):1.0.0"])
        #expect(out.status == 0, "\(out.output)")
        let into = try ToolRun.run(
            "/usr/bin/skopeo",
            ["copy", "--preserve-digests", "--dest-tls-verify=false", "--dest-creds", "carl:\(setup.curator)", "oci:\(first):1.0.0",
                "docker://\(host)/digits-classifier/copy:1.0.0"])
        #expect(into.status == 0, "\(into.output)")
        let second = setup.harness.url("second").path
        let back = try ToolRun.run(
            "/usr/bin/skopeo", ["copy", "--src-tls-verify=false", "docker://\(host)/digits-classifier/copy:1.0.0", "oci:\(second):1.0.0"])
        #expect(back.status == 0, "\(back.output)")
        func blobs(_ layout: String) throws -> [String: Data] {
            let folder = layout + "/blobs/sha256"
            var found: [String: Data] = [:]
            for name in try FileManager.default.contentsOfDirectory(atPath: folder) {
                found[name] = FileManager.default.contents(atPath: folder + "/" + name)
            }
            return found
        }
        let original = try blobs(first)
        #expect(original.count == 3, "manifest, config and archive")
        #expect(try blobs(second) == original)
        let manifest = try Curl.run([setup.hub.url + "/v2/digits-classifier/copy/manifests/1.0.0"])
        #expect(manifest.status == 200)
        #expect(original[String(Digest.of(Array(manifest.body.utf8)).description.dropFirst("sha256:".count))] == Data(manifest.body.utf8))
    }
}
