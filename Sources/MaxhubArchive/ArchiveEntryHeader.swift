import CArchive

/// What one entry header of an archive being read says, copied out of libarchive's `archive_entry`.
struct ArchiveEntryHeader {
    /// libarchive's file type values (`AE_IFREG`, ...), the same on every platform.
    enum FileType {
        static let mask: UInt32 = 0o170000
        static let regular: UInt32 = 0o100000
        static let directory: UInt32 = 0o040000
        static let symlink: UInt32 = 0o120000
        static let characterDevice: UInt32 = 0o020000
        static let blockDevice: UInt32 = 0o060000
        static let fifo: UInt32 = 0o010000
        static let socket: UInt32 = 0o140000
    }

    /// The path as stored (invalid UTF-8 repaired, for messages); `pathIsUTF8` says whether it needed repair.
    var rawPath: String
    var pathIsUTF8: Bool
    var fileType: UInt32
    var permissions: UInt32
    var size: Int64?
    var symlinkTarget: String?
    var hardlinkTarget: String?
    var isSparse: Bool

    /// A header from its fields, as a test or a fuzzer makes one without an archive.
    init(
        rawPath: String, pathIsUTF8: Bool = true, fileType: UInt32, permissions: UInt32 = 0o644, size: Int64? = nil,
        symlinkTarget: String? = nil, hardlinkTarget: String? = nil, isSparse: Bool = false,
    ) {
        self.rawPath = rawPath
        self.pathIsUTF8 = pathIsUTF8
        self.fileType = fileType
        self.permissions = permissions
        self.size = size
        self.symlinkTarget = symlinkTarget
        self.hardlinkTarget = hardlinkTarget
        self.isSparse = isSparse
    }

    /// Reads the fields of `entry`; call it with the UTF-8 locale in force (see `UTF8Locale`).
    init(_ entry: OpaquePointer) {
        let (path, valid) = Self.string(archive_entry_pathname(entry) ?? archive_entry_pathname_utf8(entry))
        rawPath = path
        pathIsUTF8 = valid
        fileType = UInt32(archive_entry_filetype(entry)) & FileType.mask
        permissions = UInt32(archive_entry_perm(entry)) & 0o7777
        size = archive_entry_size_is_set(entry) != 0 ? archive_entry_size(entry) : nil
        symlinkTarget = (archive_entry_symlink(entry) ?? archive_entry_symlink_utf8(entry)).map { Self.string($0).0 }
        hardlinkTarget = (archive_entry_hardlink(entry) ?? archive_entry_hardlink_utf8(entry)).map { Self.string($0).0 }
        isSparse = archive_entry_sparse_count(entry) > 0
    }

    private static func string(_ pointer: UnsafePointer<CChar>?) -> (String, Bool) {
        guard let pointer else { return ("", true) }
        if let valid = String(validatingCString: pointer) { return (valid, true) }
        return (String(cString: pointer), false)
    }
}
