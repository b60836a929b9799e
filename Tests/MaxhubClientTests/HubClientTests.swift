import Foundation
import MaxhubClient
import MaxhubCore
import MaxhubTestSupport
import Testing

/// `HubClient` against the real hub on a socket: what it sends and how it reads the answers, refusals included.
@Suite("HubClient against a live hub", .onTestThreads)
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

    @Test("an upload the hub cuts off mid-file is an error, not a crash, and the file is closed")
    func droppedUpload() async throws {
        let scratch = try TestFolder()
        defer { scratch.remove() }
        let bytes = makeNoise(count: 8 << 20, seed: 5)
        let file = try scratch.write("archive.tar.zst", bytes)
        let server = try ClosingServer(closingAfter: 2 << 20)
        defer { server.stop() }
        for _ in 0..<4 {
            let error = await #expect(throws: HubClientError.self) {
                try await HubClient(baseURL: server.url, token: "t").uploadBlob(at: file, digest: Digest.of(bytes), size: Int64(bytes.count))
            }
            #expect(error?.description.hasPrefix("cannot reach the hub at \(server.url)") == true, "\(String(describing: error))")
        }
        #expect(server.connections >= 4)
        // No descriptor of the uploaded file is left open.
        let open = try FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").compactMap {
            try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\($0)")
        }
        #expect(!open.contains(file))
    }

    @Test("a download the hub cuts off names the hub, keeps what arrived, and says that the same command resumes")
    func droppedDownload() async throws {
        let scratch = try TestFolder()
        defer { scratch.remove() }
        let whole = makeNoise(count: 1 << 20, seed: 9)
        let head = "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: \(whole.count)\r\n\r\n"
        let server = try ClosingServer(closingAfter: 1 << 16, reply: Array(head.utf8) + whole.prefix(300_000))
        defer { server.stop() }
        let partial = scratch.path("blob.partial")
        let error = await #expect(throws: HubClientError.self) {
            try await HubClient(baseURL: server.url, token: nil).downloadBlob(Digest.of(whole), size: Int64(whole.count), to: partial)
        }
        let text = error?.description ?? ""
        #expect(text.hasPrefix("the download from the hub at \(server.url) stopped part way (300000 of 1048576 bytes arrived"), "\(text)")
        #expect(text.hasSuffix("; run the same command again to resume it"), "\(text)")
        #expect(try scratch.read("blob.partial") == Array(whole.prefix(300_000)))
    }
}
