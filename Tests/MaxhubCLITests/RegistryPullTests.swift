import Foundation
import MaxhubCore
import MaxhubTestSupport
import Testing

/// The OCI face with real clients: oras-py (PyPI `oras` 0.2.43, in the test venv) and skopeo (Debian) pull an approved
/// version from `/v2/` as a ModelPack artifact, and what they write is what the hub serves.
@Suite("The OCI face: oras and skopeo pull approved versions as ModelPack artifacts", .onTestThreads, .serialized)
struct RegistryPullTests {
    static func orasPull(_ reference: String, into folder: String, user: String? = nil, token: String? = nil) throws -> (Int32, String) {
        let script = """
            import json, sys
            import oras.client
            host, target, outdir, user, password = sys.argv[1:6]
            client = oras.client.OrasClient(hostname=host, insecure=True)
            if user:
                client.login(username=user, password=password, hostname=host, tls_verify=False)
            files = client.pull(target=target, outdir=outdir)
            print(json.dumps([str(path) for path in files]))
            """
        let host = reference.split(separator: "/").first.map(String.init) ?? ""
        return try OpenAPIConformanceTests.run(
            try OpenAPIConformanceTests.python(), ["-c", script, host, reference, folder, user ?? "", token ?? ""])
    }

    @Test("oras pulls an approved version; the file it writes has the archive's digest; pending versions stay invisible")
    func orasPullsAnApprovedVersion() throws {
        let setup = try SignedPullTests.Setup()
        defer { setup.cleanUp() }
        let harness = setup.harness
        try setup.publishApproved("1.0.0")
        let host = String(setup.hub.url.dropFirst("http://".count))
        let resolved = try Curl.run([setup.hub.url + "/api/v1/models/digits-classifier/versions/1.0.0"])
        let detail = try JSONSerialization.jsonObject(with: Data(resolved.body.utf8)) as? [String: Any]
        let archive = try #require((detail?["archive"] as? [String: Any])?["digest"] as? String)

        let folder = harness.url("pulled").path
        let (status, output) = try Self.orasPull("\(host)/digits-classifier:1.0.0", into: folder)
        #expect(status == 0, "\(output)")
        let file = folder + "/digits-classifier-1.0.0.tar.zst"
        let bytes = try #require(FileManager.default.contents(atPath: file), "\(output)")
        #expect(Digest.of(bytes).description == archive)

        // The manifest: ModelPack's artifact type and config, the archive as the one layer, the same bytes every time.
        let manifest = try Curl.run([
            "-H", "Accept: application/vnd.oci.image.manifest.v1+json", setup.hub.url + "/v2/digits-classifier/manifests/1.0.0",
        ])
        #expect(manifest.status == 200)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(manifest.body.utf8)) as? [String: Any])
        #expect(document["artifactType"] as? String == "application/vnd.cncf.model.manifest.v1+json")
        let config = try #require(document["config"] as? [String: Any])
        #expect(config["mediaType"] as? String == "application/vnd.cncf.model.config.v1+json")
        let layers = try #require(document["layers"] as? [[String: Any]])
        #expect(layers.count == 1 && layers[0]["digest"] as? String == archive)
        let manifestDigest = Digest.of(Array(manifest.body.utf8)).description
        let byDigest = try Curl.run([setup.hub.url + "/v2/digits-classifier/manifests/\(manifestDigest)"])
        #expect(byDigest.status == 200 && byDigest.body == manifest.body)

        // The config names the DiffID: the sha256 of the decompressed tar stream.
        let configBlob = try Curl.run([setup.hub.url + "/v2/digits-classifier/blobs/\(config["digest"] as? String ?? "")"])
        #expect(configBlob.status == 200)
        #expect(Digest.of(Array(configBlob.body.utf8)).description == config["digest"] as? String)
        let decompressed = try OpenAPIConformanceTests.run("/usr/bin/env", ["bash", "-c", "zstd -dc '\(file)' | sha256sum"]).1
        let diffID = "sha256:" + (decompressed.split(separator: " ").first.map(String.init) ?? "")
        #expect(configBlob.body.contains(#""diffIds":["\#(diffID)"]"#), "\(configBlob.body)")

        // tags/list, its pages, and a pending version nobody but its curator and reviewers may see.
        try setup.publishApproved("1.1.0")
        let folder2 = try PublishCommandTests.writePackage(version: "2.0.0", weights: "pending\n", in: harness)
        #expect(try harness.run("publish", folder2, "--url", setup.hub.url, "--token", setup.curator).status == 0)
        let tags = try Curl.run([setup.hub.url + "/v2/digits-classifier/tags/list"])
        #expect(tags.body == #"{"name":"digits-classifier","tags":["1.0.0","1.1.0"]}"#, "\(tags.body)")
        let page = try Curl.run(["-i", setup.hub.url + "/v2/digits-classifier/tags/list?n=1"])
        #expect(page.body.contains(#"{"name":"digits-classifier","tags":["1.0.0"]}"#))
        #expect(page.body.contains(#"Link: </v2/digits-classifier/tags/list?n=1&last=1.0.0>; rel="next""#), "\(page.body)")
        let hidden = try Curl.run([setup.hub.url + "/v2/digits-classifier/manifests/2.0.0"])
        #expect(hidden.status == 404 && hidden.body.contains(#""code":"MANIFEST_UNKNOWN""#), "\(hidden.body)")
        let seenByCurator = try Curl.run(["-H", "Authorization: Bearer \(setup.curator)", setup.hub.url + "/v2/digits-classifier/manifests/2.0.0"])
        #expect(seenByCurator.status == 200)
        let unknown = try Curl.run([setup.hub.url + "/v2/no-such-model/tags/list"])
        #expect(unknown.status == 404 && unknown.body.contains(#""code":"NAME_UNKNOWN""#))

        // A restarted hub derives the same manifest.
        setup.hub.stop()
        let again = try RunningHub(dataFolder: setup.data)
        defer { again.stop() }
        let restarted = try Curl.run([again.url + "/v2/digits-classifier/manifests/1.0.0"])
        #expect(restarted.body == manifest.body)
    }

