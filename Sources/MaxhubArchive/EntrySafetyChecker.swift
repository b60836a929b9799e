/// Decides, entry by entry, whether an archive being read may become a package folder.
///
/// It is given every header in archive order, before the entry's data is read or written anywhere,
/// and keeps what it needs to see the whole archive: the paths seen, the symlinks, the running totals.
struct EntrySafetyChecker {
    /// An entry that passed the checks, ready to be hashed or extracted.
    struct AdmittedEntry {
        /// The stored path, for messages.
        var name: String
        var path: String
        var kind: InspectedEntry.Kind
        var declaredSize: Int64
        var linkTarget: String?
        var mode: UInt32
    }

    let limits: ArchiveLimits
    // Sets of String compare canonically equivalent paths (NFC and NFD spellings) as equal, which is
    // what a case-preserving, normalization-insensitive file system such as APFS does too.
    private var seen: Set<String> = []
    private var symlinks: Set<String> = []
    private var files: Set<String> = []
    private var folders: Set<String> = []
    private var entryCount = 0
    private(set) var totalSize: Int64 = 0

    init(limits: ArchiveLimits) {
        self.limits = limits
    }

    /// Checks one header. Returns nil for the package root's own folder entry (`./`), which is skipped.
    mutating func admit(_ header: ArchiveEntryHeader) throws(ArchiveError) -> AdmittedEntry? {
        let name = header.rawPath
        guard header.pathIsUTF8 else { throw .unsafeEntry(name, .notUTF8) }
        let normalized: String?
        do {
            normalized = try EntryPath.normalized(name)
        } catch {
            throw .unsafeEntry(name, error)
        }
        if let hardlink = header.hardlinkTarget { throw .unsafeEntry(name, .hardLink(hardlink)) }
        let kind = try Self.kind(of: header, name: name)
        guard let path = normalized else {
            if kind == .directory { return nil }
            throw .unsafeEntry(name, .emptyPath)
        }
        if header.isSparse { throw .unsafeEntry(name, .sparseFile) }
        if kind == .symlink {
            do {
                try EntryPath.checkSymlinkTarget(header.symlinkTarget ?? "", of: path)
            } catch {
                throw .unsafeEntry(name, error)
            }
        }
        for ancestor in EntryPath.ancestors(of: path) {
            if symlinks.contains(ancestor) { throw .unsafeEntry(name, .throughSymlink(ancestor)) }
            if files.contains(ancestor) { throw .unsafeEntry(name, .insideFile(ancestor)) }
        }
        if seen.contains(path) { throw .unsafeEntry(name, .duplicate) }
        if kind != .directory, folders.contains(path) { throw .unsafeEntry(name, .replacesFolder) }

        let size = kind == .file ? max(header.size ?? 0, 0) : 0
        entryCount += 1
        if let limit = limits.maxEntryCount, entryCount > limit { throw .limitExceeded(entry: name, .entryCount(limit)) }
        try checkSize(adding: size, entry: name)

        seen.insert(path)
        switch kind {
        case .file: files.insert(path)
        case .symlink: symlinks.insert(path)
        case .directory: folders.insert(path)
        }
        for ancestor in EntryPath.ancestors(of: path) { folders.insert(ancestor) }
        let mode = kind == .symlink ? 0o777 : header.permissions
        return AdmittedEntry(name: name, path: path, kind: kind, declaredSize: size, linkTarget: header.symlinkTarget, mode: mode)
    }

    /// Counts `size` more bytes of entry data against the limits.
    mutating func checkSize(adding size: Int64, entry name: String) throws(ArchiveError) {
        if let limit = limits.maxEntrySize, size > limit { throw .limitExceeded(entry: name, .entrySize(limit)) }
        totalSize += size
        if let limit = limits.maxTotalSize, totalSize > limit { throw .limitExceeded(entry: name, .totalSize(limit)) }
    }

    private static func kind(of header: ArchiveEntryHeader, name: String) throws(ArchiveError) -> InspectedEntry.Kind {
        typealias FileType = ArchiveEntryHeader.FileType
        switch header.fileType {
        case FileType.regular: return .file
        case FileType.directory: return .directory
        case FileType.symlink: return .symlink
        case FileType.characterDevice: throw .unsafeEntry(name, .characterDevice)
        case FileType.blockDevice: throw .unsafeEntry(name, .blockDevice)
        case FileType.fifo: throw .unsafeEntry(name, .fifo)
        case FileType.socket: throw .unsafeEntry(name, .socket)
        default: throw .unsafeEntry(name, .unknownType(header.fileType))
        }
    }
}
