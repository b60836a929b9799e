import Foundation
import MaxhubCore
import NIOCore
import _NIOFileSystem

/// What the operator's maintenance (`maxhub admin fsck` and `gc`) does with the file store.
///
/// ```
/// ROOT/quarantine/sha256/abcdef...    a blob that no longer hashes to its digest, moved out of blobs/
/// ```
///
/// A quarantined digest is missing to the hub (HEAD and GET answer 404), so a client's `publish` uploads it again,
/// and an upload of the right bytes repairs it.
extension FileBlobStore: BlobMaintenance {
    public var place: String { root }

    /// Every stored blob, in digest order.
    public func storedBlobs() async throws -> [StoredBlob] {
        let folder = FilePath(root).appending("blobs/\(Digest.algorithm)")
        guard try await fileSystem.info(forFileAt: folder) != nil else { return [] }
        var blobs: [StoredBlob] = []
        for shard in try await entries(of: folder) where shard.type == .directory {
            for entry in try await entries(of: shard.path) where entry.type == .regular {
                guard let digest = try? Digest(parsing: "\(Digest.algorithm):\(entry.name.string)"),
                    let info = try await fileSystem.info(forFileAt: entry.path)
                else { continue }
                blobs.append(StoredBlob(digest: digest, size: info.size, modified: Self.date(info.lastDataModificationTime)))
            }
        }
        return blobs.sorted { $0.digest.description < $1.digest.description }
    }

    /// Re-hashes a stored blob; `progress` is told how many bytes each read added. nil when the blob is gone.
    public func holdsItsBytes(_ digest: Digest, progress: (Int64) -> Void = { _ in }) async throws -> Bool? {
        var hasher = DigestingHasher()
        do {
            try await read(digest, range: nil, checkingWholeReads: false) { chunk in
                chunk.withUnsafeReadableBytes { hasher.update($0) }
                progress(Int64(chunk.readableBytes))
            }
        } catch BlobStoreError.blobNotFound {
            return nil
        }
        return hasher.finalize() == digest
    }

    /// Moves a blob out of `blobs/` into `quarantine/`, where an operator can look at it; returns its new path. The
    /// digest is missing to the hub from then on.
    @discardableResult
    public func quarantine(_ digest: Digest) async throws -> String {
        let folder = FilePath(root).appending("quarantine/\(Digest.algorithm)")
        try await fileSystem.createDirectory(at: folder, withIntermediateDirectories: true, permissions: nil)
        let target = folder.appending(digest.hex)
        _ = try? await fileSystem.removeItem(at: target, recursively: false)
        do {
            try await fileSystem.moveItem(at: blobPath(digest), to: target)
        } catch let error as FileSystemError where error.code == .notFound {
            throw BlobStoreError.blobNotFound(digest)
        }
        return target.string
    }

    /// Renews a blob's grace period against `removeUnreferenced`: its modification time becomes now.
    public func renew(_ digest: Digest) async {
        _ = try? await fileSystem.withFileHandle(forReadingAndWritingAt: blobPath(digest), options: .modifyFile(createIfNecessary: false)) {
            try await $0.touch()
        }
    }

    /// Removes the blob when it was not modified since `cutoff` (checked again just before it goes, so a blob renewed
    /// meanwhile stays). Returns whether it removed it.
    public func remove(_ digest: Digest, ifUnmodifiedSince cutoff: Date) async throws -> Bool {
        guard let info = try await fileSystem.info(forFileAt: blobPath(digest)),
            Self.date(info.lastDataModificationTime) < cutoff
        else { return false }
        return try await fileSystem.removeItem(at: blobPath(digest), recursively: false) > 0
    }

    /// Uploads untouched since `cutoff`, with their sizes; `removeAbandonedUploads` removes them.
    public func staleUploads(before cutoff: Date) async throws -> [(id: String, size: Int64)] {
        var stale: [(id: String, size: Int64)] = []
        for kind in [UploadKind.monolithic, .resumable] {
            let folder = uploadFolder(kind)
            guard try await fileSystem.info(forFileAt: folder) != nil else { continue }
            for entry in try await entries(of: folder) where entry.type == .regular {
                guard let info = try await fileSystem.info(forFileAt: entry.path),
                    Self.date(info.lastDataModificationTime) < cutoff, !(await hashers.isCheckedOut(entry.name.string))
                else { continue }
                stale.append((entry.name.string, info.size))
            }
        }
        return stale
    }

    private func entries(of folder: FilePath) async throws -> [DirectoryEntry] {
        try await fileSystem.withDirectoryHandle(atPath: folder) { directory in
            var entries: [DirectoryEntry] = []
            for try await batch in directory.listContents().batched() { entries += batch }
            return entries
        }
    }

    static func date(_ time: FileInfo.Timespec) -> Date {
        Date(timeIntervalSince1970: Double(time.seconds) + Double(time.nanoseconds) / 1e9)
    }
}

extension FileBlobStore {
    /// The file that holds a blob (whether or not it exists), for copies made outside the store.
    public func path(of digest: Digest) -> String { blobPath(digest).string }
}
