import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MaxhubCore
import MaxhubServer
import MaxhubTestSupport
import NIOCore
import Testing

@Suite("Blob routes on a live hub", .onTestThreads)
struct BlobRouteTests {
    let bytes: [UInt8] = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }

    @Test func monolithicUploadThenHeadAndDownload() async throws {
        let hub = try await TestHub.make()
        let bytes = bytes
        try await hub.run { (client) async throws in
            let digest = Digest.of(bytes)
            let uploaded = try await client.upload(bytes)
            #expect(uploaded.status == .created)
            #expect(uploaded.headers[.location] == "/api/v1/blobs/\(digest)")
            #expect(try uploaded.decode(ArchiveReference.self) == ArchiveReference(digest: digest, size: Int64(bytes.count)))

            let head = try await client.request(.head, "/api/v1/blobs/\(digest)", as: .reviewer)
            #expect(head.status == .ok)
            #expect(head.headers[.contentLength] == "\(bytes.count)")
            #expect(head.headers[.eTag] == "\"\(digest)\"")
            #expect(head.headers[.contentType] == "application/octet-stream")
            #expect(head.body.readableBytes == 0)

            let full = try await client.request(.get, "/api/v1/blobs/\(digest)", as: .reviewer)
            #expect(full.status == .ok)
            #expect(full.bytes == bytes)
            #expect(full.headers[.contentLength] == "\(bytes.count)")
            #expect(full.headers[.acceptRanges] == "bytes")
            #expect(full.headers[.cacheControl] == "public, max-age=31536000, immutable")
            #expect(full.headers[HTTPField.Name("Docker-Content-Digest")!] == digest.description)
            #expect(full.headers[HTTPField.Name("Content-Digest")!]?.hasPrefix("sha-256=:") == true)
        }
    }

    @Test func rangedDownloads() async throws {
        let hub = try await TestHub.make()
        let bytes = bytes
        try await hub.run { (client) async throws in
            let digest = Digest.of(bytes)
            try await client.upload(bytes)
            let uri = "/api/v1/blobs/\(digest)"

            let middle = try await client.request(.get, uri, as: .reviewer, headers: [.range: "bytes=1000-1999"])
            #expect(middle.status == .partialContent)
            #expect(middle.bytes == Array(bytes[1000..<2000]))
            #expect(middle.headers[.contentRange] == "bytes 1000-1999/\(bytes.count)")
            #expect(middle.headers[.contentLength] == "1000")

            let tail = try await client.request(.get, uri, as: .reviewer, headers: [.range: "bytes=299990-"])
            #expect(tail.bytes == Array(bytes[299_990...]))
            let suffix = try await client.request(.get, uri, as: .reviewer, headers: [.range: "bytes=-5"])
            #expect(suffix.bytes == Array(bytes.suffix(5)))
            let clipped = try await client.request(.get, uri, as: .reviewer, headers: [.range: "bytes=299999-400000"])
            #expect(clipped.status == .partialContent)
            #expect(clipped.bytes == [bytes.last!])
            // A last byte of Int64.max is the end of the blob, not an overflow that stops the hub.
            let farEnd = try await client.request(.get, uri, as: .reviewer, headers: [.range: "bytes=299999-9223372036854775807"])
            #expect(farEnd.status == .partialContent)
            #expect(farEnd.bytes == [bytes.last!])

            let outside = try await client.request(.get, uri, as: .reviewer, headers: [.range: "bytes=300000-"])
            #expect(outside.status == .rangeNotSatisfiable)
            #expect(outside.headers[.contentRange] == "bytes */\(bytes.count)")
            #expect(outside.headers[.contentType] == "application/problem+json")

            // Several ranges, other units and an If-Range for another representation: the whole blob.
            for headers: HTTPFields in [[.range: "bytes=0-1,5-6"], [.range: "items=0-1"], [.range: "bytes=0-9", .ifRange: "\"other\""]] {
                let whole = try await client.request(.get, uri, as: .reviewer, headers: headers)
                #expect(whole.status == .ok)
                #expect(whole.bytes.count == bytes.count)
            }

            let cached = try await client.request(.get, uri, as: .reviewer, headers: [.ifNoneMatch: "\"\(digest)\""])
            #expect(cached.status == .notModified)
            #expect(cached.body.readableBytes == 0)
        }
    }

    @Test func digestMismatchLeavesNothing() async throws {
        let hub = try await TestHub.make()
        let bytes = bytes
        try await hub.run { (client) async throws in
            let wrong = Digest.of([1, 2, 3])
            let response = try await client.upload(bytes, declaring: wrong)
            #expect(response.status == .badRequest)
            #expect(response.headers[.contentType] == "application/problem+json")
            #expect(response.problem?.type == "urn:maxhub:problem:digest-mismatch")
            #expect(response.problem?.detail?.contains(Digest.of(bytes).description) == true)
            #expect(try await client.request(.head, "/api/v1/blobs/\(wrong)", as: .reviewer).status == .notFound)
            #expect(try await client.request(.head, "/api/v1/blobs/\(Digest.of(bytes))", as: .reviewer).status == .notFound)
        }
        #expect(hub.uploadFiles().isEmpty)
    }

    @Test func uploadOverTheLimitIs413() async throws {
        let hub = try await TestHub.make { $0.maxUploadSize = 100_000 }
        let bytes = bytes
        try await hub.run { (client) async throws in
            let response = try await client.upload(bytes)
            #expect(response.status == .contentTooLarge)
            #expect(response.problem?.status == 413)
            #expect(try await client.request(.head, "/api/v1/blobs/\(Digest.of(bytes))", as: .reviewer).status == .notFound)
        }
        #expect(hub.uploadFiles().isEmpty)
    }

    @Test func resumableUploadInChunks() async throws {
        let hub = try await TestHub.make()
        let bytes = bytes
        try await hub.run { (client) async throws in
            let started = try await client.request(.post, "/api/v1/blobs/uploads", as: .curator)
            #expect(started.status == .accepted)
            let status = try started.decode(UploadStatus.self)
            #expect(status.offset == 0)
            let location = try #require(started.headers[.location])
            #expect(location == "/api/v1/blobs/uploads/\(status.id)")

            let first = try await client.request(
                .patch, location, as: .curator, headers: [.contentRange: "0-99999"], body: ByteBuffer(bytes: bytes[0..<100_000]))
            #expect(first.status == .accepted)
            #expect(first.headers[.range] == "0-99999")

            // A chunk that does not follow on is refused and changes nothing.
            let gap = try await client.request(
                .patch, location, as: .curator, headers: [.contentRange: "150000-199999"], body: ByteBuffer(bytes: bytes[150_000..<200_000]))
            #expect(gap.status == .rangeNotSatisfiable)
            #expect(gap.headers[.range] == "0-99999")

            // A chunk longer than its Content-Range says is refused whole; a shorter one is kept but refused too. The
            // answer's Range says how far the upload got.
            let long = try await client.request(
                .patch, location, as: .curator, headers: [.contentRange: "100000-100009"], body: ByteBuffer(bytes: bytes[100_000..<100_020]))
            #expect(long.status == .badRequest)
            #expect(long.problem?.type == "urn:maxhub:problem:chunk-mismatch")
            #expect(long.headers[.range] == "0-99999")
            let short = try await client.request(
                .patch, location, as: .curator, headers: [.contentRange: "100000-100099"], body: ByteBuffer(bytes: bytes[100_000..<100_010]))
            #expect(short.status == .badRequest)
            #expect(short.headers[.range] == "0-100009")
            let badTotal = try await client.request(
                .patch, location, as: .curator, headers: [.contentRange: "bytes 100010-100019/abc"], body: ByteBuffer(bytes: bytes[100_010..<100_020]))
            #expect(badTotal.status == .badRequest)
            let pastInt64 = try await client.request(
                .patch, location, as: .curator, headers: [.contentRange: "100010-9223372036854775807"], body: ByteBuffer(bytes: bytes[100_010..<100_020]))
            #expect(pastInt64.status == .badRequest)

            let progress = try await client.request(.get, location, as: .curator)
            #expect(try progress.decode(UploadStatus.self).offset == 100_010)

            let second = try await client.request(
                .patch, location, as: .curator, headers: [.contentRange: "bytes 100010-199999/*"], body: ByteBuffer(bytes: bytes[100_010..<200_000]))
            #expect(try second.decode(UploadStatus.self).offset == 200_000)

            let finished = try await client.request(
                .put, "\(location)?digest=\(Digest.of(bytes))", as: .curator, body: ByteBuffer(bytes: bytes[200_000...]))
            #expect(finished.status == .created)
            #expect(try finished.decode(ArchiveReference.self).size == Int64(bytes.count))
            #expect(try await client.request(.get, "/api/v1/blobs/\(Digest.of(bytes))", as: .reviewer).bytes == bytes)
            #expect(try await client.request(.get, location, as: .curator).status == .notFound)
        }
        #expect(hub.uploadFiles().isEmpty)
    }

    @Test func resumableUploadErrors() async throws {
        let hub = try await TestHub.make()
        try await hub.run { (client) async throws in
            let unknown = "/api/v1/blobs/uploads/6f1c2c7e-0d7a-4d8e-9a63-1b7c5d1e2f30"
            #expect(try await client.request(.patch, unknown, as: .curator, body: ByteBuffer(bytes: [1])).status == .notFound)
            #expect(try await client.request(.delete, unknown, as: .curator).status == .notFound)
            #expect(try await client.request(.get, "/api/v1/blobs/uploads/not-a-uuid", as: .curator).status == .notFound)

            let started = try await client.request(.post, "/api/v1/blobs/uploads", as: .curator)
            let location = try #require(started.headers[.location])
            let malformed = try await client.request(.patch, location, as: .curator, headers: [.contentRange: "nine-ten"], body: ByteBuffer(bytes: [1]))
            #expect(malformed.status == .badRequest)
            let noDigest = try await client.request(.put, location, as: .curator)
            #expect(noDigest.status == .badRequest)
            try await client.request(.patch, location, as: .curator, body: ByteBuffer(bytes: [1, 2, 3]))
            let mismatch = try await client.request(.put, "\(location)?digest=\(Digest.of([9]))", as: .curator)
            #expect(mismatch.status == .badRequest)
            // A failed finish drops the upload.
            #expect(try await client.request(.get, location, as: .curator).status == .notFound)

            let other = try await client.request(.post, "/api/v1/blobs/uploads", as: .curator)
            let otherLocation = try #require(other.headers[.location])
            #expect(try await client.request(.delete, otherLocation, as: .curator).status == .noContent)
            #expect(try await client.request(.get, otherLocation, as: .curator).status == .notFound)
        }
        #expect(hub.uploadFiles().isEmpty)
    }

    @Test func malformedDigestsAndUnknownBlobs() async throws {
        let hub = try await TestHub.make()
        try await hub.run { (client) async throws in
            #expect(try await client.request(.get, "/api/v1/blobs/sha256:xyz").status == .badRequest)
            #expect(try await client.request(.get, "/api/v1/blobs/\(Digest.of([0]))", as: .reviewer).status == .notFound)
            #expect(try await client.request(.post, "/api/v1/blobs/uploads?digest=md5:abc", as: .curator).status == .badRequest)
        }
    }

    @Test func archivesAreServedToThoseWhoMaySeeTheirVersion() async throws {
        let hub = try await TestHub.make()
        let pending = try TestPackage.make(version: "1.0.0", files: ["model.onnx": "pending weights"])
        let approved = try TestPackage.make(version: "1.1.0", files: ["model.onnx": "approved weights"])
        try await hub.run { (client) async throws in
            try await client.publish(pending)
            try await client.publishApproved(approved)
            let pendingURI = "/api/v1/blobs/\(pending.reference.digest)"
            let approvedURI = "/api/v1/blobs/\(approved.reference.digest)"
            #expect(try await client.request(.get, approvedURI).status == .ok)
            #expect(try await client.request(.get, approvedURI, as: .reader).status == .ok)
            // An unreviewed archive: curators, reviewers and admins may fetch it; readers and anonymous users may not.
            #expect(try await client.request(.get, pendingURI).status == .notFound)
            #expect(try await client.request(.head, pendingURI).status == .notFound)
            #expect(try await client.request(.get, pendingURI, as: .reader).status == .notFound)
            #expect(try await client.request(.get, pendingURI, as: .curator).status == .ok)
            #expect(try await client.request(.get, pendingURI, as: .reviewer).status == .ok)
            #expect(try await client.request(.get, pendingURI, as: .admin).status == .ok)
            let uploadedOnly = Array("not yet published".utf8)
            try await client.upload(uploadedOnly)
            let uploadedURI = "/api/v1/blobs/\(Digest.of(uploadedOnly))"
            // HEAD and GET agree, whoever asks.
            #expect(try await client.request(.head, uploadedURI, as: .curator).status == .ok)
            #expect(try await client.request(.get, uploadedURI, as: .curator).status == .ok)
            #expect(try await client.request(.head, uploadedURI, as: .reader).status == .notFound)
            #expect(try await client.request(.get, uploadedURI, as: .reader).status == .notFound)
            #expect(try await client.request(.get, uploadedURI).status == .notFound)
        }
    }
}
