/// Why a manifest could not be read.
public enum ManifestError: Error, Equatable, CustomStringConvertible {
    /// There is no `maxhub.yaml` at the given place.
    case missing(String)
    /// The text is not YAML or JSON.
    case unreadable(String)
    /// The document breaks the schema or the manifest's own rules; every problem is listed.
    case invalid([ManifestProblem])

    public var description: String {
        switch self {
        case .missing(let path):
            "no manifest at \(path); create one with `maxhub init`"
        case .unreadable(let reason):
            "the manifest is not valid YAML: \(reason)"
        case .invalid(let problems):
            "the manifest has \(problems.count) problem\(problems.count == 1 ? "" : "s"):\n"
                + problems.map { "  \($0)" }.joined(separator: "\n")
        }
    }

    /// The problems, for `.invalid`; otherwise the error itself as one problem at the root.
    public var problems: [ManifestProblem] {
        switch self {
        case .invalid(let problems): problems
        default: [ManifestProblem(path: "(root)", message: description)]
        }
    }
}
