import Foundation
import MaxhubCore
import NIOCore
import _NIOFileSystem

extension FileBlobStore {
    public func startUpload(_ kind: UploadKind) async throws -> String {
        let id = UUID().uuidString.lowercased()
        let folder = uploadFolder(kind)
        try await fileSystem.createDirectory(at: folder, withIntermediateDirectories: true, permissions: nil)
        try await fileSystem.withFileHandle(forWritingAt: folder.appending(id), options: .newFile(replaceExisting: false)) { _ in }
        await hashers.checkIn(id, DigestingHasher())
        return id
    }

    public func append(
        to upload: String, at offset: Int64, _ chunks: some AsyncSequence<ByteBuffer, any Error>, limit: Int64
    ) async throws -> Int64 {
        let path = try await uploadPath(upload)
        var hasher = await hashers.checkOut(upload)
        // Whether `hasher` holds exactly the file's bytes; false between a write and the matching hash update.
        var hasherMatchesFile = true
        do {
            let size = try await fileSystem.withFileHandle(
                forReadingAndWritingAt: path, options: .modifyFile(createIfNecessary: false)
            ) { handle in
                var size = try await handle.info().size
                var running = try await Self.hasher(hasher, matching: handle, size: size)
                hasher = running
                guard offset == size else { throw BlobStoreError.offsetMismatch(expected: size, actual: offset) }
                // Network chunks are small: they are gathered into writes of up to `writeSize` bytes, and each write
                // runs on the file system's threads while this task hashes the same bytes.
                var pending = ByteBuffer()
                func flush() async throws {
                    guard pending.readableBytes > 0 else { return }
                    let buffer = pending
                    let count = Int64(buffer.readableBytes)
                    pending = ByteBuffer()
                    hasherMatchesFile = false
                    let position = size
                    async let written = handle.write(contentsOf: buffer, toAbsoluteOffset: position)
                    var next = running
                    buffer.withUnsafeReadableBytes { next.update($0) }
                    guard try await written == count else { throw ShortWrite(path: path, expected: count, written: try await written) }
                    running = next
                    size += count
                    hasher = running
                    hasherMatchesFile = true
                }
                do {
                    for try await chunk in chunks {
                        guard size + Int64(pending.readableBytes) + Int64(chunk.readableBytes) <= limit else {
                            throw BlobStoreError.tooLarge(limit: limit)
                        }
                        if pending.readableBytes == 0 && chunk.readableBytes >= Self.writeSize {
                            pending = chunk
                        } else {
                            pending.writeImmutableBuffer(chunk)
                        }
                        if pending.readableBytes >= Self.writeSize { try await flush() }
                    }
                } catch {
                    // What arrived before the stream broke (or the limit was reached) stays, so the upload can resume.
                    try await flush()
                    throw error
                }
                try await flush()
                // Marks activity for removeAbandonedUploads, even when no bytes came.
                try await handle.touch()
                return size
            }
            await giveBack(upload, hasher: hasher, valid: hasherMatchesFile)
            return size
        } catch {
            let error = Self.uploadError(error, upload: upload)
            await giveBack(upload, hasher: hasher, valid: hasherMatchesFile && (error as? BlobStoreError) != .uploadNotFound(upload))
            throw error
        }
    }

    public func uploadSize(_ upload: String) async throws -> Int64 {
        let path = try await uploadPath(upload)
        guard let info = try await fileSystem.info(forFileAt: path) else { throw BlobStoreError.uploadNotFound(upload) }
        return info.size
    }

    public func finishUpload(_ upload: String, expecting expected: Digest) async throws -> ArchiveReference {
        let path = try await uploadPath(upload)
        let held = await hashers.checkOut(upload)
        do {
            let (digest, size) = try await fileSystem.withFileHandle(forReadingAt: path) { handle in
                let size = try await handle.info().size
                let hasher = try await Self.hasher(held, matching: handle, size: size)
                try await handle.synchronize()
                return (hasher.finalize(), size)
            }
            guard digest == expected else {
                throw BlobStoreError.digestMismatch(expected: expected, actual: digest, size: size)
            }
            try await moveIntoPlace(path, as: digest)
            await hashers.release(upload)
            return ArchiveReference(digest: digest, size: size)
        } catch {
            _ = try? await fileSystem.removeItem(at: path, recursively: false)
            await hashers.release(upload)
            throw Self.uploadError(error, upload: upload)
        }
    }

    public func cancelUpload(_ upload: String) async throws {
        guard Self.isUploadID(upload) else { return }
        for kind in [UploadKind.resumable, .monolithic] {
            try await fileSystem.removeItem(at: uploadFolder(kind).appending(upload), recursively: false)
        }
        await hashers.forget(upload)
    }

