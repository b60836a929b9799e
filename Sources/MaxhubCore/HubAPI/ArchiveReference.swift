/// A package archive stored on the hub, named by its digest and size.
public struct ArchiveReference: Codable, Sendable, Equatable, Hashable {
    public var digest: Digest
    public var size: Int64

    public init(digest: Digest, size: Int64) {
        self.digest = digest
        self.size = size
    }
}
