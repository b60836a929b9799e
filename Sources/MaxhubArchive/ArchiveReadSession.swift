import CArchive

/// An archive open for reading with libarchive: any compression libarchive knows, tar formats only.
///
/// Entries come one by one with `nextHeader()`; the data of the current entry streams through
/// `readData(entry:_:)` in the blocks libarchive decompresses, never whole.
final class ArchiveReadSession {
    let archivePath: String
    private let archive: OpaquePointer

    static let blockSize = 1 << 16

    init(archivePath: String) throws(ArchiveError) {
        self.archivePath = archivePath
        guard let archive = archive_read_new() else {
            throw .unreadableArchive(archive: archivePath, message: "libarchive could not allocate a reader")
        }
        // Returns a warning when some filter needs an external program; reading still works.
        _ = archive_read_support_filter_all(archive)
        _ = archive_read_support_format_tar(archive)
        _ = archive_read_support_format_gnutar(archive)
        let status = UTF8Locale.run { archive_read_open_filename(archive, archivePath, Self.blockSize) }
        guard status == ARCHIVE_OK else {
            let message = Self.message(archive)
            archive_read_free(archive)
            throw .unreadableArchive(archive: archivePath, message: message)
        }
        self.archive = archive
    }

    deinit {
        archive_read_free(archive)
    }

    /// The next entry's header, or nil at the end of the archive. A warning is an error here:
    /// libarchive warns when it skips damaged headers or cannot convert a name.
    func nextHeader() throws(ArchiveError) -> ArchiveEntryHeader? {
        try UTF8Locale.run { () throws(ArchiveError) -> ArchiveEntryHeader? in
            var entry: OpaquePointer?
            let status = archive_read_next_header(archive, &entry)
            if status == ARCHIVE_EOF { return nil }
            guard status == ARCHIVE_OK, let entry else {
                let message = Self.message(archive)
                if status == ARCHIVE_WARN, let entry {
                    throw .unreadableEntry(entry: ArchiveEntryHeader(entry).rawPath, archive: archivePath, message: message)
                }
                throw .unreadableArchive(archive: archivePath, message: message)
            }
            return ArchiveEntryHeader(entry)
        }
    }

    /// Streams the current entry's data to `body` in order, one decompressed block at a time,
    /// with the block's offset in the entry. Returns the number of bytes read.
    @discardableResult
    func readData(
        entry name: String,
        _ body: (UnsafeRawBufferPointer, Int64) throws(ArchiveError) -> Void
    ) throws(ArchiveError) -> Int64 {
        var position: Int64 = 0
        while true {
            var block: UnsafeRawPointer?
            var count = 0
            var offset: Int64 = 0
            let status = archive_read_data_block(archive, &block, &count, &offset)
            if status == ARCHIVE_EOF { return position }
            guard status == ARCHIVE_OK else {
                throw .unreadableEntry(entry: name, archive: archivePath, message: Self.message(archive))
            }
            // Sparse entries are refused before their data is read, so blocks are contiguous.
            guard offset == position else {
                throw .unreadableEntry(entry: name, archive: archivePath, message: "data block at offset \(offset), expected \(position)")
            }
            try body(UnsafeRawBufferPointer(start: block, count: count), offset)
            position += Int64(count)
        }
    }

    static func message(_ archive: OpaquePointer) -> String {
        guard let text = archive_error_string(archive) else { return "unknown libarchive error" }
        return String(cString: text)
    }
}
