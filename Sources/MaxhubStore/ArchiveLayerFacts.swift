import MaxhubCore

/// What an archive is as an OCI layer, found once by reading it whole and kept by its digest: its compression and its
/// DiffID (the digest and size of the tar stream once decompressed). Derived from the bytes, so every hub finds the same.
public struct ArchiveLayerFacts: Sendable, Equatable {
    public var archive: Digest
    /// `zstd` or `gzip`.
    public var compression: String
    public var diffID: Digest
    public var uncompressedSize: Int64

    public init(archive: Digest, compression: String, diffID: Digest, uncompressedSize: Int64) {
        self.archive = archive
        self.compression = compression
        self.diffID = diffID
        self.uncompressedSize = uncompressedSize
    }
}
