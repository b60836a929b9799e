import MaxhubCore
import NIOCore

/// A blob store's refusal.
public enum BlobStoreError: Error, Equatable, CustomStringConvertible {
    case digestMismatch(expected: Digest, actual: Digest, size: Int64)
    case offsetMismatch(expected: Int64, actual: Int64)
    case tooLarge(limit: Int64)
    case uploadNotFound(String)
    case blobNotFound(Digest)
    case rangeNotSatisfiable(size: Int64)
    /// The stored blob no longer hashes to its digest; it was moved to quarantine.
    case corrupt(Digest)

    public var description: String {
        switch self {
        case .digestMismatch(let expected, let actual, let size):
            "digest mismatch: declared \(expected), the \(size) bytes received hash to \(actual)"
        case .offsetMismatch(let expected, let actual):
            "the upload holds \(expected) bytes; a chunk starting at \(actual) does not follow on"
        case .tooLarge(let limit):
            "the upload is larger than the hub's limit of \(limit) bytes"
        case .uploadNotFound(let id):
            "no upload \(id) in progress"
        case .blobNotFound(let digest):
            "no blob \(digest)"
        case .rangeNotSatisfiable(let size):
            "the range is outside the blob's \(size) bytes"
        case .corrupt(let digest):
            "the stored blob \(digest) no longer holds its digest's bytes; it was quarantined (an upload of the right bytes repairs it)"
        }
    }
}
