import CArchive
import Foundation

/// Extracts a package archive into a new or empty folder, refusing unsafe entries before anything
/// of them reaches the disk.
///
/// Every header goes through the same checks as `ArchiveInspector` first; then libarchive's disk
/// writer creates the entry with `ARCHIVE_EXTRACT_SECURE_SYMLINKS` and `ARCHIVE_EXTRACT_SECURE_NODOTDOT`,
/// mode 0755 or 0644 (no owners, times, ACLs, extended attributes or file flags). Each file's data is
/// hashed while it is written, so the returned digests come from the one pass.
///
/// `ARCHIVE_EXTRACT_SECURE_NOABSOLUTEPATHS` is not set: the disk writer resolves relative names
/// against the process's working folder, which a library must not change, so the extractor hands it
/// `destination/entry` (absolute), and refuses absolute entry paths itself before that.
///
/// On any error the extracted content is removed again: the destination folder itself when the
/// extractor created it, its content otherwise.
public struct SafeExtractor: Sendable {
    public var limits: ArchiveLimits

    public init(limits: ArchiveLimits = .unlimited) {
        self.limits = limits
    }

    /// Extracts the archive at `archivePath` into `destination` (created if missing; its parent must
    /// exist) and returns its entries in archive order with the digests computed while writing.
    ///
    /// With `growth`, the archive is a file still being written (a download): the extractor follows it, and fails when
    /// its writer abandons it. The archive's own digest is not computed here; whoever knows the archive checks it.
    public func extract(
        archiveAt archivePath: String, into destination: String, following growth: GrowingFile? = nil
    ) throws(ArchiveError) -> [InspectedEntry] {
        let session = try ArchiveReadSession(archivePath: archivePath, hashes: false, following: growth)
        let created = try Self.prepare(destination)
        guard let root = LocalPath.resolved(destination) else {
            let code = errno
            if created { rmdir(destination) }
            throw .cannotOpen(path: destination, errno: code)
        }
        do {
            return try extract(session, into: root)
        } catch {
            Self.removeExtracted(root, removingFolder: created)
            throw error
        }
    }

    private func extract(_ session: ArchiveReadSession, into root: String) throws(ArchiveError) -> [InspectedEntry] {
        guard let disk = archive_write_disk_new() else {
            throw .cannotExtract(entry: ".", destination: root, message: "libarchive could not allocate a disk writer")
        }
        defer { archive_write_free(disk) }
        _ = archive_write_disk_set_options(disk, ARCHIVE_EXTRACT_SECURE_SYMLINKS | ARCHIVE_EXTRACT_SECURE_NODOTDOT)

        var checker = EntrySafetyChecker(limits: limits)
        var entries: [InspectedEntry] = []
        while let header = try session.nextHeader() {
            guard let entry = try checker.admit(header) else { continue }
            let failure = { (message: String) -> ArchiveError in .cannotExtract(entry: entry.name, destination: root, message: message) }
            try Self.writeHeader(for: entry, under: root, to: disk, failure: failure)
            let inspected = try session.inspect(entry) { (block, offset) throws(ArchiveError) in
                guard let base = block.baseAddress, !block.isEmpty else { return }
                let status = archive_write_data_block(disk, base, block.count, offset)
                guard status == Int(ARCHIVE_OK) else { throw failure(ArchiveReadSession.message(disk)) }
            }
            guard archive_write_finish_entry(disk) == ARCHIVE_OK else { throw failure(ArchiveReadSession.message(disk)) }
            entries.append(inspected)
        }
        // Closing applies the deferred folder permissions.
        guard archive_write_close(disk) == ARCHIVE_OK else {
            throw .cannotExtract(entry: entries.last?.path ?? ".", destination: root, message: ArchiveReadSession.message(disk))
        }
        return entries
    }

    private static func writeHeader(
        for entry: EntrySafetyChecker.AdmittedEntry,
        under root: String,
        to disk: OpaquePointer,
        failure: (String) -> ArchiveError
    ) throws(ArchiveError) {
        guard let diskEntry = archive_entry_new2(disk) else { throw failure("libarchive could not allocate an entry") }
        defer { archive_entry_free(diskEntry) }
        typealias FileType = ArchiveEntryHeader.FileType
        let status = UTF8Locale.run { () -> Int32 in
            archive_entry_copy_pathname(diskEntry, root + "/" + entry.path)
            switch entry.kind {
            case .file:
                archive_entry_set_filetype(diskEntry, FileType.regular)
                archive_entry_set_perm(diskEntry, entry.mode & 0o111 != 0 ? 0o755 : 0o644)
                archive_entry_set_size(diskEntry, entry.declaredSize)
            case .directory:
                archive_entry_set_filetype(diskEntry, FileType.directory)
                archive_entry_set_perm(diskEntry, 0o755)
            case .symlink:
                archive_entry_set_filetype(diskEntry, FileType.symlink)
                archive_entry_set_perm(diskEntry, 0o777)
                archive_entry_copy_symlink(diskEntry, entry.linkTarget)
            }
            return archive_write_header(disk, diskEntry)
        }
        guard status == ARCHIVE_OK else { throw failure(ArchiveReadSession.message(disk)) }
    }

    /// Creates `destination` or checks that it is an empty folder. Returns whether it was created.
    private static func prepare(_ destination: String) throws(ArchiveError) -> Bool {
        if mkdir(destination, 0o755) == 0 { return true }
        let code = errno
        guard code == EEXIST else { throw .cannotCreate(path: destination, errno: code) }
        guard let folder = opendir(destination) else { throw .cannotOpen(path: destination, errno: errno) }
        defer { closedir(folder) }
        while let item = readdir(folder) {
            let isDotOrDotDot = withUnsafeBytes(of: item.pointee.d_name) { name in
                name[0] == UInt8(ascii: ".") && (name[1] == 0 || (name[1] == UInt8(ascii: ".") && name[2] == 0))
            }
            if !isDotOrDotDot { throw .destinationNotEmpty(destination) }
        }
        return false
    }

    private static func removeExtracted(_ root: String, removingFolder: Bool) {
        let files = FileManager.default
        if removingFolder {
            try? files.removeItem(atPath: root)
            return
        }
        for name in (try? files.contentsOfDirectory(atPath: root)) ?? [] {
            try? files.removeItem(atPath: root + "/" + name)
        }
    }
}
