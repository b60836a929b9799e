import CArchive
import Foundation

/// One entry of an archive built directly with libarchive's writer, bypassing every rule of
/// `ReproducibleArchiveWriter`: how the unsafe archives of the tests are made.
public struct HandMadeEntry: Sendable {
    public enum Kind: Sendable {
        case file([UInt8])
        case directory
        case symlink(String)
        case hardlink(String)
        case characterDevice
        case blockDevice
        case fifo
    }

    public var path: String
    public var kind: Kind

    public init(path: String, kind: Kind) {
        self.path = path
        self.kind = kind
    }

    public static func file(_ path: String, _ text: String = "data") -> HandMadeEntry {
        HandMadeEntry(path: path, kind: .file(Array(text.utf8)))
    }

    public static func file(_ path: String, bytes: [UInt8]) -> HandMadeEntry {
        HandMadeEntry(path: path, kind: .file(bytes))
    }
}

public enum HandMadeCompression: Sendable {
    case none, gzip, zstd
}

public struct HandMadeArchiveError: Error, CustomStringConvertible {
    public var description: String
}

/// The bytes of an archive of `entries` exactly as given.
public func makeHandMadeArchive(_ entries: [HandMadeEntry], compression: HandMadeCompression = .gzip) throws -> [UInt8] {
    let folder = try TestFolder(prefix: "maxhub-hand-made")
    defer { folder.remove() }
    try makeHandMadeArchive(at: folder.path("archive.tar"), entries, compression: compression)
    return try folder.read("archive.tar")
}

/// Writes `entries` as a pax tar archive at `path` exactly as given.
public func makeHandMadeArchive(at path: String, _ entries: [HandMadeEntry], compression: HandMadeCompression = .none) throws {
    guard let archive = archive_write_new() else { throw HandMadeArchiveError(description: "archive_write_new") }
    defer { archive_write_free(archive) }
    archive_write_set_format_pax_restricted(archive)
    switch compression {
    case .none: break
    case .gzip: archive_write_add_filter_gzip(archive)
    case .zstd: archive_write_add_filter_zstd(archive)
    }
    guard archive_write_open_filename(archive, path) == ARCHIVE_OK else {
        throw HandMadeArchiveError(description: String(cString: archive_error_string(archive)))
    }
    for item in entries {
        let entry = archive_entry_new()
        defer { archive_entry_free(entry) }
        archive_entry_copy_pathname(entry, item.path)
        archive_entry_set_perm(entry, 0o644)
        var data: [UInt8] = []
        switch item.kind {
        case .file(let bytes):
            archive_entry_set_filetype(entry, 0o100000)
            archive_entry_set_size(entry, Int64(bytes.count))
            data = bytes
        case .directory:
            archive_entry_set_filetype(entry, 0o040000)
            archive_entry_set_perm(entry, 0o755)
        case .symlink(let target):
            archive_entry_set_filetype(entry, 0o120000)
            archive_entry_copy_symlink(entry, target)
        case .hardlink(let target):
            archive_entry_set_filetype(entry, 0o100000)
            archive_entry_copy_hardlink(entry, target)
        case .characterDevice:
            archive_entry_set_filetype(entry, 0o020000)
            archive_entry_set_rdevmajor(entry, 1)
            archive_entry_set_rdevminor(entry, 3)
        case .blockDevice:
            archive_entry_set_filetype(entry, 0o060000)
            archive_entry_set_rdevmajor(entry, 8)
            archive_entry_set_rdevminor(entry, 0)
        case .fifo:
            archive_entry_set_filetype(entry, 0o010000)
        }
        guard archive_write_header(archive, entry) == ARCHIVE_OK else {
            throw HandMadeArchiveError(description: "\(item.path): \(String(cString: archive_error_string(archive)))")
        }
        if !data.isEmpty {
            let written = data.withUnsafeBytes { archive_write_data(archive, $0.baseAddress, $0.count) }
            guard written == data.count else { throw HandMadeArchiveError(description: "short write of \(item.path)") }
        }
    }
    guard archive_write_close(archive) == ARCHIVE_OK else {
        throw HandMadeArchiveError(description: String(cString: archive_error_string(archive)))
    }
}
