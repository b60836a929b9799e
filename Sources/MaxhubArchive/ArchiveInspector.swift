/// Lists and checks a package archive without extracting it.
///
/// Every entry's data streams through SHA-256 in the blocks libarchive decompresses; nothing is held
/// whole. Unsafe entries (see `UnsafeEntryReason`), truncated data and archives over the `limits`
/// are refused with an error naming the entry.
public struct ArchiveInspector: Sendable {
    public var limits: ArchiveLimits

    public init(limits: ArchiveLimits = .unlimited) {
        self.limits = limits
    }

    /// The entries of the archive at `path` in archive order, the package root's `./` entry left out.
    public func inspect(archiveAt path: String) throws(ArchiveError) -> [InspectedEntry] {
        let session = try ArchiveReadSession(archivePath: path)
        var checker = EntrySafetyChecker(limits: limits)
        var entries: [InspectedEntry] = []
        while let header = try session.nextHeader() {
            guard let entry = try checker.admit(header) else { continue }
            entries.append(try session.inspect(entry))
        }
        return entries
    }
}
