import Foundation
import MaxhubCore

/// What the operator's maintenance (`maxhub admin fsck`, `gc` and `backup`) asks of a catalog store, beside serving.
public protocol CatalogMaintenance: CatalogStore {
    /// Every blob digest in use, with what uses it: the `NAME@VERSION`s whose archive it is (yanked and rejected
    /// versions included: their archives stay), and the `REPOSITORY@DIGEST`s of the manifests pushed under `/v2/` that
    /// name it.
    func blobUsers() async throws -> [Digest: [String]]

    /// Whether any version uses `digest` as its archive, or any pushed manifest names it.
    func blobIsReferenced(_ digest: Digest) async throws -> Bool

    /// "ok", or what the check of the catalog's own consistency found.
    func integrityCheck() async throws -> String
}

/// What the operator's maintenance asks of a blob store, beside serving. A blob's grace against collection runs from
/// when it was stored or last renewed (`BlobStore.renew`).
public protocol BlobMaintenance: BlobStore {
    /// Every stored blob, in digest order.
    func storedBlobs() async throws -> [StoredBlob]

    /// Re-hashes a stored blob without handing it out; `progress` is told how many bytes each read added. nil when the
    /// blob is gone.
    func holdsItsBytes(_ digest: Digest, progress: (Int64) -> Void) async throws -> Bool?

    /// Moves a blob out of the way, where an operator can look at it; returns where. The digest is missing to the hub
    /// from then on, so an upload of the right bytes repairs it.
    @discardableResult
    func quarantine(_ digest: Digest) async throws -> String

    /// Removes the blob when it was neither stored nor renewed since `cutoff` (checked again just before it goes).
    /// Returns whether it removed it.
    func remove(_ digest: Digest, ifUnmodifiedSince cutoff: Date) async throws -> Bool

    /// Uploads without activity since `cutoff`, with the bytes they hold; `cancelUpload` removes one.
    func staleUploads(before cutoff: Date) async throws -> [(id: String, size: Int64)]

    /// Where the blobs are, for messages: a folder or a bucket.
    var place: String { get }
}

/// A blob as a store holds it.
public struct StoredBlob: Sendable, Equatable {
    public var digest: Digest
    public var size: Int64
    /// When it was stored, or last renewed (an upload of the same bytes, or a curator's `HEAD` before a publish).
    public var modified: Date
}
