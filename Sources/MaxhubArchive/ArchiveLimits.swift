/// Ceilings on what reading or extracting an archive may produce, so that a small archive cannot
/// expand into a disk-filling one. A nil field has no ceiling.
public struct ArchiveLimits: Equatable, Sendable {
    /// The largest sum of all entries' sizes, uncompressed.
    public var maxTotalSize: Int64?
    /// The largest number of entries (files, folders and links).
    public var maxEntryCount: Int?
    /// The largest size of any one entry.
    public var maxEntrySize: Int64?

    public init(maxTotalSize: Int64? = nil, maxEntryCount: Int? = nil, maxEntrySize: Int64? = nil) {
        self.maxTotalSize = maxTotalSize
        self.maxEntryCount = maxEntryCount
        self.maxEntrySize = maxEntrySize
    }

    /// No ceilings at all.
    public static let unlimited = ArchiveLimits()
}

/// Which of the `ArchiveLimits` an archive went over.
public enum ArchiveLimit: Equatable, Sendable, CustomStringConvertible {
    case totalSize(Int64)
    case entryCount(Int)
    case entrySize(Int64)

    public var description: String {
        switch self {
        case .totalSize(let limit): "the total uncompressed size limit of \(limit) bytes"
        case .entryCount(let limit): "the limit of \(limit) entries"
        case .entrySize(let limit): "the entry size limit of \(limit) bytes"
        }
    }
}
