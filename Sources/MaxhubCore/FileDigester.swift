import Foundation

/// Streams files through SHA-256 in fixed-size chunks.
public enum FileDigester {
    /// The read size: large enough to keep the disk busy, small enough to stay out of the way.
    public static let chunkSize = 1 << 20

    /// The digest and size of the file at `path`, read in chunks of `chunkSize`.
    public static func digest(ofFileAt path: String) throws(FileDigestError) -> (digest: Digest, size: Int64) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .cannotOpen(path: path, errno: errno) }
        defer { close(fd) }
        #if os(Linux)
        _ = posix_fadvise(fd, 0, 0, Int32(POSIX_FADV_SEQUENTIAL))
        #endif
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 16)
        defer { buffer.deallocate() }
        var hasher = DigestingHasher()
        while true {
            let count = read(fd, buffer.baseAddress, chunkSize)
            if count < 0 {
                if errno == EINTR { continue }
                throw .cannotRead(path: path, errno: errno)
            }
            if count == 0 { break }
            hasher.update(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
        }
        let size = hasher.byteCount
        return (hasher.finalize(), size)
    }
}
