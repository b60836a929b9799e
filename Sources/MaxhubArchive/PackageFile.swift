#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A regular file of a package folder that belongs in its archive.
public struct PackageFile: Equatable, Sendable {
    /// The path relative to the package root, `/`-separated: the archive entry name.
    public var path: String
    /// Where the file is on disk.
    public var absolutePath: String
    /// Whether any execute bit is set on disk (the archive stores 0755 then, 0644 otherwise).
    public var executable: Bool
    /// The size when the folder was walked.
    public var size: Int64
    /// What `lstat` told when the folder was walked: a changed file changes its stamp.
    public var stamp: FileStamp

    public init(path: String, absolutePath: String, executable: Bool, size: Int64, stamp: FileStamp = FileStamp()) {
        self.path = path
        self.absolutePath = absolutePath
        self.executable = executable
        self.size = size
        self.stamp = stamp
    }
}

/// The parts of a file's status that change when its contents do, as git's index keeps them: a file whose stamp is
/// unchanged since it was packed is taken to hold the same bytes (see `PackRecords`).
public struct FileStamp: Hashable, Sendable, Codable {
    public var device: UInt64 = 0
    public var inode: UInt64 = 0
    public var size: Int64 = 0
    public var mode: UInt32 = 0
    /// The last data modification and status change, in nanoseconds since 1970.
    public var modified: Int64 = 0
    public var changed: Int64 = 0

    public init() {}

    init(_ status: stat) {
        device = UInt64(status.st_dev)
        inode = UInt64(status.st_ino)
        size = Int64(status.st_size)
        mode = UInt32(status.st_mode)
        #if os(Linux)
        modified = Int64(status.st_mtim.tv_sec) * 1_000_000_000 + Int64(status.st_mtim.tv_nsec)
        changed = Int64(status.st_ctim.tv_sec) * 1_000_000_000 + Int64(status.st_ctim.tv_nsec)
        #else
        modified = Int64(status.st_mtimespec.tv_sec) * 1_000_000_000 + Int64(status.st_mtimespec.tv_nsec)
        changed = Int64(status.st_ctimespec.tv_sec) * 1_000_000_000 + Int64(status.st_ctimespec.tv_nsec)
        #endif
    }
}
