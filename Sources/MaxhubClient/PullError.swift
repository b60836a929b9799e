import Foundation
import MaxhubArchive
import MaxhubCore

/// Why a pull or a verification failed.
public enum PullError: Error, CustomStringConvertible {
    case notCached(ModelName, String)
    case trustMismatch(ModelName, Version, trusted: Digest, served: Digest)
    case archiveMismatch(ModelName, Version, expected: Digest, actual: Digest)
    case unsafeArchive(ModelName, Version, String)
    case badManifest(ModelName, Version, String)
    case fileMismatch(ModelName, Version, [String])
    /// A package folder in the cache whose manifest cannot be read.
    case unreadablePackage(String, String)

    /// Whether this is a failed check (exit 4) rather than something missing (exit 3).
    public var isVerificationFailure: Bool {
        if case .notCached = self { return false }
        return true
    }

    public var description: String {
        switch self {
        case .notCached(let name, let range):
            "no cached version of \(name) satisfies \"\(range)\" (offline)"
        case .trustMismatch(let name, let version, let trusted, let served):
            "\(name)@\(version) was \(trusted) when first pulled; the hub now serves \(served). "
                + "Refusing it; pass --trust-new to accept the new digest"
        case .archiveMismatch(let name, let version, let expected, let actual):
            "checksum mismatch for the archive of \(name)@\(version): expected \(expected), got \(actual)"
        case .unsafeArchive(let name, let version, let reason):
            "the archive of \(name)@\(version) was refused: \(reason)"
        case .badManifest(let name, let version, let reason):
            "the archive of \(name)@\(version) has no valid maxhub.yaml: \(reason)"
        case .fileMismatch(let name, let version, let problems):
            "\(name)@\(version) does not match its manifest: " + problems.joined(separator: "; ")
        case .unreadablePackage(let path, let reason):
            "\(path): \(reason)"
        }
    }
}
