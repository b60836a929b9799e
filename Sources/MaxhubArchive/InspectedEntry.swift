import MaxhubCore

/// One entry of an archive as `ArchiveInspector` or `SafeExtractor` saw it, after the safety checks.
public struct InspectedEntry: Equatable, Sendable {
    /// What an entry is. Anything else (devices, fifos, sockets, hard links) is refused before it gets here.
    public enum Kind: String, Sendable {
        case file
        case directory
        case symlink
    }

    /// The normalized relative path: no `./` prefix, no trailing `/`.
    public var path: String
    public var kind: Kind
    /// The number of data bytes (0 for folders and links).
    public var size: Int64
    /// The SHA-256 of the data, for files only.
    public var digest: Digest?
    /// Where a symlink points, as stored (relative to the link's folder).
    public var linkTarget: String?
    /// The permission bits stored in the archive (`0o644`, `0o755`, ...).
    public var mode: UInt32

    public init(path: String, kind: Kind, size: Int64, digest: Digest? = nil, linkTarget: String? = nil, mode: UInt32) {
        self.path = path
        self.kind = kind
        self.size = size
        self.digest = digest
        self.linkTarget = linkTarget
        self.mode = mode
    }

    /// Whether any execute bit is set.
    public var isExecutable: Bool { mode & 0o111 != 0 }
}
