import Foundation
import MaxhubArchive
import MaxhubCore

/// Why a package cannot be published.
public enum PublishError: Error, CustomStringConvertible {
    case noPackage(String)
    case packFailed(String)
    case noManifest(String)
    case invalidManifest(String, String)
    case archiveMismatch(String, [String])

    public var description: String {
        switch self {
        case .noPackage(let path): "no package folder or archive at \(path)"
        case .packFailed(let reason): reason
        case .noManifest(let path): "\(path) has no \(Manifest.fileName); make archives with `maxhub pack`"
        case .invalidManifest(let path, let reason): "the manifest in \(path) is invalid: \(reason)"
        case .archiveMismatch(let path, let problems): "\(path) does not match its manifest: " + problems.joined(separator: "; ")
        }
    }
}
