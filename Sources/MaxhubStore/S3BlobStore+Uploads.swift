import Foundation
import MaxhubCore
import NIOCore

extension S3BlobStore {
    /// An upload as the bucket holds it.
    struct UploadState {
        var kind: UploadKind
        /// The segments that make the upload, by offset from 0, each full but the last; each one's key ends in its offset.
        var segments: [(offset: Int64, object: S3Bucket.Object)]
        var size: Int64
        /// Segments past a gap or past a short segment: stored by an append whose earlier store failed, or by a hub that
        /// stopped while stores were under way. They are not part of the upload; the next append removes them.
        var leftovers: [S3Bucket.Object]
    }

    public func startUpload(_ kind: UploadKind) async throws -> String {
        let id = UUID().uuidString.lowercased()
        try await bucket.put(Self.markerKey(id, kind), ByteBuffer())
        await hashers.checkIn(id, DigestingHasher())
        return id
    }

    public func append(
        to upload: String, at offset: Int64, _ chunks: some AsyncSequence<ByteBuffer, any Error>, limit: Int64
    ) async throws -> Int64 {
        guard FileBlobStore.isUploadID(upload) else { throw BlobStoreError.uploadNotFound(upload) }
        let held = await hashers.checkOut(upload)
        // The hash of exactly the bytes the bucket holds, or nil once they may differ.
        var matching: DigestingHasher? = held
        do {
            let state = try await state(of: upload)
            guard offset == state.size else { throw BlobStoreError.offsetMismatch(expected: state.size, actual: offset) }
            for leftover in state.leftovers { try await bucket.delete(leftover.key) }
            var running = try await runningHash(held, of: upload, state)
            matching = running
            // `pending` holds the bytes from `base` on that are not yet stored as a full segment: the last segment when
            // it is short, then what arrives.
            var base = state.size
            var pending = ByteBuffer()
            if let last = state.segments.last, last.object.size < partSize {
                base = last.offset
                guard let bytes = try await bucket.getAll(last.object.key, limit: partSize),
                    bytes.readableBytes == Int(last.object.size)
                else { throw S3Error.malformedAnswer("upload \(upload) changed while it was read") }
                pending = bytes
            }
            var received = state.size
            var storing: [Task<Void, any Error>] = []
            var storeFailure: (any Error)?
            let bucket = self.bucket
            let partSize = self.partSize
            let concurrentStores = self.concurrentStores
            // Full segments are stored while the next ones arrive, a few at once. Should one fail, a later one may still
            // land past the gap: `state(of:)` leaves it out of the upload, which stays the prefix stored before the gap.
            func settle(_ store: Task<Void, any Error>) async {
                do { try await store.value } catch { storeFailure = storeFailure ?? error }
            }
            func storeFullSegments() async throws {
                while pending.readableBytes >= partSize, let segment = pending.readSlice(length: partSize) {
                    if storing.count >= concurrentStores { await settle(storing.removeFirst()) }
                    if let storeFailure { throw storeFailure }
                    let key = Self.segmentKey(upload, at: base)
                    storing.append(Task { try await bucket.put(key, segment) })
                    base += Int64(partSize)
                }
                pending.discardReadBytes()
            }
            // Every store ends before the append answers, so that no byte lands after the client was told the size.
            func storeTheRest() async throws {
                for store in storing { await settle(store) }
                storing = []
                if let storeFailure { throw storeFailure }
                if received > state.size && pending.readableBytes > 0 {
                    try await bucket.put(Self.segmentKey(upload, at: base), pending)
                }
            }
            do {
                for try await chunk in chunks {
                    guard received + Int64(chunk.readableBytes) <= limit else { throw BlobStoreError.tooLarge(limit: limit) }
                    matching = nil
                    chunk.withUnsafeReadableBytes { running.update($0) }
                    pending.writeImmutableBuffer(chunk)
                    received += Int64(chunk.readableBytes)
                    try await storeFullSegments()
                }
            } catch {
                // What arrived before the stream broke (or the limit was reached) stays, so the upload can resume.
                try await storeTheRest()
                matching = running
                throw error
            }
            try await storeTheRest()
            matching = running
            // The marker's modification time is the upload's last activity, even when no bytes came.
            try await bucket.put(Self.markerKey(upload, state.kind), ByteBuffer())
            await hashers.checkIn(upload, running)
            return received
        } catch {
            if let matching, (error as? BlobStoreError) != .uploadNotFound(upload) {
                await hashers.checkIn(upload, matching)
            } else {
                await hashers.release(upload)
            }
            throw error
        }
    }

    public func uploadSize(_ upload: String) async throws -> Int64 {
        guard FileBlobStore.isUploadID(upload) else { throw BlobStoreError.uploadNotFound(upload) }
        return try await state(of: upload).size
    }

