import CArchive
import MaxhubCore

extension ArchiveInspector {
    /// The SHA-256 digest and size of the archive's tar stream once decompressed: an OCI layer's DiffID. One pass,
    /// in the blocks libarchive decompresses.
    public static func uncompressedDigest(archiveAt path: String) throws(ArchiveError) -> (digest: Digest, size: Int64) {
        guard let archive = archive_read_new() else {
            throw .unreadableArchive(archive: path, message: "libarchive could not allocate a reader")
        }
        defer { archive_read_free(archive) }
        _ = archive_read_support_filter_all(archive)
        _ = archive_read_support_format_raw(archive)
        guard archive_read_open_filename(archive, path, 1 << 20) == ARCHIVE_OK else {
            throw .unreadableArchive(archive: path, message: ArchiveReadSession.message(archive))
        }
        var entry: OpaquePointer?
        guard archive_read_next_header(archive, &entry) == ARCHIVE_OK else {
            throw .unreadableArchive(archive: path, message: ArchiveReadSession.message(archive))
        }
        var hasher = DigestingHasher()
        while true {
            var block: UnsafeRawPointer?
            var count = 0
            var offset: Int64 = 0
            let status = archive_read_data_block(archive, &block, &count, &offset)
            if status == ARCHIVE_EOF { break }
            guard status == ARCHIVE_OK else { throw .unreadableArchive(archive: path, message: ArchiveReadSession.message(archive)) }
            hasher.update(UnsafeRawBufferPointer(start: block, count: count))
        }
        let size = hasher.byteCount
        return (hasher.finalize(), size)
    }
}
