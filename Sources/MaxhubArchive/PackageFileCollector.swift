#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Lists the files of a package folder that go into its archive, sorted as the archive needs them.
///
/// Left out: the root `maxhub.yaml` (the writer adds the completed manifest itself), anything whose
/// name starts with `.` at any depth (`.git`, `.DS_Store`, `.maxhubignore`), whatever the root
/// `.maxhubignore` matches (see `PackageIgnoreRules`), the `excludedPaths` (the archive being written
/// when it is inside the folder) and empty folders. Anything else that is not a regular file or a
/// folder (a symlink, fifo, socket or device) is an error naming it.
public struct PackageFileCollector: Sendable {
    /// The package folder.
    public var root: String
    /// Absolute (or working-folder-relative) paths to leave out, even if they do not exist yet.
    public var excludedPaths: [String]

    public init(root: String, excluding excludedPaths: [String] = []) {
        self.root = root
        self.excludedPaths = excludedPaths
    }

    /// The files, sorted by the byte order of their UTF-8 relative paths.
    public func collect() throws(ArchiveError) -> [PackageFile] {
        guard let rootPath = LocalPath.resolved(root) else { throw .cannotOpen(path: root, errno: errno) }
        let rules = try loadIgnoreRules(rootPath)
        let excluded = Set(excludedPaths.map(Self.resolved))
        var files: [PackageFile] = []
        try walk(folder: rootPath, relative: "", rules: rules, excluded: excluded, into: &files)
        files.sort { EntryPath.precedes($0.path, $1.path) }
        return files
    }

    private func walk(
        folder: String,
        relative: String,
        rules: PackageIgnoreRules,
        excluded: Set<String>,
        into files: inout [PackageFile]
    ) throws(ArchiveError) {
        for name in try Self.names(in: folder) {
            if name.hasPrefix(".") { continue }
            if relative.isEmpty, name == "maxhub.yaml" { continue }
            let path = relative.isEmpty ? name : relative + "/" + name
            let absolutePath = folder + "/" + name
            if excluded.contains(absolutePath) { continue }
            var status = stat()
            guard lstat(absolutePath, &status) == 0 else { throw .cannotRead(path: absolutePath, errno: errno) }
            switch status.st_mode & S_IFMT {
            case S_IFDIR:
                if rules.ignores(path, isDirectory: true) { continue }
                try walk(folder: absolutePath, relative: path, rules: rules, excluded: excluded, into: &files)
            case S_IFREG:
                if rules.ignores(path, isDirectory: false) { continue }
                files.append(
                    PackageFile(
                        path: path, absolutePath: absolutePath, executable: status.st_mode & 0o111 != 0, size: Int64(status.st_size),
                        stamp: FileStamp(status))
                )
            default:
                if rules.ignores(path, isDirectory: false) { continue }
                throw .unsupportedFileType(path: absolutePath, kind: Self.kindName(of: status.st_mode))
            }
        }
    }

    private func loadIgnoreRules(_ rootPath: String) throws(ArchiveError) -> PackageIgnoreRules {
        let path = rootPath + "/" + PackageIgnoreRules.fileName
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            if errno == ENOENT { return PackageIgnoreRules() }
            throw .cannotOpen(path: path, errno: errno)
        }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = read(descriptor, &chunk, chunk.count)
            if count < 0, errno == EINTR { continue }
            if count < 0 { throw .cannotRead(path: path, errno: errno) }
            if count == 0 { break }
            bytes += chunk[0..<count]
        }
        return try PackageIgnoreRules(parsing: String(decoding: bytes, as: UTF8.self), file: path)
    }

    private static func names(in folder: String) throws(ArchiveError) -> [String] {
        guard let stream = opendir(folder) else { throw .cannotOpen(path: folder, errno: errno) }
        defer { closedir(stream) }
        var names: [String] = []
        while let item = readdir(stream) {
            let name = withUnsafeBytes(of: item.pointee.d_name) { raw in
                String(validatingCString: raw.baseAddress!.assumingMemoryBound(to: CChar.self))
            }
            guard let name else { throw .fileNameNotUTF8(folder: folder) }
            if name == "." || name == ".." { continue }
            names.append(name)
        }
        return names
    }

    /// An absolute path with its folder resolved, so it compares with the paths of the walk.
    private static func resolved(_ path: String) -> String {
        if let real = LocalPath.resolved(path) { return real }
        let name = path.split(separator: "/").last.map(String.init) ?? path
        guard let folder = LocalPath.resolved(LocalPath.folder(of: path)) else { return path }
        return (folder == "/" ? "" : folder) + "/" + name
    }

    static func kindName(of mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFLNK: "symbolic link"
        case S_IFIFO: "fifo"
        case S_IFSOCK: "socket"
        case S_IFCHR: "character device"
        case S_IFBLK: "block device"
        case S_IFDIR: "folder"
        default: "special file"
        }
    }
}
