import Foundation
import MaxhubCore
import NIOCore
import _NIOFileSystem

/// The embedded blob store: files under one root folder.
///
/// ```
/// ROOT/blobs/sha256/ab/abcdef...      a blob, named by its digest, under the first two hex digits
/// ROOT/uploads/monolithic/<uuid>      an upload made in one request
/// ROOT/uploads/resumable/<uuid>       an upload made in chunks, which may be resumed
/// ```
///
/// An upload is hashed as it is written; a finished upload is fsynced and renamed into `blobs/`, whose folder is then
/// fsynced, so a blob is either whole or absent. The running hashes live in memory; after a restart, an upload's hash
/// is rebuilt from its file before the next append. The root must be on one file system (renames are atomic).
///
/// Ranged reads: a range must be non-empty and lie within the blob (else `BlobStoreError.rangeNotSatisfiable`), with
/// one exception, `0..<0` on an empty blob, which reads nothing.
public struct FileBlobStore: BlobStore {
    public let root: String
    /// How much a read hands to its writer at a time: `ReadBudget`'s share, at most this much.
    public static let chunkSize: Int64 = 1 << 20
    /// How many received bytes an upload gathers before it writes them.
    static let writeSize = 1 << 20

    let fileSystem = FileSystem.shared
    let hashers = UploadHashers()
    let readBudget = ReadBudget(total: 8 << 20, largest: chunkSize, smallest: 64 << 10)

    /// A store whose folders live under `root`; they are created as needed.
    public init(root: String) {
        self.root = root
    }

    public func size(of digest: Digest) async throws -> Int64? {
        try await fileSystem.info(forFileAt: blobPath(digest))?.size
    }

    /// A read of the whole blob is hashed as it goes, and its last chunk is written only once the digest matched: a blob
    /// that rotted on disk is quarantined and never handed out whole (`BlobStoreError.corrupt`).
    public func read(_ digest: Digest, range: Range<Int64>?, to write: (ByteBuffer) async throws -> Void) async throws {
        try await read(digest, range: range, checkingWholeReads: true, to: write)
    }

    func read(
        _ digest: Digest, range: Range<Int64>?, checkingWholeReads: Bool, to write: (ByteBuffer) async throws -> Void
    ) async throws {
        let handle: ReadFileHandle
        do {
            handle = try await fileSystem.openFile(forReadingAt: blobPath(digest), options: OpenOptions.Read())
        } catch let error as FileSystemError where error.code == .notFound {
            throw BlobStoreError.blobNotFound(digest)
        }
        var rotten = false
        do {
            let size = try await handle.info().size
            let bounds = try Self.bounds(of: range, size: size)
            var hasher = checkingWholeReads && bounds == 0..<size ? DigestingHasher() : nil
            var position = bounds.lowerBound
            // One chunk in flight: the next read waits for the writer, so a slow reader holds back the disk. Chunks are
            // large for few readers (fewer hops between the file system's threads and the connection's) and shrink as
            // more read at once, so that memory stays about the same however many download.
            readBudget.enter()
            defer { readBudget.leave() }
            while position < bounds.upperBound {
                let length = min(readBudget.share(), bounds.upperBound - position)
                let chunk = try await handle.readChunk(fromAbsoluteOffset: position, length: .bytes(length))
                guard chunk.readableBytes > 0 else { throw BlobShrank(digest: digest, expected: bounds.upperBound, found: position) }
                position += Int64(chunk.readableBytes)
                if hasher != nil {
                    chunk.withUnsafeReadableBytes { hasher?.update($0) }
                    if position == bounds.upperBound, let whole = hasher.take(), whole.finalize() != digest {
                        rotten = true
                        throw BlobStoreError.corrupt(digest)
                    }
                }
                try await write(chunk)
            }
        } catch {
            try? await handle.close()
            if rotten { _ = try? await quarantine(digest) }
            throw error
        }
        try await handle.close()
    }

    public func withLocalFile<Result: Sendable>(
        for digest: Digest, _ body: (String) async throws -> Result
    ) async throws -> Result {
        let path = blobPath(digest)
        guard try await fileSystem.info(forFileAt: path) != nil else { throw BlobStoreError.blobNotFound(digest) }
        return try await body(path.string)
    }

    public func delete(_ digest: Digest) async throws {
        try await fileSystem.removeItem(at: blobPath(digest), recursively: false)
    }

    /// Where a blob lives.
    func blobPath(_ digest: Digest) -> FilePath {
        FilePath(root).appending("blobs/\(Digest.algorithm)/\(digest.hex.prefix(2))/\(digest.hex)")
    }

    func uploadFolder(_ kind: UploadKind) -> FilePath {
        FilePath(root).appending("uploads/\(kind.rawValue)")
    }

    /// The part of a blob of `size` bytes that a read covers; see the type's documentation.
    static func bounds(of range: Range<Int64>?, size: Int64) throws(BlobStoreError) -> Range<Int64> {
        guard let range else { return 0..<size }
        if range.isEmpty {
            guard size == 0, range.lowerBound == 0 else { throw .rangeNotSatisfiable(size: size) }
            return range
        }
        guard range.lowerBound >= 0, range.upperBound <= size else { throw .rangeNotSatisfiable(size: size) }
        return range
    }

    /// A blob whose file ended before its size while it was read: the store was changed behind the hub's back.
    struct BlobShrank: Error, CustomStringConvertible {
        let digest: Digest
        let expected: Int64
        let found: Int64

        var description: String { "blob \(digest) ended at byte \(found) while \(expected) bytes were expected" }
    }
}
