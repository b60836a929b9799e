/// Why a text is not a package reference.
public enum PackageReferenceError: Error, Equatable, CustomStringConvertible {
    case invalidName(ModelNameError)
    case invalidRange(VersionRangeError)
    /// `NAME@VERSION` was asked for, and the text names no exact version.
    case versionRequired(String)

    public var description: String {
        switch self {
        case .invalidName(let error): error.description
        case .invalidRange(let error): error.description
        case .versionRequired(let text): "expected NAME@VERSION, got \"\(text)\""
        }
    }
}
