import MaxhubCore
import NIOCore

/// Where the hub keeps blobs (package archives), addressed by their SHA-256 digest.
///
/// Uploads go to a staging area first, are hashed as they arrive, and become visible under their digest only once the
/// digest is checked and the bytes are durable, so a crash never leaves a partial blob visible. `FileBlobStore` is the
/// embedded implementation; `BlobStoreContract` in the tests is what any other one (S3-compatible storage, say) must pass.
public protocol BlobStore: Sendable {
    /// The size of a stored blob, or nil when the store does not have it.
    func size(of digest: Digest) async throws -> Int64?

    /// Opens an upload and returns its id.
    func startUpload(_ kind: UploadKind) async throws -> String

    /// Appends the chunks to an upload, which must hold exactly `offset` bytes (else `BlobStoreError.offsetMismatch`),
    /// and returns its new size. Throws `BlobStoreError.tooLarge` as soon as the upload would pass `limit` bytes; what was
    /// appended before the error stays, so a resumable upload can continue from `uploadSize`.
    func append(
        to upload: String, at offset: Int64, _ chunks: some AsyncSequence<ByteBuffer, any Error>, limit: Int64
    ) async throws -> Int64

    /// How many bytes an upload holds. Throws `BlobStoreError.uploadNotFound`.
    func uploadSize(_ upload: String) async throws -> Int64

    /// Checks the upload's digest and moves it, durably, under that digest; the upload is gone afterwards either way.
    /// A mismatch throws `BlobStoreError.digestMismatch` and leaves nothing behind. A blob already stored is kept as is.
    func finishUpload(_ upload: String, expecting digest: Digest) async throws -> ArchiveReference

    /// Drops an upload and its bytes. Unknown ids are ignored.
    func cancelUpload(_ upload: String) async throws

    /// Removes what dead uploads left: every monolithic upload (nobody can resume one), and resumable uploads untouched
    /// for longer than `age`. Returns how many it removed. The hub calls it when it starts. A store that several hubs
    /// share keeps the monolithic uploads that saw an append lately, since another hub may be filling them.
    func removeAbandonedUploads(resumableOlderThan age: Duration) async throws -> Int

    /// Streams a blob, or the bytes in `range` of it, to `write` in chunks, waiting for each write before reading on.
    /// Throws `BlobStoreError.blobNotFound`.
    func read(_ digest: Digest, range: Range<Int64>?, to write: (ByteBuffer) async throws -> Void) async throws

    /// Runs `body` with the path of a local file holding the blob (the blob itself on a file store, a temporary copy
    /// otherwise), for readers such as libarchive that want a file.
    func withLocalFile<Result: Sendable>(
        for digest: Digest, _ body: (String) async throws -> Result
    ) async throws -> Result

    /// Removes a blob. Unknown digests are ignored.
    func delete(_ digest: Digest) async throws

    /// Renews a blob's grace period against garbage collection (`maxhub admin gc` keeps what was stored or renewed
    /// within the grace): the hub renews a blob that a curator asks about before publishing it. Unknown digests are
    /// ignored.
    func renew(_ digest: Digest) async

    /// A URL that reads the blob straight from the store, without the hub, for `lifetime`; nil when the store has no
    /// such thing (files). The hub redirects downloads there.
    func directURL(for digest: Digest, lifetime: Duration) -> String?
}

extension BlobStore {
    public func directURL(for digest: Digest, lifetime: Duration) -> String? { nil }
}
