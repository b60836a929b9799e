/// Why a string is not a digest.
public enum DigestError: Error, Equatable, CustomStringConvertible {
    case missingAlgorithm(String)
    case unsupportedAlgorithm(String)
    case malformedHex(String)

    public var description: String {
        switch self {
        case .missingAlgorithm(let text):
            "digest \"\(text)\" has no algorithm prefix; expected sha256:<64 lowercase hex digits>"
        case .unsupportedAlgorithm(let algorithm):
            "unsupported digest algorithm \"\(algorithm)\"; only sha256 is accepted"
        case .malformedHex(let hex):
            "digest value \"\(hex)\" is not 64 lowercase hex digits"
        }
    }
}