    @Test("skopeo copies an approved version out of /v2/ into an OCI layout, manifest, config and archive byte for byte")
    func skopeoCopiesAVersionOut() throws {
        let setup = try SignedPullTests.Setup()
        defer { setup.cleanUp() }
        try setup.publishApproved("1.0.0")
        let host = String(setup.hub.url.dropFirst("http://".count))
        let layout = setup.harness.url("layout").path
        let copied = try ToolRun.run(
            "/usr/bin/skopeo", ["copy", "--src-tls-verify=false", "docker://\(host)/digits-classifier:1.0.0", "oci:\(layout):1.0.0"])
        #expect(copied.status == 0, "\(copied.output)")
        let manifest = try Curl.run([setup.hub.url + "/v2/digits-classifier/manifests/1.0.0"]).body
        let digest = Digest.of(Array(manifest.utf8))
        func blob(_ digest: String) -> Data? {
            FileManager.default.contents(atPath: layout + "/blobs/sha256/" + digest.dropFirst("sha256:".count))
        }
        #expect(blob(digest.description) == Data(manifest.utf8), "the layout holds the manifest the hub serves")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(manifest.utf8)) as? [String: Any])
        let config = try #require((document["config"] as? [String: Any])?["digest"] as? String)
        let layer = try #require((document["layers"] as? [[String: Any]])?.first?["digest"] as? String)
        #expect(blob(config).map { Digest.of($0).description } == config)
        #expect(blob(layer).map { Digest.of($0).description } == layer)
        let index = try String(contentsOfFile: layout + "/index.json", encoding: .utf8)
        #expect(index.contains(digest.description) && index.contains(#""org.opencontainers.image.ref.name":"1.0.0""#), "\(index)")
    }

    @Test("the token endpoint: a 401 names it, Basic USER:TOKEN gets a bearer, a reader may not push, a bad token is refused")
    func tokensAndRefusals() throws {
        let setup = try SignedPullTests.Setup()
        defer { setup.cleanUp() }
        try setup.publishApproved("1.0.0")
        let url = setup.hub.url
        let ping = try Curl.run(["-i", url + "/v2/"])
        #expect(ping.status == 401)
        #expect(ping.body.contains(#"WWW-Authenticate: Bearer realm="\#(url)/v2/token",service="maxhub""#), "\(ping.body)")
        #expect(ping.body.contains(#""code":"UNAUTHORIZED""#))

        let anonymous = try Curl.run([url + "/v2/token?service=maxhub&scope=repository:digits-classifier:pull"])
        #expect(anonymous.status == 200 && anonymous.body.contains(#""token":"anonymous""#))
        #expect(try Curl.run(["-H", "Authorization: Bearer anonymous", url + "/v2/"]).status == 200)

        let issued = try Curl.run(["-u", "rita:\(setup.reviewer)", url + "/v2/token?service=maxhub"])
        #expect(issued.status == 200 && issued.body.contains(setup.reviewer))
        #expect(try Curl.run(["-H", "Authorization: Bearer \(setup.reviewer)", url + "/v2/"]).status == 200)
        #expect(try Curl.run(["-u", "rita:mxh_wrong", url + "/v2/token"]).status == 401)
        let forged = try Curl.run(["-H", "Authorization: Bearer mxh_forged", url + "/v2/digits-classifier/tags/list"])
        #expect(forged.status == 401 && forged.body.contains("UNAUTHORIZED"))

        // Pushing: anonymous gets the challenge with the push scope, a reviewer is denied.
        let anonymousPush = try Curl.run(["-i", "-X", "POST", url + "/v2/digits-classifier/blobs/uploads/"])
        #expect(anonymousPush.status == 401 && anonymousPush.body.contains(#"scope="repository:digits-classifier:push""#))
        let denied = try Curl.run(["-X", "POST", "-H", "Authorization: Bearer \(setup.reviewer)", url + "/v2/digits-classifier/blobs/uploads/"])
        #expect(denied.status == 403 && denied.body.contains(#""code":"DENIED""#), "\(denied.body)")

        // oras with credentials logs in through the token endpoint and pulls.
        let host = String(url.dropFirst("http://".count))
        let (status, output) = try Self.orasPull(
            "\(host)/digits-classifier:1.0.0", into: setup.harness.url("with-login").path, user: "rita", token: setup.reviewer)
        #expect(status == 0, "\(output)")
    }
}
