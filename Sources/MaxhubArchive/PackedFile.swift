import MaxhubCore

/// One entry written into a package archive, as the manifest's `files:` list records it.
public struct PackedFile: Equatable, Sendable {
    /// The entry's path inside the archive, relative, `/`-separated.
    public var path: String
    /// The number of bytes stored.
    public var size: Int64
    /// The SHA-256 of the bytes stored.
    public var digest: Digest
    /// Whether the entry was stored with mode 0755 rather than 0644.
    public var executable: Bool

    public init(path: String, size: Int64, digest: Digest, executable: Bool) {
        self.path = path
        self.size = size
        self.digest = digest
        self.executable = executable
    }
}
