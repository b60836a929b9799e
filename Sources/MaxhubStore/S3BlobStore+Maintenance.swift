import Foundation
import MaxhubCore
import NIOCore

/// What the operator's maintenance (`maxhub admin fsck` and `gc`) does with the bucket. A blob's grace runs from the
/// later of its own modification and its `renewed/` marker's.
extension S3BlobStore: BlobMaintenance {
    public var place: String { bucket.location.description }

    public func storedBlobs() async throws -> [StoredBlob] {
        let prefix = "blobs/\(Digest.algorithm)/"
        let renewalPrefix = "renewed/\(Digest.algorithm)/"
        var renewed: [String: Date] = [:]
        for marker in try await bucket.list(prefix: renewalPrefix) {
            renewed[String(marker.key.dropFirst(renewalPrefix.count))] = marker.lastModified
        }
        return try await bucket.list(prefix: prefix).compactMap { object in
            let hex = String(object.key.dropFirst(prefix.count))
            guard let digest = try? Digest(parsing: "\(Digest.algorithm):\(hex)") else { return nil }
            return StoredBlob(digest: digest, size: object.size, modified: max(object.lastModified, renewed[hex] ?? .distantPast))
        }
        .sorted { $0.digest.description < $1.digest.description }
    }

    public func holdsItsBytes(_ digest: Digest, progress: (Int64) -> Void) async throws -> Bool? {
        var hasher = DigestingHasher()
        let found = try await bucket.get(Self.blobKey(digest)) { chunk in
            chunk.withUnsafeReadableBytes { hasher.update($0) }
            progress(Int64(chunk.readableBytes))
        }
        return found ? hasher.finalize() == digest : nil
    }

    public func remove(_ digest: Digest, ifUnmodifiedSince cutoff: Date) async throws -> Bool {
        guard let blob = try await bucket.head(Self.blobKey(digest)), blob.lastModified < cutoff else { return false }
        if let renewal = try await bucket.head(Self.renewalKey(digest)), renewal.lastModified >= cutoff { return false }
        try await delete(digest)
        return true
    }

    public func staleUploads(before cutoff: Date) async throws -> [(id: String, size: Int64)] {
        var stale: [(id: String, size: Int64)] = []
        for (upload, objects) in try await uploadObjects() where !(await hashers.isCheckedOut(upload)) {
            guard let newest = objects.map(\.lastModified).max(), newest < cutoff else { continue }
            let size = objects.filter { $0.key.split(separator: "/").last?.hasPrefix(".") == false }.reduce(0) { $0 + $1.size }
            stale.append((upload, size))
        }
        return stale
    }
}
