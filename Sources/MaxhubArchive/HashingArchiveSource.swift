#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MaxhubCore

/// The compressed bytes of an archive file as libarchive reads them, hashed on the way, so that one
/// pass over the file both lists the entries and yields the archive's own digest.
///
/// With a `GrowingFile`, the source follows a file that is still being written: it reads only what the writer has
/// published and waits for more; the file is opened once its first bytes exist. With a `BytePipe`, there is no file:
/// the source reads the chunks another thread writes into the pipe.
final class HashingArchiveSource {
    let path: String
    private var descriptor: Int32 = -1
    private let buffer: UnsafeMutableRawBufferPointer
    private var hasher = DigestingHasher()
    private let hashes: Bool
    private let growth: GrowingFile?
    private let pipe: BytePipe?
    /// The chunk of the pipe being read, and how much of it was read.
    private var pending: [UInt8] = []
    private var pendingOffset = 0
    /// Why the pipe's producer failed.
    private var pipeFailure: String?
    private var offset: Int64 = 0
    private var finished = false
    /// The errno of a failed read, for the error message.
    private(set) var readErrno: Int32?
    /// Why the followed file was abandoned by its writer.
    private(set) var abandonReason: String?

    static let chunkSize = 1 << 20

    /// `hashes: false` skips the archive's digest when the caller has it from elsewhere (a download hashes as it writes).
    init(path: String, hashes: Bool = true, following growth: GrowingFile? = nil) throws(ArchiveError) {
        self.path = path
        self.hashes = hashes
        self.growth = growth
        pipe = nil
        if growth == nil {
            descriptor = open(path, O_RDONLY | O_CLOEXEC)
            guard descriptor >= 0 else { throw .cannotOpen(path: path, errno: errno) }
        }
        buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.chunkSize, alignment: 16)
    }

    /// Reads what another thread writes into `pipe`; `label` names the stream in error messages.
    init(pipe: BytePipe, label: String, hashes: Bool = true) {
        path = label
        self.hashes = hashes
        growth = nil
        self.pipe = pipe
        buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.chunkSize, alignment: 16)
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
        buffer.deallocate()
    }

    /// Reads the next chunk into the buffer and hashes it: the byte count, 0 at the end, -1 on error.
    func readChunk() -> Int {
        if let pipe { return readChunk(from: pipe) }
        var limit = Self.chunkSize
        if let growth {
            switch growth.waitForBytes(beyond: offset) {
            case .end:
                return 0
            case .abandoned(let reason):
                abandonReason = reason
                readErrno = ECANCELED
                return -1
            case .available(let length):
                limit = Int(min(Int64(Self.chunkSize), length - offset))
            }
            if descriptor < 0 {
                descriptor = open(path, O_RDONLY | O_CLOEXEC)
                guard descriptor >= 0 else {
                    readErrno = errno
                    return -1
                }
            }
        }
        while true {
            let count = pread(descriptor, buffer.baseAddress, limit, off_t(offset))
            if count < 0, errno == EINTR { continue }
            if count < 0 {
                readErrno = errno
                return -1
            }
            offset += Int64(count)
            if hashes { hasher.update(UnsafeRawBufferPointer(rebasing: buffer[0..<count])) }
            return count
        }
    }

    private func readChunk(from pipe: BytePipe) -> Int {
        if pendingOffset == pending.count {
            do {
                guard let chunk = try pipe.readBlocking() else { return 0 }
                pending = chunk
                pendingOffset = 0
            } catch {
                pipeFailure = "\(error)"
                readErrno = ECANCELED
                return -1
            }
        }
        let count = min(Self.chunkSize, pending.count - pendingOffset)
        pending.withUnsafeBytes { bytes in
            buffer.baseAddress!.copyMemory(from: bytes.baseAddress! + pendingOffset, byteCount: count)
        }
        pendingOffset += count
        offset += Int64(count)
        if hashes { hasher.update(UnsafeRawBufferPointer(rebasing: buffer[0..<count])) }
        return count
    }

    /// What went wrong in the source itself (a failed read, an abandoned download), rather than in the archive's bytes.
    var failureMessage: String? {
        if let abandonReason { return "the download stopped: \(abandonReason)" }
        if let pipeFailure { return "the stream stopped: \(pipeFailure)" }
        if let readErrno { return "cannot read \(path): \(String(cString: strerror(readErrno)))" }
        return nil
    }

    var bufferStart: UnsafeRawPointer? { UnsafeRawPointer(buffer.baseAddress) }

    /// Hashes what libarchive left unread after the end of the archive (padding) and returns the
    /// digest and size of the whole file.
    func finish() throws(ArchiveError) -> (digest: Digest, size: Int64) {
        precondition(!finished, "finish() is called once")
        precondition(hashes, "finish() needs a hashing source")
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
