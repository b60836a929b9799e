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
    /// The hub (its URL) serves no signature for an approved version.
    case signatureMissing(ModelName, Version, String)
    /// The signature bundle is malformed, made by an untrusted key, or does not cover the package's files.
    case badSignature(ModelName, Version, SignatureError)
    /// The hub (its URL) signs with a key it lists that is not pinned (its fingerprint, and those pinned).
    case newHubKey(String, String, pinned: [String])
    /// A cached package with no signature beside it.
    case unsignedPackage(ModelName, Version, String)

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
        case .signatureMissing(let name, let version, let hub):
            "the hub at \(hub) serves no signature for \(name)@\(version); refusing it (the hub signs every approval)"
        case .badSignature(let name, let version, let error):
            "the signature of \(name)@\(version) was refused: \(error)"
        case .newHubKey(let hub, let fingerprint, let pinned):
            "the hub at \(hub) signs with the key \(fingerprint), which is not the one pinned for it "
                + "(\(pinned.joined(separator: ", "))). Refusing it; if the hub's admins rotated its key, maxhub pull --trust-new-key pins the new one"
        case .unsignedPackage(let name, let version, let path):
            "\(name)@\(version) has no signature beside it (\(path)); pull it again to fetch and check one"
        }
    }
}
