#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MaxhubCore

/// The compressed bytes of an archive file as libarchive reads them, hashed on the way, so that one
/// pass over the file both lists the entries and yields the archive's own digest.
final class HashingArchiveSource {
    let path: String
    private let descriptor: Int32
    private let buffer: UnsafeMutableRawBufferPointer
    private var hasher = DigestingHasher()
    private var finished = false
    /// The errno of a failed read, for the error message.
    private(set) var readErrno: Int32?

    static let chunkSize = 1 << 20

    init(path: String) throws(ArchiveError) {
        self.path = path
        descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .cannotOpen(path: path, errno: errno) }
        buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.chunkSize, alignment: 16)
    }

    deinit {
        close(descriptor)
        buffer.deallocate()
    }

    /// Reads the next chunk into the buffer and hashes it: the byte count, 0 at the end, -1 on error.
    func readChunk() -> Int {
        while true {
            let count = read(descriptor, buffer.baseAddress, Self.chunkSize)
            if count < 0, errno == EINTR { continue }
            if count < 0 {
                readErrno = errno
                return -1
            }
            hasher.update(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
            return count
        }
    }

    var bufferStart: UnsafeRawPointer? { UnsafeRawPointer(buffer.baseAddress) }

    /// Hashes what libarchive left unread after the end of the archive (padding) and returns the
    /// digest and size of the whole file.
    func finish() throws(ArchiveError) -> (digest: Digest, size: Int64) {
        precondition(!finished, "finish() is called once")
        finished = true
        while true {
            let count = readChunk()
            if count < 0 { throw .cannotRead(path: path, errno: readErrno ?? EIO) }
            if count == 0 { break }
        }
        let size = hasher.byteCount
        return (hasher.finalize(), size)
    }
}
