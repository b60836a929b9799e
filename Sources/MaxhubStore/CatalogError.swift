import MaxhubCore

/// A write the catalog refuses.
public enum CatalogError: Error, Equatable, CustomStringConvertible {
    /// Versions are immutable: the model already has this version, in this state.
    case versionExists(ModelName, Version, ReviewState)
    case tokenNotFound(Int64)
    case versionNotFound(ModelName, Version)
    /// The workflow has no move from the version's state to the one asked for.
    case invalidTransition(ModelName, Version, from: ReviewState, to: ReviewState)

    public var description: String {
        switch self {
        case .versionExists(let name, let version, let state):
            "\(name)@\(version) is already published (\(state)); versions are immutable, publish a new version number"
        case .tokenNotFound(let id):
            "no token with id \(id)"
        case .versionNotFound(let name, let version):
            "no version \(version) of \(name)"
        case .invalidTransition(let name, let version, let from, let to):
            "\(name)@\(version) is \(from); it cannot become \(to)" + (from == .rejected ? " (publish a new version number)" : "")
        }
    }
}
