import Foundation
import MaxhubClient
import MaxhubCore
import MaxhubTestSupport
import Testing

/// `HubClient` against the real hub on a socket: what it sends and how it reads the answers, refusals included.
@Suite("HubClient against a live hub")
struct HubClientTests {
    @Test("a refused token is a 401 problem, a good one says who it is")
    func refusedToken() async throws {
        try await LiveHub.run { hub in
            let identity = try await hub.client(.reviewer).whoami()
            #expect(identity.user == "reviewer-user")
            #expect(identity.roles == [.reviewer])
            let refused = await #expect(throws: HubClientError.self) {
                try await HubClient(baseURL: hub.url, token: "not-a-token").whoami()
            }
            #expect(refused?.status == 401)
            #expect(refused?.description == "the token is unknown or revoked")
        }
    }

    @Test("a curator's upload is checked against its declared digest; HEAD finds only what was stored")
    func uploadsAreChecked() async throws {
        let scratch = try TestFolder()
        defer { scratch.remove() }
        let bytes = makeNoise(count: 3 << 20, seed: 7)
        let file = try scratch.write("blob.bin", bytes)
        let digest = Digest.of(bytes)
        let wrong = Digest.of(Array(bytes.dropLast()))
        try await LiveHub.run { hub in
            let curator = hub.client(.curator)
            #expect(try await curator.hasBlob(digest) == false)
            let mismatch = await #expect(throws: HubClientError.self) {
                try await curator.uploadBlob(at: file, digest: wrong, size: Int64(bytes.count))
            }
            #expect(mismatch?.status == 400, "\(String(describing: mismatch))")
            #expect(try await curator.hasBlob(wrong) == false, "a refused upload leaves nothing behind")
            let reference = try await curator.uploadBlob(at: file, digest: digest, size: Int64(bytes.count))
            #expect(reference == ArchiveReference(digest: digest, size: Int64(bytes.count)))
            #expect(try await curator.hasBlob(digest))
            let reader = await #expect(throws: HubClientError.self) {
                try await hub.client(.reader).uploadBlob(at: file, digest: digest, size: Int64(bytes.count))
            }
            #expect(reader?.status == 403, "a reader may not upload")
        }
    }

    @Test("search, model and version read what was published; a name with an owner travels as one path segment")
    func catalogReads() async throws {
        let scratch = try TestFolder()
        defer { scratch.remove() }
        try await LiveHub.run { hub in
            try await hub.publishApproved(try TestPackage.make(name: "acme/wine-classifier", task: "tabular-classification"), in: scratch)
            let page = try await hub.client().searchModels(text: "wine")
            #expect(page.models.map(\.name.description) == ["acme/wine-classifier"])
            let name = try ModelName(parsing: "acme/wine-classifier")
            let model = try await hub.client().model(name)
            #expect(model.versions.map(\.version.description) == ["1.0.0"])
            let detail = try await hub.client().version(try Version(parsing: "1.0.0"), of: name)
            #expect(detail.state == .approved)
            let resolved = try await hub.client().resolve(name, range: "^1", includePrerelease: false)
            #expect(resolved.version.description == "1.0.0")
            let unknown = await #expect(throws: HubClientError.self) {
                try await hub.client().model(try ModelName(parsing: "acme/nothing"))
            }
            #expect(unknown?.status == 404)
        }
    }

    @Test("a hub that does not answer is reported as unreachable, naming its URL")
    func unreachable() async throws {
        guard let port = LocalPort.pickFree() else { throw TestFailure("no free port") }
        let error = await #expect(throws: HubClientError.self) {
            try await HubClient(baseURL: "http://127.0.0.1:\(port)/", token: nil).whoami()
        }
        #expect(error?.description.hasPrefix("cannot reach the hub at http://127.0.0.1:\(port):") == true, "\(String(describing: error))")
    }
}
