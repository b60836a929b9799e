import Foundation
import MaxhubCore
import MaxhubStore
import MaxhubTestSupport
import NIOCore
import Testing

/// The blob stores `BlobStoreContract` runs against. A new implementation (S3-compatible storage, say) adds a case
/// and its factory here, and passes the same tests.
enum BlobStoreKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case files
    /// SeaweedFS's S3 gateway (`SeaweedServer`), a new bucket for each store.
    case s3

    var testDescription: String { rawValue }

    /// Runs `body` with a new, empty store of this kind, then removes what it left.
    func withStore(_ body: (BlobHarness) async throws -> Void) async throws {
        switch self {
        case .files:
            let folder = try TestFolder()
            defer { folder.remove() }
            try await body(BlobHarness(store: FileBlobStore(root: folder.path), reopen: { FileBlobStore(root: folder.path) }))
        case .s3:
            let bucket = try await Self.newBucket()
            try await body(BlobHarness(store: S3BlobStore(bucket: bucket), reopen: { S3BlobStore(bucket: bucket) }))
        }
    }

    /// A new, empty bucket on the test process's SeaweedFS; the server's first seconds may refuse it.
    static func newBucket() async throws -> S3Bucket {
        let server = try await SeaweedServer.shared()
        let bucket = S3Bucket(
            location: try S3Bucket.Location(parsing: server.location(bucket: SeaweedServer.newBucketName())),
            credentials: .init(accessKeyID: server.accessKey, secretAccessKey: server.secretKey))
        let deadline = ContinuousClock.now + .seconds(30)
        while true {
            do {
                try await bucket.create()
                return bucket
            } catch where ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(200))
            }
        }
    }
}

/// A store under test and what the contract needs beyond the protocol.
struct BlobHarness: Sendable {
    let store: any BlobMaintenance
    /// A new instance over the same storage, as after a restart: nothing of the first one's memory carries over.
    let reopen: @Sendable () -> any BlobStore
}

/// Small factories and readers for blob tests.
enum BlobFixtures {
    /// Deterministic bytes that differ with `seed`.
    static func makeBytes(_ count: Int, seed: UInt64 = 1) -> [UInt8] {
        var random = SeededRandom(seed: seed)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count + 8)
        while bytes.count < count {
            withUnsafeBytes(of: random.next()) { bytes.append(contentsOf: $0) }
        }
        return Array(bytes.prefix(count))
    }

    /// The bytes as chunks of at most `size` bytes.
    static func chunks(_ bytes: [UInt8], size: Int = 64 * 1024) -> AsyncThrowingStream<ByteBuffer, any Error> {
        stream(stride(from: 0, to: bytes.count, by: size).map { Array(bytes[$0..<min($0 + size, bytes.count)]) })
    }

    /// The parts as one chunk each, then `failure` if given.
    static func stream(_ parts: [[UInt8]], failingWith failure: (any Error)? = nil) -> AsyncThrowingStream<ByteBuffer, any Error> {
        AsyncThrowingStream { continuation in
            for part in parts { continuation.yield(ByteBuffer(bytes: part)) }
            continuation.finish(throwing: failure)
        }
    }

    /// Uploads the bytes in one go and finishes the upload under their digest.
    @discardableResult
    static func store(_ bytes: [UInt8], in store: any BlobStore, kind: UploadKind = .monolithic) async throws -> ArchiveReference {
        let upload = try await store.startUpload(kind)
        _ = try await store.append(to: upload, at: 0, chunks(bytes), limit: .max)
        return try await store.finishUpload(upload, expecting: Digest.of(bytes))
    }

    /// Every byte a read hands over, and the size of each chunk.
    static func read(_ digest: Digest, range: Range<Int64>? = nil, from store: any BlobStore) async throws -> (bytes: [UInt8], chunks: [Int]) {
        var bytes: [UInt8] = []
        var chunks: [Int] = []
        try await store.read(digest, range: range) { buffer in
            bytes += buffer.readableBytesView
            chunks.append(buffer.readableBytes)
        }
        return (bytes, chunks)
    }

    struct StreamBroke: Error {}
}
