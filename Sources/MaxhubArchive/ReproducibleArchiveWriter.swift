import CArchive
import Foundation
import MaxhubCore

/// Writes a package archive that comes out byte-identical for the same entries, whoever packs
/// them, wherever and whenever (given the same libarchive, zlib and libzstd versions).
///
/// The format is pax-restricted tar: plain ustar headers, plus a pax `path` record only for a path
/// longer than ustar holds or not ASCII. Every entry is a regular file with mode 0644 or 0755 (any
/// execute bit on the source gives 0755), uid and gid 0, no user or group names, mtime 0 and no
/// other times, extended attributes, ACLs or file flags. zstd runs at level 3 on one thread; gzip at
/// level 6 with no timestamp or file name in its header.
///
/// Entries must come in the byte order of their UTF-8 paths (`addFile`, `addData`), which is what
/// makes the archive independent of the order a folder is listed in; a duplicate or out-of-order
/// path is an error. After them may come trailers (`addTrailer`): the manifest, which lists the
/// sorted entries' digests and so can only be written once they are known.
///
/// The archive is written to a temp file next to `path`, hashed as it is written, and renamed into
/// place by `finish()`; or streamed into a `BytePipe` (`init(streamingTo:label:)`), with no file at all. An error while writing an entry's data abandons the writer and removes the
/// temp file, as does dropping the writer without finishing; an error found before anything of an
/// entry was written (a bad path, an unreadable file) leaves the writer usable.
public final class ReproducibleArchiveWriter {
    /// Where the finished archive goes.
    public let path: String
    public let compression: ArchiveCompression

    private var archive: OpaquePointer?
    private let output: ArchiveOutputFile
    private var addedPaths: Set<String> = []
    private var lastSortedPath: String?
    private var lastTrailerPath: String?

    /// The zstd level: zstd's own default, a good balance for weights that rarely compress much.
    public static let zstdLevel = 3
    /// The gzip level: zlib's own default.
    public static let gzipLevel = 6
    /// How much of a file is read into memory at a time.
    public static let chunkSize = FileDigester.chunkSize

    /// Starts an archive that `finish()` will put at `path`; the folder must exist.
    public convenience init(writingTo path: String, compression: ArchiveCompression = .zstd) throws(ArchiveError) {
        try self.init(output: ArchiveOutputFile(destination: path), path: path, compression: compression)
    }

    /// Starts an archive whose bytes go into `pipe` as they are compressed, for a consumer on another thread (an
    /// upload) to drain; `finish()` ends the pipe, and an error or dropping the writer fails it. With `keepingAt`, the
    /// same bytes also go to a file there, as with `init(writingTo:)`. `label` names the stream in error messages.
    public convenience init(
        streamingTo pipe: BytePipe, label: String, keepingAt keptPath: String? = nil, compression: ArchiveCompression = .zstd
    ) throws(ArchiveError) {
        let output = try keptPath.map { path throws(ArchiveError) in try ArchiveOutputFile(destination: path, alsoTo: pipe) }
            ?? ArchiveOutputFile(pipe: pipe, label: label)
        try self.init(output: output, path: keptPath ?? label, compression: compression)
    }

    private init(output: ArchiveOutputFile, path: String, compression: ArchiveCompression) throws(ArchiveError) {
        self.path = path
        self.compression = compression
        self.output = output
        guard let archive = archive_write_new() else {
            throw .cannotWriteArchive(archive: path, entry: nil, message: "libarchive could not allocate a writer")
        }
        self.archive = archive
        var status = archive_write_set_format_pax_restricted(archive)
        switch compression {
        case .zstd:
            if status == ARCHIVE_OK { status = archive_write_add_filter_zstd(archive) }
            if status == ARCHIVE_OK { status = archive_write_set_filter_option(archive, "zstd", "compression-level", "\(Self.zstdLevel)") }
            if status == ARCHIVE_OK { status = archive_write_set_filter_option(archive, "zstd", "threads", "0") }
        case .gzip:
            if status == ARCHIVE_OK { status = archive_write_add_filter_gzip(archive) }
            if status == ARCHIVE_OK { status = archive_write_set_filter_option(archive, "gzip", "compression-level", "\(Self.gzipLevel)") }
            // The same as the option string `gzip:!timestamp`: a zero MTIME field in the gzip header.
            if status == ARCHIVE_OK { status = archive_write_set_filter_option(archive, "gzip", "timestamp", nil) }
        }
        // With client callbacks libarchive pads the last block of the *compressed* stream to 10240 bytes
        // with zeros unless told otherwise; zstd readers (libarchive's own included) reject such trailing zeros.
        if status == ARCHIVE_OK { status = archive_write_set_bytes_in_last_block(archive, 1) }
        if status == ARCHIVE_OK {
            let context = Unmanaged.passUnretained(output).toOpaque()
            status = archive_write_open(archive, context, nil, { _, context, buffer, length in
                guard let context, let buffer else { return 0 }
                let output = Unmanaged<ArchiveOutputFile>.fromOpaque(context).takeUnretainedValue()
                return output.write(UnsafeRawBufferPointer(start: buffer, count: length)) ? length : -1
            }, nil)
        }
        guard status == ARCHIVE_OK else {
            let error = failure(entry: nil)
            abandon()
            throw error
        }
    }

