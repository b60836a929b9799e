import MaxhubCore

/// A write the catalog refuses.
public enum CatalogError: Error, Equatable, CustomStringConvertible {
    /// Versions are immutable: the model already has this version, in this state.
    case versionExists(ModelName, Version, ReviewState)
    case tokenNotFound(Int64)

    public var description: String {
        switch self {
        case .versionExists(let name, let version, let state):
            "\(name)@\(version) is already published (\(state)); versions are immutable, publish a new version number"
        case .tokenNotFound(let id):
            "no token with id \(id)"
        }
    }
}
