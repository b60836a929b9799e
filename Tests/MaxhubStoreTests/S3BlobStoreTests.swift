import Foundation
import MaxhubCore
import MaxhubStore
import MaxhubTestSupport
import NIOCore
import Testing

/// What the S3 store does beyond `BlobStoreContract`, against the real SeaweedFS: blobs of several segments made by
/// server-side copies, appends spread over processes, SigV4 refusals, presigned reads, and a blob changed in the bucket.
@Suite(.onTestThreads) struct S3BlobStoreTests {
    private typealias Fixtures = BlobFixtures
    private static let partSize = 5 << 20

    @Test func aBlobOfManySegmentsAppendedThroughSeveralStoresIsWhole() async throws {
        let bucket = try await BlobStoreKind.newBucket()
        // Three "replicas" sharing the bucket: none holds another's running hash.
        let replicas = (0..<3).map { _ in S3BlobStore(bucket: bucket, partSize: Self.partSize) }
        let bytes = Fixtures.makeBytes(3 * Self.partSize + 1_234_567, seed: 21)
        let upload = try await replicas[0].startUpload(.resumable)
        // Appends that end inside a segment, exactly on its end, and span several.
        let cuts = [0, 3_000_000, Self.partSize, 2 * Self.partSize + 17, bytes.count]
        for index in 0..<(cuts.count - 1) {
            let store = replicas[index % replicas.count]
            let part = Array(bytes[cuts[index]..<cuts[index + 1]])
            let size = try await store.append(to: upload, at: Int64(cuts[index]), Fixtures.chunks(part, size: 300_000), limit: .max)
            #expect(size == Int64(cuts[index + 1]))
            #expect(try await replicas[(index + 1) % replicas.count].uploadSize(upload) == size)
        }
        let objects = try await bucket.list(prefix: "uploads/\(upload)/")
        #expect(objects.map(\.size).sorted() == [0, 1_234_567, Int64(Self.partSize), Int64(Self.partSize), Int64(Self.partSize)])

        let reference = try await replicas[2].finishUpload(upload, expecting: Digest.of(bytes))
        #expect(reference.size == Int64(bytes.count))
        #expect(try await bucket.list(prefix: "uploads/\(upload)/").isEmpty, "the segments go once the blob is made")
        let read = try await Fixtures.read(reference.digest, from: replicas[1])
        #expect(read.bytes == bytes)
        let middle: Range<Int64> = Int64(Self.partSize - 10)..<Int64(2 * Self.partSize + 10)
        #expect(try await Fixtures.read(reference.digest, range: middle, from: replicas[0]).bytes
            == Array(bytes[Int(middle.lowerBound)..<Int(middle.upperBound)]))
    }

    @Test func aSegmentLeftPastAGapIsNotPartOfTheUploadAndTheNextAppendRemovesIt() async throws {
        let bucket = try await BlobStoreKind.newBucket()
        let store = S3BlobStore(bucket: bucket, partSize: Self.partSize)
        let bytes = Fixtures.makeBytes(4 * Self.partSize + 99, seed: 24)
        let upload = try await store.startUpload(.resumable)
        let first = Self.partSize + 1_000
        #expect(try await store.append(to: upload, at: 0, Fixtures.chunks(Array(bytes[..<first]), size: 300_000), limit: .max) == Int64(first))
        // What an append leaves when the store of one segment fails while the next lands: a full segment past a gap,
        // and one past the short last segment.
        func key(_ offset: Int) -> String { "uploads/\(upload)/" + String(format: "%016ld", offset) }
        try await bucket.put(key(3 * Self.partSize), ByteBuffer(bytes: Fixtures.makeBytes(Self.partSize, seed: 25)))
        try await bucket.put(key(first), ByteBuffer(bytes: [1, 2, 3]))
        #expect(try await store.uploadSize(upload) == Int64(first), "the upload is what lies before the gap")
        let other = S3BlobStore(bucket: bucket, partSize: Self.partSize)
        #expect(try await other.uploadSize(upload) == Int64(first))

        #expect(try await other.append(to: upload, at: Int64(first), Fixtures.chunks(Array(bytes[first...]), size: 300_000), limit: .max)
            == Int64(bytes.count))
        let sizes = try await bucket.list(prefix: "uploads/\(upload)/").map(\.size).sorted()
        #expect(sizes == [0, 99] + Array(repeating: Int64(Self.partSize), count: 4), "the leftovers are gone")
        let reference = try await store.finishUpload(upload, expecting: Digest.of(bytes))
        #expect(try await Fixtures.read(reference.digest, from: store).bytes == bytes)
    }

    @Test func anAppendWhoseStoreIsCutKeepsAPrefixAndResumesToAWholeBlob() async throws {
        let direct = try await BlobStoreKind.newBucket()
        let server = try await SeaweedServer.shared()
        let port = try #require(URLComponents(string: server.endpoint)?.port)
        // The store's connections pass through a relay that cuts the first to carry 12 MiB, in the middle of a segment's
        // PUT, while another may be landing beside it.
        let proxy = try CuttingProxy(to: port, cuttingAfter: 12 << 20)
        defer { proxy.stop() }
        let location = try S3Bucket.Location(parsing: "s3://\(direct.location.bucket)?endpoint=\(proxy.url)&region=us-east-1")
        let cut = S3BlobStore(
            bucket: S3Bucket(location: location, credentials: .init(accessKeyID: server.accessKey, secretAccessKey: server.secretKey)),
            partSize: Self.partSize)
        let bytes = Fixtures.makeBytes(8 * Self.partSize + 4_321, seed: 26)
        let upload = try await cut.startUpload(.resumable)
        await #expect(throws: (any Error).self) {
            _ = try await cut.append(to: upload, at: 0, Fixtures.chunks(bytes, size: 1 << 20), limit: .max)
        }
        #expect(proxy.didCut)

        let store = S3BlobStore(bucket: direct, partSize: Self.partSize)
        let kept = try await store.uploadSize(upload)
        #expect(kept % Int64(Self.partSize) == 0 && kept < Int64(bytes.count), "a prefix of whole segments: \(kept)")
        #expect(try await store.append(to: upload, at: kept, Fixtures.chunks(Array(bytes[Int(kept)...]), size: 1 << 20), limit: .max)
            == Int64(bytes.count))
        let reference = try await store.finishUpload(upload, expecting: Digest.of(bytes))
        #expect(try await Fixtures.read(reference.digest, from: store).bytes == bytes)
        #expect(try await direct.list(prefix: "uploads/\(upload)/").isEmpty)
    }

    @Test func aWrongSecretIsRefusedByTheStore() async throws {
        let server = try await SeaweedServer.shared()
        let good = try await BlobStoreKind.newBucket()
        let wrong = S3Bucket(location: good.location, credentials: .init(accessKeyID: server.accessKey, secretAccessKey: "not-the-secret"))
        let error = await #expect(throws: S3Error.self) { try await wrong.check() }
        #expect(error?.description.contains("SignatureDoesNotMatch") == true, "\(String(describing: error))")
        let unknown = S3Bucket(location: good.location, credentials: .init(accessKeyID: "nobody", secretAccessKey: "x"))
        let refusal = await #expect(throws: S3Error.self) { try await unknown.check() }
        #expect(refusal?.description.contains("403") == true, "\(String(describing: refusal))")
        try await good.check()
    }

    @Test func anUnreachableStoreSaysSo() async throws {
        let location = try S3Bucket.Location(parsing: "s3://nowhere?endpoint=http://127.0.0.1:9&region=us-east-1")
        let bucket = S3Bucket(location: location, credentials: .init(accessKeyID: "a", secretAccessKey: "b"))
        let error = await #expect(throws: S3Error.self) { try await bucket.check() }
        #expect(error?.description.hasPrefix("the object store s3://nowhere at http://127.0.0.1:9 cannot be reached") == true)
    }

    @Test func aPresignedURLReadsTheBlobWithoutCredentialsForItsLifetime() async throws {
        let bucket = try await BlobStoreKind.newBucket()
        let store = S3BlobStore(bucket: bucket)
        let bytes = Fixtures.makeBytes(200_000, seed: 22)
        let digest = try await Fixtures.store(bytes, in: store).digest
        let url = store.presignedURL(for: digest, expires: 60)
        #expect(try Curl.get(url, range: nil) == (200, bytes))
        #expect(try Curl.get(url, range: "bytes=10-19").body == Array(bytes[10..<20]))
        let tampered = url.replacingOccurrences(of: "X-Amz-Expires=60", with: "X-Amz-Expires=61")
        #expect(try Curl.get(tampered, range: nil).status == 403)
        let expired = bucket.presignedGET("blobs/sha256/\(digest.hex)", expires: 1, at: Date().addingTimeInterval(-60))
        #expect(try Curl.get(expired, range: nil).status == 403)
    }

    @Test func aBlobChangedInTheBucketIsQuarantinedAndAnUploadRepairsIt() async throws {
        let bucket = try await BlobStoreKind.newBucket()
        let store = S3BlobStore(bucket: bucket)
        let bytes = Fixtures.makeBytes(300_000, seed: 23)
        let digest = try await Fixtures.store(bytes, in: store).digest
        var rotten = bytes
        rotten[150_000] ^= 0xff
        try await bucket.put("blobs/sha256/\(digest.hex)", ByteBuffer(bytes: rotten))
        #expect(try await store.holdsItsBytes(digest) { _ in } == false, "fsck's check finds it")
        #expect(try await store.size(of: digest) == 300_000, "and leaves it to --repair")

        var handedOver = 0
        await #expect(throws: BlobStoreError.corrupt(digest)) {
            try await store.read(digest, range: nil) { handedOver += $0.readableBytes }
        }
        #expect(handedOver < bytes.count, "the last chunk is held back")
        #expect(try await store.size(of: digest) == nil, "quarantined")
        #expect(try await bucket.head("quarantine/sha256/\(digest.hex)")?.size == 300_000)
        try await Fixtures.store(bytes, in: store)
        #expect(try await Fixtures.read(digest, from: store).bytes == bytes)
    }

    @Test(arguments: [
        "s3://", "s3://ab", "s3://Upper", "http://bucket", "s3://bucket/key", "s3://bucket?endpoint=ftp://x",
        "s3://bucket?endpoint=", "s3://bucket?color=red", "s3://bucket?endpoint=http://host/path",
    ])
    func aBadLocationIsRefused(_ text: String) {
        #expect(throws: S3Error.self) { try S3Bucket.Location(parsing: text) }
    }

    @Test func locationsReadAsDocumented() throws {
        let local = try S3Bucket.Location(parsing: "s3://models?endpoint=http://127.0.0.1:8333&region=eu-west-1")
        #expect(local.host == "127.0.0.1:8333" && local.scheme == "http" && local.region == "eu-west-1" && local.pathStyle)
        let aws = try S3Bucket.Location(parsing: "s3://models")
        #expect(aws.host == "models.s3.us-east-1.amazonaws.com" && aws.scheme == "https" && !aws.pathStyle)
    }
}

/// curl, for requests that must not come from maxhub's own client.
enum Curl {
    static func get(_ url: String, range: String?) throws -> (status: Int, body: [UInt8]) {
        let folder = try TestFolder()
        defer { folder.remove() }
        let arguments = ["-s", "-o", folder.path("body"), "-w", "%{http_code}"] + (range.map { ["-H", "Range: \($0)"] } ?? []) + [url]
        let status = Int(try ToolRun.run("/usr/bin/curl", arguments).stdout) ?? 0
        let body = (try? Data(contentsOf: URL(fileURLWithPath: folder.path("body")))).map { [UInt8]($0) } ?? []
        return (status, body)
    }
}
