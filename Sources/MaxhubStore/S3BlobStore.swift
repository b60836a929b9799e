import Foundation
import MaxhubCore
import NIOCore
import _NIOFileSystem

/// Blobs in one bucket of an S3-compatible object store (AWS S3, SeaweedFS, MinIO, Ceph), shared by any number of hub
/// processes.
///
/// ```
/// blobs/sha256/<hex>                 a blob, under its digest
/// uploads/<id>/.resumable            an upload's marker (or .monolithic), rewritten by each append: its last activity
/// uploads/<id>/<offset>              the upload's bytes from that offset (16 digits); the segments from offset 0 on
///                                    make the upload, every one but the last of exactly `partSize` bytes (one past a
///                                    gap is left over from a broken append, and the next append removes it)
/// quarantine/sha256/<hex>            a blob that no longer hashes to its digest
/// renewed/sha256/<hex>               when a blob's grace against garbage collection was last renewed
/// ```
///
/// An upload lives in the bucket, not in a process: any replica can append to it, give its size or finish it. An append
/// continues the last segment (read back, at most `partSize` bytes) and stores each full segment as it fills,
/// `concurrentStores` at once, so a broken append keeps every byte it stored up to its first failed store, and memory
/// stays within `concurrentStores` + 1 segments per append. Finishing checks the
/// digest first (the running hash of this process's appends, or one rebuilt by reading the segments back), and only
/// then makes the blob: a server-side copy of the one segment, or a multipart upload whose parts are server-side copies
/// of the segments (`UploadPartCopy`), which appears whole when it completes. Nothing is visible under a digest before
/// its bytes were checked.
///
/// Appends to one upload take turns within a process; two replicas appending to the same upload at the same moment
/// (one client racing itself) are not serialized.
public struct S3BlobStore: BlobStore {
    public let bucket: S3Bucket
    /// The size of an upload's segments, and so of the multipart parts of a blob made of several (S3 wants at least
    /// 5 MiB; 8 MiB segments allow blobs of up to 80 GiB in S3's 10,000 parts).
    public let partSize: Int
    /// How long a monolithic upload may go without an append before a starting hub takes it for abandoned: other hubs
    /// may be filling it (`removeAbandonedUploads`).
    public let monolithicIdleLimit: Duration
    /// How many full segments an append stores at once: an object store answers each in turn faster than one at a time
    /// (SeaweedFS on two cores: 1 GiB in 8 MiB objects, 8.7 s one by one, 6.5 s two at once).
    public let concurrentStores: Int
    let hashers = UploadHashers()

    public init(
        bucket: S3Bucket, partSize: Int = 8 << 20, concurrentStores: Int = 2, monolithicIdleLimit: Duration = .seconds(15 * 60)
    ) {
        precondition(concurrentStores > 0)
        self.bucket = bucket
        self.partSize = partSize
        self.concurrentStores = concurrentStores
        self.monolithicIdleLimit = monolithicIdleLimit
    }

    public func size(of digest: Digest) async throws -> Int64? {
        try await bucket.head(Self.blobKey(digest))?.size
    }

    // MARK: Reads

    /// A read of the whole blob is hashed as it goes, and its last chunk is handed over only once the digest matched: a
    /// blob changed in the bucket is quarantined and never handed out whole (`BlobStoreError.corrupt`).
    public func read(_ digest: Digest, range: Range<Int64>?, to write: (ByteBuffer) async throws -> Void) async throws {
        guard let size = try await size(of: digest) else { throw BlobStoreError.blobNotFound(digest) }
        let bounds = try FileBlobStore.bounds(of: range, size: size)
        guard !bounds.isEmpty else { return }
        var hasher = bounds == 0..<size ? DigestingHasher() : nil
        var position = bounds.lowerBound
        let found: Bool
        do {
            found = try await bucket.get(Self.blobKey(digest), range: range == nil ? nil : bounds) { chunk in
                guard position + Int64(chunk.readableBytes) <= bounds.upperBound else {
                    throw S3Error.malformedAnswer("a read of \(digest) gave more than its \(bounds.count) bytes")
                }
                position += Int64(chunk.readableBytes)
                if hasher != nil {
                    chunk.withUnsafeReadableBytes { hasher?.update($0) }
                    if position == bounds.upperBound, let whole = hasher.take(), whole.finalize() != digest {
                        throw BlobStoreError.corrupt(digest)
                    }
                }
                try await write(chunk)
            }
        } catch BlobStoreError.corrupt(digest) {
            _ = try? await quarantine(digest)
            throw BlobStoreError.corrupt(digest)
        }
        guard found else { throw BlobStoreError.blobNotFound(digest) }
        guard position == bounds.upperBound else {
            throw S3Error.malformedAnswer("a read of \(digest) ended at byte \(position) of \(bounds.upperBound)")
        }
    }