    public func removeAbandonedUploads(resumableOlderThan age: Duration) async throws -> Int {
        let (seconds, attoseconds) = age.components
        let cutoff = Date().timeIntervalSince1970 - (Double(seconds) + Double(attoseconds) / 1e18)
        var removed = 0
        for kind in [UploadKind.monolithic, .resumable] {
            let folder = uploadFolder(kind)
            guard try await fileSystem.info(forFileAt: folder) != nil else { continue }
            let entries = try await fileSystem.withDirectoryHandle(atPath: folder) { directory in
                var entries: [DirectoryEntry] = []
                for try await batch in directory.listContents().batched() { entries += batch }
                return entries
            }
            for entry in entries where entry.type == .regular {
                let id = entry.name.string
                if await hashers.isCheckedOut(id) { continue }
                if kind == .resumable {
                    guard let info = try await fileSystem.info(forFileAt: entry.path) else { continue }
                    let modified = info.lastDataModificationTime
                    guard Double(modified.seconds) + Double(modified.nanoseconds) / 1e9 < cutoff else { continue }
                }
                removed += try await fileSystem.removeItem(at: entry.path, recursively: false)
                await hashers.forget(id)
            }
        }
        return removed
    }

    /// The file of an upload in progress; `BlobStoreError.uploadNotFound` for an unknown or malformed id.
    func uploadPath(_ upload: String) async throws -> FilePath {
        guard Self.isUploadID(upload) else { throw BlobStoreError.uploadNotFound(upload) }
        for kind in [UploadKind.resumable, .monolithic] {
            let path = uploadFolder(kind).appending(upload)
            if try await fileSystem.info(forFileAt: path)?.type == .regular { return path }
        }
        throw BlobStoreError.uploadNotFound(upload)
    }

    /// Renames a checked upload to its blob path and makes the rename durable. A blob already there is kept and the
    /// upload dropped when it still holds its digest's bytes; one that does not (it rotted on disk) is replaced by the
    /// upload, which has just been checked: an upload of the right bytes repairs a corrupt blob.
    private func moveIntoPlace(_ path: FilePath, as digest: Digest) async throws {
        let blob = blobPath(digest)
        let shard = blob.removingLastComponent()
        let shardIsNew = try await fileSystem.info(forFileAt: shard) == nil
        if shardIsNew {
            try await fileSystem.createDirectory(at: shard, withIntermediateDirectories: true, permissions: nil)
        }
        do {
            try await fileSystem.moveItem(at: path, to: blob)
        } catch let error as FileSystemError where error.code == .fileAlreadyExists {
            if (try? FileDigester.digest(ofFileAt: blob.string).digest) == digest {
                try await fileSystem.removeItem(at: path, recursively: false)
                await renew(digest)
                return
            }
            try await fileSystem.replaceItem(at: blob, withItemAt: path)
        }
        try await fileSystem.withDirectoryHandle(atPath: shard) { try await $0.synchronize() }
        if shardIsNew {
            try await fileSystem.withDirectoryHandle(atPath: shard.removingLastComponent()) { try await $0.synchronize() }
        }
    }

    /// `held` when it has hashed exactly `size` bytes, else a hasher rebuilt by streaming the file.
    private static func hasher(
        _ held: DigestingHasher?, matching handle: some ReadableFileHandleProtocol, size: Int64
    ) async throws -> DigestingHasher {
        if let held, held.byteCount == size { return held }
        var hasher = DigestingHasher()
        var position: Int64 = 0
        while true {
            let chunk = try await handle.readChunk(fromAbsoluteOffset: position, length: .bytes(chunkSize))
            if chunk.readableBytes == 0 { break }
            chunk.withUnsafeReadableBytes { hasher.update($0) }
            position += Int64(chunk.readableBytes)
        }
        return hasher
    }

    private func giveBack(_ upload: String, hasher: DigestingHasher?, valid: Bool) async {
        if valid, let hasher {
            await hashers.checkIn(upload, hasher)
        } else {
            await hashers.release(upload)
        }
    }

    /// Upload ids are lowercase UUIDs; anything else never reaches the file system.
    static func isUploadID(_ text: String) -> Bool {
        UUID(uuidString: text)?.uuidString.lowercased() == text
    }

    /// An upload's file vanishing mid-call (cancelled, cleaned up) is `uploadNotFound`.
    private static func uploadError(_ error: any Error, upload: String) -> any Error {
        if let error = error as? FileSystemError, error.code == .notFound { return BlobStoreError.uploadNotFound(upload) }
        return error
    }

    /// A write that stored fewer bytes than it was given.
    struct ShortWrite: Error, CustomStringConvertible {
        let path: FilePath
        let expected: Int64
        let written: Int64

        var description: String { "wrote \(written) of \(expected) bytes to \(path)" }
    }
}
