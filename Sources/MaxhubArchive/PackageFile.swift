/// A regular file of a package folder that belongs in its archive.
public struct PackageFile: Equatable, Sendable {
    /// The path relative to the package root, `/`-separated: the archive entry name.
    public var path: String
    /// Where the file is on disk.
    public var absolutePath: String
    /// Whether any execute bit is set on disk (the archive stores 0755 then, 0644 otherwise).
    public var executable: Bool
    /// The size when the folder was walked.
    public var size: Int64

    public init(path: String, absolutePath: String, executable: Bool, size: Int64) {
        self.path = path
        self.absolutePath = absolutePath
        self.executable = executable
        self.size = size
    }
}
