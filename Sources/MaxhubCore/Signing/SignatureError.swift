/// Why a signature bundle or the statement it carries was refused.
public enum SignatureError: Error, Equatable, CustomStringConvertible {
    /// The bytes are not a bundle this format knows.
    case malformedBundle(String)
    /// The bundle names a key (by the sha256 of its PEM) that is not among the trusted ones.
    case unknownKey(hint: String)
    /// The DSSE signature does not verify under the key the bundle names.
    case badSignature(fingerprint: String)
    /// The signed statement is not the kind expected, or contradicts itself.
    case malformedStatement(String)
    /// The signed statement does not describe these files (missing, extra or different ones).
    case filesDiffer([String])
    /// The signed statement describes another version or archive.
    case subjectDiffers(String)
    /// A key that cannot be read or is of a kind the format does not take.
    case unreadableKey(String)

    public var description: String {
        switch self {
        case .malformedBundle(let reason): "the signature bundle is malformed: \(reason)"
        case .unknownKey(let hint): "the signature was made by a key this client does not trust (sha256 of its PEM \(hint))"
        case .badSignature(let fingerprint): "the signature does not verify under the key \(fingerprint)"
        case .malformedStatement(let reason): "the signed statement is malformed: \(reason)"
        case .filesDiffer(let problems): "the signature does not cover these files: " + problems.joined(separator: "; ")
        case .subjectDiffers(let reason): "the signature is for something else: \(reason)"
        case .unreadableKey(let reason): "the key cannot be used: \(reason)"
        }
    }
}
