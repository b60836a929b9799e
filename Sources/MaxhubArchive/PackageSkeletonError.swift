import Foundation
import MaxhubCore

/// Why `maxhub init` wrote nothing.
public enum PackageSkeletonError: Error, Equatable, CustomStringConvertible {
    case unknownTask(String)
    case fileExists(String)
    case cannotWrite(String, String)

    public var description: String {
        switch self {
        case .unknownTask(let task): "task \"\(task)\" is not in the task vocabulary (see schemas/README.md)"
        case .fileExists(let path): "\(path) already exists; init never overwrites a file"
        case .cannotWrite(let folder, let reason): "cannot write the skeleton into \(folder): \(reason)"
        }
    }
}
