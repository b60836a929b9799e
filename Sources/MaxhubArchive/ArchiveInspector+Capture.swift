extension ArchiveInspector {
    /// Inspects the archive like `inspect(archiveAt:)` and also returns the contents of one small entry
    /// (the package's `maxhub.yaml`), read in the same pass. An entry over `maxBytes` is a limit error.
    public func inspect(
        archiveAt path: String,
        capturing capturedPath: String,
        maxBytes: Int = 1 << 20
    ) throws(ArchiveError) -> (entries: [InspectedEntry], captured: [UInt8]?) {
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
        return (entries, captured)
    }
}
