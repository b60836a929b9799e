/// Why an archive entry (or a path offered to the writer) may not be part of a package.
public enum UnsafeEntryReason: Error, Equatable, Sendable, CustomStringConvertible {
    case emptyPath
    case containsNUL
    case notUTF8
    /// A leading `/`, a leading `\`, or a Windows drive such as `C:`.
    case absolutePath
    /// A `..` component.
    case leavesPackage
    /// A `\` anywhere: Windows reads it as a folder separator.
    case containsBackslash
    /// Not in the canonical form the writer stores: `./`, `//`, a `.` component or a trailing `/`.
    case notCanonical
    case absoluteLinkTarget(String)
    case linkLeavesPackage(String)
    /// A link target that climbs with `..` after naming a folder (`a/../b`): it could climb out through a symlink.
    case linkTargetNotCanonical(String)
    case hardLink(String)
    case characterDevice
    case blockDevice
    case fifo
    case socket
    case unknownType(UInt32)
    case sparseFile
    case duplicate
    /// The entry lies inside an earlier symlink entry.
    case throughSymlink(String)
    /// The entry lies inside an earlier file entry.
    case insideFile(String)
    /// The entry is not a folder but an earlier entry lies inside it.
    case replacesFolder

    public var description: String {
        switch self {
        case .emptyPath: "the path is empty"
        case .containsNUL: "the path contains a NUL byte"
        case .notUTF8: "the path is not valid UTF-8"
        case .absolutePath: "the path is absolute"
        case .leavesPackage: "path leaves the package"
        case .containsBackslash: "the path contains a backslash, which Windows reads as a folder separator"
        case .notCanonical: "the path is not canonical (no ./, //, . components or trailing /)"
        case .absoluteLinkTarget(let target): "symlink to the absolute path \"\(target)\""
        case .linkLeavesPackage(let target): "symlink to \"\(target)\" leaves the package"
        case .linkTargetNotCanonical(let target):
            "symlink to \"\(target)\" climbs with .. after naming a folder, which could leave the package through another link"
        case .hardLink(let target): "hard link to \"\(target)\" (hard links are not allowed)"
        case .characterDevice: "character device files are not allowed"
        case .blockDevice: "block device files are not allowed"
        case .fifo: "fifos are not allowed"
        case .socket: "sockets are not allowed"
        case .unknownType(let type): "unknown entry type 0o\(String(type, radix: 8))"
        case .sparseFile: "sparse files are not supported"
        case .duplicate: "the path appears more than once"
        case .throughSymlink(let link): "the path goes through the symlink \"\(link)\""
        case .insideFile(let file): "the path goes through the file \"\(file)\""
        case .replacesFolder: "an earlier entry uses this path as a folder"
        }
    }
}
