import CArchive
import MaxhubCore

/// An archive open for reading with libarchive: any compression libarchive knows, tar formats only.
///
/// Entries come one by one with `nextHeader()`; the data of the current entry streams through
/// `readData(entry:_:)` in the blocks libarchive decompresses, never whole.
final class ArchiveReadSession {
    let archivePath: String
    private let archive: OpaquePointer
    /// The file's bytes as libarchive pulls them, hashed on the way.
    private let source: HashingArchiveSource

    /// `hashes: false` when the archive's digest is known from elsewhere; `following` reads a file still being written.
    convenience init(archivePath: String, hashes: Bool = true, following growth: GrowingFile? = nil) throws(ArchiveError) {
        try self.init(source: HashingArchiveSource(path: archivePath, hashes: hashes, following: growth), label: archivePath)
    }

    /// Reads the bytes another thread writes into `pipe`; `label` names the archive in error messages.
    convenience init(pipe: BytePipe, label: String, hashes: Bool = true) throws(ArchiveError) {
        try self.init(source: HashingArchiveSource(pipe: pipe, label: label, hashes: hashes), label: label)
    }

    private init(source: HashingArchiveSource, label archivePath: String) throws(ArchiveError) {
        self.archivePath = archivePath
        self.source = source
        guard let archive = archive_read_new() else {
            throw .unreadableArchive(archive: archivePath, message: "libarchive could not allocate a reader")
        }
        // Returns a warning when some filter needs an external program; reading still works.
        _ = archive_read_support_filter_all(archive)
        _ = archive_read_support_format_tar(archive)
        _ = archive_read_support_format_gnutar(archive)
        // No skip callback: libarchive reads every byte in order, so the source's hash covers the whole file.
        let client = Unmanaged.passUnretained(source).toOpaque()
        let status = UTF8Locale.run {
            archive_read_open(archive, client, nil, { _, client, buffer in
                guard let client else { return -1 }
                let source = Unmanaged<HashingArchiveSource>.fromOpaque(client).takeUnretainedValue()
                let count = source.readChunk()
                buffer?.pointee = source.bufferStart
                return la_ssize_t(count)
            }, nil)
        }
        guard status == ARCHIVE_OK else {
            let message = source.failureMessage ?? Self.message(archive)
            archive_read_free(archive)
            throw .unreadableArchive(archive: archivePath, message: message)
        }
        self.archive = archive
    }

    deinit {
        archive_read_free(archive)
    }

    /// After the last entry: the SHA-256 digest and size of the archive file itself, from the same pass.
    func archiveDigest() throws(ArchiveError) -> (digest: Digest, size: Int64) {
        try source.finish()
    }

    /// The next entry's header, or nil at the end of the archive. A warning is an error here:
    /// libarchive warns when it skips damaged headers or cannot convert a name.
    func nextHeader() throws(ArchiveError) -> ArchiveEntryHeader? {
        try UTF8Locale.run { () throws(ArchiveError) -> ArchiveEntryHeader? in
            var entry: OpaquePointer?
            let status = archive_read_next_header(archive, &entry)
            if status == ARCHIVE_EOF { return nil }
            guard status == ARCHIVE_OK, let entry else {
                let message = source.failureMessage ?? Self.message(archive)
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
                throw .unreadableEntry(entry: name, archive: archivePath, message: source.failureMessage ?? Self.message(archive))
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
