import Foundation
import MaxhubCore

/// Where a `ReproducibleArchiveWriter` sends its bytes, hashing every one on the way: a temp file next to the
/// destination that is renamed into place only by `commit()`, a `BytePipe` that an upload drains, or both.
final class ArchiveOutputFile {
    let destination: String
    let temporaryPath: String
    private var descriptor: Int32
    private let pipe: BytePipe?
    private var hasher = DigestingHasher()
    /// The errno of the first failed write, for the error message.
    private(set) var writeError: Int32?
    /// Why the pipe refused bytes (its consumer cancelled), for the error message.
    private(set) var pipeError: String?
    private var isOpen = true
    /// Bytes not yet handed to the pipe.
    private var staged: [UInt8] = []

    static let pipeChunkSize = 1 << 20

    /// Writes to `pipe` only; `label` names the stream in error messages.
    init(pipe: BytePipe, label: String) {
        destination = label
        temporaryPath = ""
        descriptor = -1
        self.pipe = pipe
    }

    /// Writes to a file at `destination`, and to `pipe` as well when one is given.
    init(destination: String, alsoTo pipe: BytePipe? = nil) throws(ArchiveError) {
        self.destination = destination
        self.pipe = pipe
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
        guard isOpen else { return false }
        if pipe != nil {
            // libarchive hands over 10 KiB blocks; the pipe gets them gathered into chunks of `pipeChunkSize`.
            staged.append(contentsOf: bytes)
            if staged.count >= Self.pipeChunkSize, !flushStaged() { return false }
        }
        var done = 0
        while descriptor >= 0, done < bytes.count {
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

    /// Flushes the temp file to disk, renames it to `destination`, ends the pipe, and returns what was written.
    func commit() throws(ArchiveError) -> (digest: Digest, size: Int64) {
        guard isOpen else { throw .writerClosed(archive: destination) }
        if descriptor >= 0 {
            guard fchmod(descriptor, 0o644) == 0, fsync(descriptor) == 0 else {
                let code = errno
                discard()
                throw .cannotWrite(path: destination, errno: code)
            }
            let closed = close(descriptor)
            descriptor = -1
            guard closed == 0, rename(temporaryPath, destination) == 0 else {
                let code = errno
                unlink(temporaryPath)
                discard()
                throw .cannotWrite(path: destination, errno: code)
            }
            // Make the rename itself durable; a failure here loses nothing already written.
            let folderDescriptor = open(LocalPath.folder(of: destination), O_RDONLY | O_CLOEXEC)
            if folderDescriptor >= 0 {
                _ = fsync(folderDescriptor)
                close(folderDescriptor)
            }
        }
        guard flushStaged() else {
            let reason = pipeError ?? "the pipe is closed"
            discard()
            throw .cannotWriteArchive(archive: destination, entry: nil, message: reason)
        }
        isOpen = false
        pipe?.finish()
        let finished = hasher
        let size = finished.byteCount
        return (finished.finalize(), size)
    }

    /// Hands the staged bytes to the pipe; false (remembering why) when its consumer cancelled.
    private func flushStaged() -> Bool {
        guard let pipe, !staged.isEmpty else { return true }
        defer { staged.removeAll(keepingCapacity: true) }
        do {
            try staged.withUnsafeBytes { try pipe.writeBlocking($0) }
            return true
        } catch {
            pipeError = "\(error)"
            return false
        }
    }

    /// Closes and removes the temp file, and fails the pipe, unless the output was committed.
    func discard() {
        guard isOpen else { return }
        isOpen = false
        pipe?.fail("packing \(destination) stopped")
        guard descriptor >= 0 else { return }
        close(descriptor)
        descriptor = -1
        unlink(temporaryPath)
    }
}