    public func withLocalFile<Result: Sendable>(
        for digest: Digest, _ body: (String) async throws -> Result
    ) async throws -> Result {
        let path = FilePath(NSTemporaryDirectory()).appending("maxhub-blob-\(UUID().uuidString.lowercased())")
        defer { try? FileManager.default.removeItem(atPath: path.string) }
        try await FileSystem.shared.withFileHandle(forWritingAt: path, options: .newFile(replaceExisting: false)) { handle in
            var writer = handle.bufferedWriter(capacity: .bytes(1 << 20))
            try await read(digest, range: nil) { chunk in _ = try await writer.write(contentsOf: chunk) }
            try await writer.flush()
        }
        return try await body(path.string)
    }

    public func delete(_ digest: Digest) async throws {
        try await bucket.delete(Self.blobKey(digest))
        try await bucket.delete(Self.renewalKey(digest))
    }

    public func renew(_ digest: Digest) async {
        guard (try? await size(of: digest)) != nil else { return }
        try? await bucket.put(Self.renewalKey(digest), ByteBuffer())
    }

    /// Moves a blob out of `blobs/` into `quarantine/`; the digest is missing to the hub from then on, so an upload of
    /// the right bytes repairs it.
    @discardableResult
    public func quarantine(_ digest: Digest) async throws -> String {
        let target = "quarantine/\(Digest.algorithm)/\(digest.hex)"
        guard let blob = try await bucket.head(Self.blobKey(digest)) else { throw BlobStoreError.blobNotFound(digest) }
        try await compose(target, from: [blob])
        try await bucket.delete(Self.blobKey(digest))
        return target
    }

    /// A URL that reads the blob straight from the bucket for `expires` seconds.
    public func presignedURL(for digest: Digest, expires: Int) -> String {
        bucket.presignedGET(Self.blobKey(digest), expires: expires)
    }

    /// A presigned GET.
    public func directURL(for digest: Digest, lifetime: Duration) -> String? {
        presignedURL(for: digest, expires: max(1, Int(lifetime.components.seconds)))
    }

    // MARK: Keys

    static func blobKey(_ digest: Digest) -> String { "blobs/\(Digest.algorithm)/\(digest.hex)" }
    static func renewalKey(_ digest: Digest) -> String { "renewed/\(Digest.algorithm)/\(digest.hex)" }
    static func uploadPrefix(_ upload: String) -> String { "uploads/\(upload)/" }
    static func markerKey(_ upload: String, _ kind: UploadKind) -> String { "uploads/\(upload)/.\(kind.rawValue)" }
    static func segmentKey(_ upload: String, at offset: Int64) -> String {
        let digits = String(offset)
        return "uploads/\(upload)/" + String(repeating: "0", count: max(0, 16 - digits.count)) + digits
    }

    /// Makes `key` hold the objects' bytes, one after the other: a copy of a single one, or a multipart upload of
    /// server-side copies (every object but the last at least 5 MiB), which appears whole when it completes.
    func compose(_ key: String, from objects: [S3Bucket.Object]) async throws {
        switch objects.count {
        case 0:
            try await bucket.put(key, ByteBuffer())
        case 1:
            try await bucket.copy(objects[0].key, to: key)
        default:
            let upload = try await bucket.startMultipartUpload(key)
            do {
                let bucket = self.bucket
                let etags = try await withThrowingTaskGroup(of: (Int, String).self) { group in
                    var etags = [String](repeating: "", count: objects.count)
                    for (index, object) in objects.enumerated() {
                        if index >= 4, let (done, etag) = try await group.next() { etags[done] = etag }
                        group.addTask { (index, try await bucket.copyPart(index + 1, of: upload, to: key, from: object.key)) }
                    }
                    for try await (done, etag) in group { etags[done] = etag }
                    return etags
                }
                try await bucket.completeMultipartUpload(upload, of: key, parts: etags)
            } catch {
                try? await bucket.abortMultipartUpload(upload, of: key)
                throw error
            }
        }
    }
}
