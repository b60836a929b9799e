import Foundation
import MaxhubCore

/// The file a `ReproducibleArchiveWriter` writes: a temp file next to the destination that
/// hashes every byte on its way to disk and is renamed into place only by `commit()`.
final class ArchiveOutputFile {
    let destination: String
    let temporaryPath: String
    private var descriptor: Int32
    private var hasher = DigestingHasher()
    /// The errno of the first failed write, for the error message.
    private(set) var writeError: Int32?

    init(destination: String) throws(ArchiveError) {
        self.destination = destination
        let folder = LocalPath.folder(of: destination)
        let name = destination.split(separator: "/").last.map(String.init) ?? destination
        // A leading dot keeps the partial file out of a package walk when the archive is written inside the package.
        var template = Array("\(folder == "/" ? "" : folder)/.\(name).partial-XXXXXX".utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else { throw .cannotCreate(path: destination, errno: errno) }
        self.descriptor = descriptor
        self.temporaryPath = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }

    deinit {
        discard()
    }

    /// Writes and hashes `bytes`; returns false (remembering errno) when the disk refuses them.
    func write(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard descriptor >= 0 else { return false }
        var done = 0
        while done < bytes.count {
            let count = Foundation.write(descriptor, bytes.baseAddress! + done, bytes.count - done)
            if count < 0 {
                if errno == EINTR { continue }
                writeError = errno
                return false
            }
            done += count
        }
        hasher.update(bytes)
        return true
    }

    /// Flushes the temp file to disk, renames it to `destination` and returns what was written.
    func commit() throws(ArchiveError) -> (digest: Digest, size: Int64) {
        guard descriptor >= 0 else { throw .writerClosed(archive: destination) }
        guard fchmod(descriptor, 0o644) == 0, fsync(descriptor) == 0 else {
            throw .cannotWrite(path: destination, errno: errno)
        }
        let closed = close(descriptor)
        descriptor = -1
        guard closed == 0 else { throw .cannotWrite(path: destination, errno: errno) }
        guard rename(temporaryPath, destination) == 0 else {
            let code = errno
            unlink(temporaryPath)
            throw .cannotWrite(path: destination, errno: code)
        }
        // Make the rename itself durable; a failure here loses nothing already written.
        let folderDescriptor = open(LocalPath.folder(of: destination), O_RDONLY | O_CLOEXEC)
        if folderDescriptor >= 0 {
            _ = fsync(folderDescriptor)
            close(folderDescriptor)
        }
        let finished = hasher
        let size = finished.byteCount
        return (finished.finalize(), size)
    }

    /// Closes and removes the temp file, unless it was committed.
    func discard() {
        guard descriptor >= 0 else { return }
        close(descriptor)
        descriptor = -1
        unlink(temporaryPath)
    }
}