    deinit {
        abandon()
    }

    /// Streams the regular file at `sourcePath` into the archive as `entryPath`, in chunks of
    /// `chunkSize`, hashing it on the way. The file must keep its size while it is read.
    public func addFile(at sourcePath: String, as entryPath: String) throws(ArchiveError) -> PackedFile {
        try admit(entryPath, trailer: false)
        let descriptor = open(sourcePath, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard descriptor >= 0 else {
            let code = errno
            if code == ELOOP { throw .unsupportedFileType(path: sourcePath, kind: "symbolic link") }
            throw .cannotOpen(path: sourcePath, errno: code)
        }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw .cannotRead(path: sourcePath, errno: errno) }
        guard status.st_mode & S_IFMT == S_IFREG else {
            throw .unsupportedFileType(path: sourcePath, kind: PackageFileCollector.kindName(of: status.st_mode))
        }
        #if os(Linux)
        _ = posix_fadvise(descriptor, 0, 0, Int32(POSIX_FADV_SEQUENTIAL))
        #endif
        let size = Int64(status.st_size)
        let executable = status.st_mode & 0o111 != 0
        try writeHeader(entryPath, size: size, executable: executable)

        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.chunkSize, alignment: 16)
        defer { buffer.deallocate() }
        var hasher = DigestingHasher()
        while hasher.byteCount < size {
            let wanted = Int(min(Int64(Self.chunkSize), size - hasher.byteCount))
            let count = read(descriptor, buffer.baseAddress, wanted)
            if count < 0, errno == EINTR { continue }
            if count < 0 {
                let code = errno
                abandon()
                throw .cannotRead(path: sourcePath, errno: code)
            }
            if count == 0 {
                abandon()
                throw .fileChangedWhileReading(path: sourcePath, expectedSize: size, actualSize: hasher.byteCount)
            }
            let chunk = UnsafeRawBufferPointer(rebasing: buffer[0..<count])
            hasher.update(chunk)
            try writeData(chunk, entry: entryPath)
        }
        // One byte more means the file grew after its size went into the header.
        var extra: UInt8 = 0
        var grew = read(descriptor, &extra, 1)
        while grew < 0, errno == EINTR { grew = read(descriptor, &extra, 1) }
        if grew != 0 {
            let code = errno
            abandon()
            if grew < 0 { throw .cannotRead(path: sourcePath, errno: code) }
            throw .fileChangedWhileReading(path: sourcePath, expectedSize: size, actualSize: nil)
        }
        try finishEntry(entryPath)
        return PackedFile(path: entryPath, size: size, digest: hasher.finalize(), executable: executable)
    }

    /// Adds small in-memory content as `entryPath`, in the same sorted order as `addFile`.
    public func addData(_ bytes: [UInt8], as entryPath: String, executable: Bool = false) throws(ArchiveError) -> PackedFile {
        try admit(entryPath, trailer: false)
        return try writeMemoryEntry(bytes, as: entryPath, executable: executable)
    }

    /// Adds small in-memory content after all sorted entries: the manifest, written last because it
    /// lists their digests. Once a trailer is added, `addFile` and `addData` are refused; the path
    /// must still be new.
    public func addTrailer(_ bytes: [UInt8], as entryPath: String, executable: Bool = false) throws(ArchiveError) -> PackedFile {
        try admit(entryPath, trailer: true)
        return try writeMemoryEntry(bytes, as: entryPath, executable: executable)
    }

    /// Closes the archive and renames it into place; returns the digest and size of the compressed
    /// file, hashed as it was written. The writer cannot be used afterwards.
    public func finish() throws(ArchiveError) -> (digest: Digest, size: Int64) {
        guard let archive else { throw .writerClosed(archive: path) }
        guard archive_write_close(archive) == ARCHIVE_OK else {
            let error = failure(entry: nil)
            abandon()
            throw error
        }
        archive_write_free(archive)
        self.archive = nil
        return try output.commit()
    }

    // MARK: - Entries

    private func admit(_ entryPath: String, trailer: Bool) throws(ArchiveError) {
        guard archive != nil else { throw .writerClosed(archive: path) }
        do {
            try EntryPath.checkCanonical(entryPath)
        } catch {
            throw .invalidEntryPath(entryPath, error)
        }
        if addedPaths.contains(entryPath) { throw .duplicateEntry(entryPath) }
        if trailer {
            lastTrailerPath = entryPath
        } else {
            if let lastTrailerPath { throw .entryAfterTrailer(entry: entryPath, trailer: lastTrailerPath) }
            if let lastSortedPath, !EntryPath.precedes(lastSortedPath, entryPath) {
                throw .entryOutOfOrder(entry: entryPath, previous: lastSortedPath)
            }
            lastSortedPath = entryPath
        }
        addedPaths.insert(entryPath)
    }

    private func writeMemoryEntry(_ bytes: [UInt8], as entryPath: String, executable: Bool) throws(ArchiveError) -> PackedFile {
        try writeHeader(entryPath, size: Int64(bytes.count), executable: executable)
        // `withUnsafeBytes` rethrows untyped errors, so the typed error travels out as a value.
        let failure = bytes.withUnsafeBytes { buffer -> ArchiveError? in
            do throws(ArchiveError) {
                if !buffer.isEmpty { try writeData(buffer, entry: entryPath) }
                return nil
            } catch {
                return error
            }
        }
        if let failure { throw failure }
        try finishEntry(entryPath)
        return PackedFile(path: entryPath, size: Int64(bytes.count), digest: Digest.of(bytes), executable: executable)
    }

    private func writeHeader(_ entryPath: String, size: Int64, executable: Bool) throws(ArchiveError) {
        guard let archive, let entry = archive_entry_new2(archive) else { throw .writerClosed(archive: path) }
        defer { archive_entry_free(entry) }
        archive_entry_set_filetype(entry, ArchiveEntryHeader.FileType.regular)
        archive_entry_set_perm(entry, executable ? 0o755 : 0o644)
        archive_entry_set_size(entry, size)
        archive_entry_set_uid(entry, 0)
        archive_entry_set_gid(entry, 0)
        archive_entry_set_mtime(entry, 0, 0)
        // A warning here means libarchive fell back to something locale-dependent (such as
        // hdrcharset=BINARY for a name it could not convert): not reproducible, so an error.
        let status = UTF8Locale.run { () -> Int32 in
            archive_entry_copy_pathname(entry, entryPath)
            return archive_write_header(archive, entry)
        }
        guard status == ARCHIVE_OK else {
            let error = failure(entry: entryPath)
            abandon()
            throw error
        }
    }

    private func writeData(_ chunk: UnsafeRawBufferPointer, entry entryPath: String) throws(ArchiveError) {
        guard let archive else { throw .writerClosed(archive: path) }
        guard archive_write_data(archive, chunk.baseAddress, chunk.count) == chunk.count else {
            let error = failure(entry: entryPath)
            abandon()
            throw error
        }
    }

    private func finishEntry(_ entryPath: String) throws(ArchiveError) {
        guard let archive else { throw .writerClosed(archive: path) }
        guard archive_write_finish_entry(archive) == ARCHIVE_OK else {
            let error = failure(entry: entryPath)
            abandon()
            throw error
        }
    }

    // MARK: - Failure

    private func failure(entry: String?) -> ArchiveError {
        if let code = output.writeError { return .cannotWrite(path: path, errno: code) }
        if let reason = output.pipeError { return .cannotWriteArchive(archive: path, entry: entry, message: reason) }
        let message = archive.map(ArchiveReadSession.message) ?? "the writer is closed"
        return .cannotWriteArchive(archive: path, entry: entry, message: message)
    }

    /// Drops the half-written archive and its temp file.
    private func abandon() {
        if let archive {
            // Marks the archive failed so that freeing it does not flush a trailer into the temp file.
            archive_write_fail(archive)
            archive_write_free(archive)
            self.archive = nil
        }
        output.discard()
    }
}
