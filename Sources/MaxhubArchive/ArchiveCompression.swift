/// The compression of a package archive. The raw value is the usual file suffix.
public enum ArchiveCompression: String, Sendable, CaseIterable {
    /// Zstandard at level 3, single-threaded: the default.
    case zstd
    /// gzip (deflate level 6) without the timestamp in its header.
    case gzip

    /// The file name suffix of an archive with this compression: `.tar.zst` or `.tar.gz`.
    public var fileSuffix: String {
        switch self {
        case .zstd: ".tar.zst"
        case .gzip: ".tar.gz"
        }
    }
}
