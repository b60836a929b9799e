import Foundation
import Hummingbird
import HummingbirdTesting
import MaxhubCore
import MaxhubTestSupport
import NIOCore
import Testing

/// The hub checks an archive while it is uploaded, so that the publish does not read it again; whatever breaks that
/// one pass falls back to reading the stored archive, with the same answers.
@Suite("Archive checks on arrival", .onTestThreads)
struct UploadInspectionTests {
    static func package(_ name: String, version: String = "1.0.0") throws -> TestPackage {
        try TestPackage.make(
            name: name, version: version,
            files: ["README.md": "# \(name)\n\nThe card of \(name).\n", "model.onnx": String(repeating: "w", count: 200_000), "serve.py": "print('hi')\n"])
    }

    /// `maxhub_publish_archive_checks_total` by `when`.
    static func checks(_ client: HubTestClient) async throws -> (onArrival: Int, afterUpload: Int) {
        let text = String(buffer: try await client.request(.get, "/metrics").body)
        func value(_ when: String) -> Int {
            let line = text.split(separator: "\n").first { $0.hasPrefix("maxhub_publish_archive_checks_total{when=\"\(when)\"}") }
            return line.flatMap { Int($0.split(separator: " ").last ?? "") } ?? 0
        }
        return (value("on-arrival"), value("after-upload"))
    }

    static func publish(_ package: TestPackage, _ client: HubTestClient) async throws -> TestResponse {
        let body = PublishRequest(manifest: package.manifest, archive: package.reference)
        return try await client.request(
            .put, "/api/v1/models/\(package.name.pathSegment)/versions/\(package.version)", as: .curator, headers: HubTestClient.jsonBody,
            body: try client.json(body))
    }

    /// Starts a resumable upload; its path.
    static func start(_ client: HubTestClient) async throws -> String {
        let started = try await client.request(.post, "/api/v1/blobs/uploads", as: .curator)
        return try #require(started.headers[.location])
    }

    @Test("a monolithic upload and a chunked one are checked as they arrive, the model card kept")
    func checkedOnArrival() async throws {
        let hub = try await TestHub.make()
        let first = try Self.package("first")
        let second = try Self.package("second")
        try await hub.run { client in
            try await client.upload(first.archive)
            #expect(try await Self.publish(first, client).status == .created)
            #expect(try await Self.checks(client) == (1, 0))

            let upload = try await Self.start(client)
            let bytes = second.archive
            let cuts = [0, bytes.count / 3, 2 * bytes.count / 3, bytes.count]
            for (start, end) in zip(cuts, cuts.dropFirst()) {
                var headers = HTTPFields()
                headers[.contentRange] = "\(start)-\(end - 1)"
                let patched = try await client.request(.patch, upload, as: .curator, headers: headers, body: ByteBuffer(bytes: bytes[start..<end]))
                #expect(patched.status == .accepted)
            }
            #expect(try await client.request(.put, upload + "?digest=\(Digest.of(bytes))", as: .curator).status == .created)
            #expect(try await Self.publish(second, client).status == .created)
            #expect(try await Self.checks(client) == (2, 0))

            _ = try await client.request(
                .post, "/api/v1/models/second/versions/1.0.0/review", as: .reviewer, body: try client.json(ReviewRequest(decision: .approve)))
            let page = String(buffer: try await client.request(.get, "/models/second").body)
            #expect(page.contains("The card of second."), "the card read on arrival is the model page's")
        }
    }

    @Test("a chunk that breaks the pass, and an archive that fails its check, are read again from the store")
    func fallsBackToTheStore() async throws {
        let hub = try await TestHub.make()
        let package = try Self.package("resent")
        try await hub.run { client in
            let upload = try await Self.start(client)
            let bytes = package.archive
            let half = bytes.count / 2
            var headers = HTTPFields()
            headers[.contentRange] = "0-\(half - 1)"
            _ = try await client.request(.patch, upload, as: .curator, headers: headers, body: ByteBuffer(bytes: bytes[..<half]))
            // A chunk whose length differs from its range: refused, and the inspection is dropped.
            headers[.contentRange] = "\(half)-\(bytes.count - 1)"
            let short = ByteBuffer(bytes: bytes[half..<(bytes.count - 10)])
            #expect(try await client.request(.patch, upload, as: .curator, headers: headers, body: short).status == .badRequest)
            let held = try await client.request(.get, upload, as: .curator).decode(UploadStatus.self).offset
            #expect(held == Int64(bytes.count - 10))
            // A streamed chunk that says it starts elsewhere than where the upload ends is refused, and nothing is kept.
            let misplaced = try await client.request(
                .patch, upload, as: .curator, headers: [.init("Upload-Offset")!: "\(half)"], body: ByteBuffer(bytes: bytes[half...]))
            #expect(misplaced.status == .rangeNotSatisfiable)
            #expect(misplaced.problem?.type == "urn:maxhub:problem:upload-offset")
            #expect(try await client.request(.get, upload, as: .curator).decode(UploadStatus.self).offset == held)
            headers[.contentRange] = "\(held)-\(bytes.count - 1)"
            #expect(try await client.request(.patch, upload, as: .curator, headers: headers, body: ByteBuffer(bytes: bytes[Int(held)...])).status == .accepted)
            #expect(try await client.request(.put, upload + "?digest=\(Digest.of(bytes))", as: .curator).status == .created)
            #expect(try await Self.publish(package, client).status == .created)
            #expect(try await Self.checks(client) == (0, 1))

            // Unsafe entries fail the check on arrival; the stored archive is read again and refused with the reason.
            let unsafe = try UnsafeArchive.withEntry("../escape.txt", contents: "x")
            try await client.upload(unsafe)
            let other = try Self.package("unsafe")
            let body = PublishRequest(manifest: other.manifest, archive: ArchiveReference(digest: Digest.of(unsafe), size: Int64(unsafe.count)))
            let refused = try await client.request(
                .put, "/api/v1/models/unsafe/versions/1.0.0", as: .curator, headers: HubTestClient.jsonBody, body: try client.json(body))
            #expect(refused.problem?.type == "urn:maxhub:problem:invalid-archive")
            #expect(refused.problem?.detail?.contains("../escape.txt") == true)
        }
    }
}
