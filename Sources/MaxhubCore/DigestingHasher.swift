import Crypto
import Foundation

/// Incremental SHA-256 that also counts the bytes it has seen.
///
/// Feed it buffers as they stream past (from a file, a socket, an archive) and
/// ask for the digest at the end; nothing is ever held whole.
public struct DigestingHasher: Sendable {
    private var hasher = SHA256()
    /// The number of bytes hashed so far.
    public private(set) var byteCount: Int64 = 0

    public init() {}

    public mutating func update(_ buffer: UnsafeRawBufferPointer) {
        hasher.update(bufferPointer: buffer)
        byteCount += Int64(buffer.count)
    }

    public mutating func update<D: DataProtocol>(data: D) {
        hasher.update(data: data)
        byteCount += Int64(data.count)
    }

    /// The digest of everything fed so far. The hasher can no longer be used after this.
    public consuming func finalize() -> Digest {
        Digest(hasher.finalize())
    }
}

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

/// Why a file could not be hashed.
public enum FileDigestError: Error, CustomStringConvertible {
    case cannotOpen(path: String, errno: Int32)
    case cannotRead(path: String, errno: Int32)

    public var description: String {
        switch self {
        case .cannotOpen(let path, let code): "cannot open \(path): \(String(cString: strerror(code)))"
        case .cannotRead(let path, let code): "cannot read \(path): \(String(cString: strerror(code)))"
        }
    }
}
