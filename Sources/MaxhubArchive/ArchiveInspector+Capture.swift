import MaxhubCore

extension ArchiveInspector {
    /// What one pass over an archive file tells: its entries, the contents of one small entry (the
    /// package's `maxhub.yaml`), and the digest and size of the archive file itself.
    public struct Report: Sendable {
        public var entries: [InspectedEntry]
        public var captured: [UInt8]?
        public var archiveDigest: Digest
        public var archiveSize: Int64
    }

    /// Inspects the archive like `inspect(archiveAt:)`, reading the file once: every entry is hashed as
    /// it decompresses, the compressed bytes are hashed as they are read, and the entry at `capturedPath`
    /// is kept. A captured entry over `maxBytes` is a limit error.
    public func inspect(archiveAt path: String, capturing capturedPath: String, maxBytes: Int = 1 << 20) throws(ArchiveError) -> Report {
        let session = try ArchiveReadSession(archivePath: path)
        var checker = EntrySafetyChecker(limits: limits)
        var entries: [InspectedEntry] = []
        var captured: [UInt8]?
        while let header = try session.nextHeader() {
            guard let entry = try checker.admit(header) else { continue }
            guard entry.path == capturedPath, entry.kind == .file else {
                entries.append(try session.inspect(entry))
                continue
            }
            guard entry.declaredSize <= Int64(maxBytes) else {
                throw .limitExceeded(entry: entry.path, .entrySize(Int64(maxBytes)))
            }
            var bytes: [UInt8] = []
            bytes.reserveCapacity(Int(entry.declaredSize))
            entries.append(try session.inspect(entry) { block, _ in bytes.append(contentsOf: block) })
            captured = bytes
        }
        let archive = try session.archiveDigest()
        return Report(entries: entries, captured: captured, archiveDigest: archive.digest, archiveSize: archive.size)
    }
}