    public func finishUpload(_ upload: String, expecting expected: Digest) async throws -> ArchiveReference {
        guard FileBlobStore.isUploadID(upload) else { throw BlobStoreError.uploadNotFound(upload) }
        let held = await hashers.checkOut(upload)
        do {
            let state = try await state(of: upload)
            let digest = try await runningHash(held, of: upload, state).finalize()
            guard digest == expected else {
                throw BlobStoreError.digestMismatch(expected: expected, actual: digest, size: state.size)
            }
            let key = Self.blobKey(digest)
            if let stored = try await bucket.head(key), stored.size == state.size {
                await renew(digest)
            } else {
                try await compose(key, from: state.segments.map(\.object))
            }
            try await removeObjects(of: upload)
            await hashers.release(upload)
            return ArchiveReference(digest: digest, size: state.size)
        } catch {
            if (error as? BlobStoreError) != .uploadNotFound(upload) { try? await removeObjects(of: upload) }
            await hashers.release(upload)
            throw error
        }
    }

    public func cancelUpload(_ upload: String) async throws {
        guard FileBlobStore.isUploadID(upload) else { return }
        try await removeObjects(of: upload)
        await hashers.forget(upload)
    }

    /// Other hubs may be uploading into the bucket, so a monolithic upload goes only after `monolithicIdleLimit`
    /// without an append (a live one rewrites its marker with each), a resumable one after `age`.
    public func removeAbandonedUploads(resumableOlderThan age: Duration) async throws -> Int {
        let now = Date()
        let resumableCutoff = now.addingTimeInterval(-Self.seconds(age))
        let monolithicCutoff = now.addingTimeInterval(-Self.seconds(monolithicIdleLimit))
        var removed = 0
        for (upload, objects) in try await uploadObjects() {
            if await hashers.isCheckedOut(upload) { continue }
            let resumable = objects.contains { $0.key == Self.markerKey(upload, .resumable) }
            guard let newest = objects.map(\.lastModified).max(), newest < (resumable ? resumableCutoff : monolithicCutoff) else { continue }
            try await removeObjects(objects)
            await hashers.forget(upload)
            removed += 1
        }
        return removed
    }

    private static func seconds(_ duration: Duration) -> TimeInterval {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }

    /// Every upload in the bucket with its objects (marker and segments), in id order.
    func uploadObjects() async throws -> [(id: String, objects: [S3Bucket.Object])] {
        var uploads: [String: [S3Bucket.Object]] = [:]
        for object in try await bucket.list(prefix: "uploads/") {
            let parts = object.key.split(separator: "/", maxSplits: 2)
            guard parts.count == 3 else { continue }
            uploads[String(parts[1]), default: []].append(object)
        }
        return uploads.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    // MARK: The upload's objects

    /// The upload's kind and segments; `uploadNotFound` when it has no marker (never started, finished or cancelled).
    func state(of upload: String) async throws -> UploadState {
        let prefix = Self.uploadPrefix(upload)
        var kind: UploadKind?
        var segments: [(offset: Int64, object: S3Bucket.Object)] = []
        for object in try await bucket.list(prefix: prefix) {
            let name = object.key.dropFirst(prefix.count)
            if name == ".\(UploadKind.resumable.rawValue)" {
                kind = .resumable
            } else if name == ".\(UploadKind.monolithic.rawValue)" {
                kind = kind ?? .monolithic
            } else if name.count == 16, let offset = Int64(name) {
                segments.append((offset, object))
            }
        }
        guard let kind else { throw BlobStoreError.uploadNotFound(upload) }
        segments.sort { $0.offset < $1.offset }
        var state = UploadState(kind: kind, segments: [], size: 0, leftovers: [])
        for segment in segments {
            let follows = state.leftovers.isEmpty && segment.offset == state.size && segment.object.size > 0
                && state.segments.last.map { $0.object.size == Int64(partSize) } ?? true
            if follows {
                state.segments.append(segment)
                state.size += segment.object.size
            } else {
                state.leftovers.append(segment.object)
            }
        }
        return state
    }

    /// `held` when it has hashed exactly the upload's bytes, else a hash rebuilt by reading the segments back (the
    /// appends were made by another process, or before a restart).
    private func runningHash(_ held: DigestingHasher?, of upload: String, _ state: UploadState) async throws -> DigestingHasher {
        if let held, held.byteCount == state.size { return held }
        var hasher = DigestingHasher()
        for segment in state.segments {
            let found = try await bucket.get(segment.object.key) { chunk in chunk.withUnsafeReadableBytes { hasher.update($0) } }
            guard found else { throw BlobStoreError.uploadNotFound(upload) }
        }
        guard hasher.byteCount == state.size else {
            throw S3Error.malformedAnswer("upload \(upload) changed while it was hashed")
        }
        return hasher
    }

    private func removeObjects(of upload: String) async throws {
        try await removeObjects(try await bucket.list(prefix: Self.uploadPrefix(upload)))
    }

    /// Removes the markers first, so that the upload is gone at once, then the segments, a few at a time.
    private func removeObjects(_ objects: [S3Bucket.Object]) async throws {
        let markers = objects.filter { $0.key.split(separator: "/").last?.hasPrefix(".") == true }
        for marker in markers { try await bucket.delete(marker.key) }
        let bucket = self.bucket
        let rest = objects.filter { object in !markers.contains { $0.key == object.key } }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (index, object) in rest.enumerated() {
                if index >= 8 { try await group.next() }
                group.addTask { try await bucket.delete(object.key) }
            }
            try await group.waitForAll()
        }
    }
}
