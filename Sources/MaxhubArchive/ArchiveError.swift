import Foundation

/// Everything that can go wrong packing, reading or extracting a package archive.
///
/// Each description is one sentence that names the file or the archive entry at fault.
public enum ArchiveError: Error, Equatable, CustomStringConvertible {
    // Local files.
    case cannotOpen(path: String, errno: Int32)
    case cannotRead(path: String, errno: Int32)
    case cannotCreate(path: String, errno: Int32)
    case cannotWrite(path: String, errno: Int32)
    /// A file's size changed between the moment its entry header was written and the end of its data.
    /// `actualSize` is nil when the file grew.
    case fileChangedWhileReading(path: String, expectedSize: Int64, actualSize: Int64?)
    /// The file is a symlink, fifo, socket or device: packages hold regular files only.
    case unsupportedFileType(path: String, kind: String)
    case fileNameNotUTF8(folder: String)
    case invalidIgnorePattern(file: String, line: Int, pattern: String, reason: String)

    // Writing.
    case entryOutOfOrder(entry: String, previous: String)
    case duplicateEntry(String)
    case entryAfterTrailer(entry: String, trailer: String)
    case invalidEntryPath(String, UnsafeEntryReason)
    /// The writer has been finished, or abandoned after an earlier error.
    case writerClosed(archive: String)
    case cannotWriteArchive(archive: String, entry: String?, message: String)

    // Reading and extracting.
    case unreadableArchive(archive: String, message: String)
    case unreadableEntry(entry: String, archive: String, message: String)
    case unsafeEntry(String, UnsafeEntryReason)
    case entrySizeMismatch(entry: String, declared: Int64, actual: Int64)
    case limitExceeded(entry: String, ArchiveLimit)
    case destinationNotEmpty(String)
    case cannotExtract(entry: String, destination: String, message: String)

    public var description: String {
        switch self {
        case .cannotOpen(let path, let code): "cannot open \(path): \(Self.text(code))"
        case .cannotRead(let path, let code): "cannot read \(path): \(Self.text(code))"
        case .cannotCreate(let path, let code): "cannot create \(path): \(Self.text(code))"
        case .cannotWrite(let path, let code): "cannot write \(path): \(Self.text(code))"
        case .fileChangedWhileReading(let path, let expected, let actual?):
            "\(path) changed while it was being packed: expected \(expected) bytes, read \(actual)"
        case .fileChangedWhileReading(let path, let expected, nil):
            "\(path) changed while it was being packed: it grew past its \(expected) bytes"
        case .unsupportedFileType(let path, let kind):
            "\(path) is a \(kind); packages hold regular files only (symlinks are not supported yet)"
        case .fileNameNotUTF8(let folder): "a file name in \(folder) is not valid UTF-8"
        case .invalidIgnorePattern(let file, let line, let pattern, let reason):
            "\(file):\(line): invalid ignore pattern \"\(pattern)\": \(reason)"
        case .entryOutOfOrder(let entry, let previous):
            "archive entry \"\(entry)\" is out of order: it must sort after \"\(previous)\" (byte order of the UTF-8 path)"
        case .duplicateEntry(let entry): "archive entry \"\(entry)\" was already added"
        case .entryAfterTrailer(let entry, let trailer):
            "archive entry \"\(entry)\" comes after the trailing entry \"\(trailer)\"; add every sorted entry before the trailer"
        case .invalidEntryPath(let entry, let reason): "invalid archive entry path \"\(entry)\": \(reason)"
        case .writerClosed(let archive): "the archive writer for \(archive) is already finished or abandoned"
        case .cannotWriteArchive(let archive, let entry?, let message):
            "cannot write archive entry \"\(entry)\" to \(archive): \(message)"
        case .cannotWriteArchive(let archive, nil, let message): "cannot write archive \(archive): \(message)"
        case .unreadableArchive(let archive, let message): "cannot read archive \(archive): \(message)"
        case .unreadableEntry(let entry, let archive, let message):
            "cannot read archive entry \"\(entry)\" in \(archive): \(message)"
        case .unsafeEntry(let entry, let reason): "unsafe archive entry \"\(entry)\": \(reason)"
        case .entrySizeMismatch(let entry, let declared, let actual):
            "archive entry \"\(entry)\" declares \(declared) bytes but holds \(actual); the archive is truncated or corrupt"
        case .limitExceeded(let entry, let limit): "archive entry \"\(entry)\" goes over \(limit)"
        case .destinationNotEmpty(let path): "cannot extract into \(path): the folder is not empty"
        case .cannotExtract(let entry, let destination, let message):
            "cannot extract archive entry \"\(entry)\" into \(destination): \(message)"
        }
    }

    private static func text(_ code: Int32) -> String { String(cString: strerror(code)) }
}
