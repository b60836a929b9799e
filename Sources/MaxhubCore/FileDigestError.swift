import Foundation

/// Why a file could not be hashed.
public enum FileDigestError: Error, CustomStringConvertible {
    case cannotOpen(path: String, errno: Int32)
    case cannotRead(path: String, errno: Int32)

    public var description: String {
        switch self {
        case .cannotOpen(let path, let code): "cannot open \(path): \(String(cString: strerror(code)))"
        case .cannotRead(let path, let code): "cannot read \(path): \(String(cString: strerror(code)))"
        }
    }
}
