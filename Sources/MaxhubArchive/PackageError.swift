import MaxhubCore

/// Why a package folder or a package archive does not check out.
public enum PackageError: Error, CustomStringConvertible {
    case manifest(ManifestError)
    case archive(ArchiveError)
    case cannotUpdateManifest(String, String)

    public var description: String {
        switch self {
        case .manifest(let error): error.description
        case .archive(let error): error.description
        case .cannotUpdateManifest(let path, let reason): "cannot update \(path): \(reason)"
        }
    }
}
