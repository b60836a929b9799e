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
