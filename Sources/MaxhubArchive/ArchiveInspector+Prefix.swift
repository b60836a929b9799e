extension ArchiveInspector {
    /// What `inspect(archiveAt:keepingPrefixOf:maxBytes:)` tells: the entries, and the first bytes of one of them.
    public struct PrefixReport: Sendable {
        public var entries: [InspectedEntry]
        /// Up to `maxBytes` bytes of the entry, or nil when the archive has no such file.
        public var prefix: [UInt8]?
        /// Whether the entry holds more than the prefix.
        public var isTruncated: Bool
    }

    /// Inspects the archive like `inspect(archiveAt:)` and keeps the first `maxBytes` of the file at `keptPath`
    /// (a package's README, say), however large it is. Nothing else is held in memory.
    public func inspect(archiveAt path: String, keepingPrefixOf keptPath: String, maxBytes: Int) throws(ArchiveError) -> PrefixReport {
        let session = try ArchiveReadSession(archivePath: path)
        var checker = EntrySafetyChecker(limits: limits)
        var entries: [InspectedEntry] = []
        var prefix: [UInt8]?
        var isTruncated = false
        while let header = try session.nextHeader() {
            guard let entry = try checker.admit(header) else { continue }
            guard entry.path == keptPath, entry.kind == .file, prefix == nil else {
                entries.append(try session.inspect(entry))
                continue
            }
            let kept = try Self.inspect(entry, in: session, keepingPrefix: maxBytes)
            entries.append(kept.entry)
            prefix = kept.prefix
            isTruncated = kept.isTruncated
        }
        return PrefixReport(entries: entries, prefix: prefix, isTruncated: isTruncated)
    }
}

extension ArchiveInspector {
    /// What `inspect(reading:label:keepingPrefixesOf:maxBytes:maxKept:)` tells.
    public struct StreamReport: Sendable {
        public var entries: [InspectedEntry]
        /// Up to `maxBytes` bytes of each kept file, by path.
        public var prefixes: [String: [UInt8]]
    }

    /// Inspects an archive as its bytes arrive through `pipe`, from another thread, like `inspect(archiveAt:)`, and
    /// keeps the first `maxBytes` of the first `maxKept` files whose paths `keeps` accepts. The archive's own digest
    /// is left to whoever writes the pipe. Blocks the calling thread while the pipe is empty; returns at the end of the
    /// archive, leaving whatever follows it unread.
    public func inspect(
        reading pipe: BytePipe, label: String, keepingPrefixesOf keeps: (String) -> Bool, maxBytes: Int, maxKept: Int
    ) throws(ArchiveError) -> StreamReport {
        let session = try ArchiveReadSession(pipe: pipe, label: label, hashes: false)
        var checker = EntrySafetyChecker(limits: limits)
        var entries: [InspectedEntry] = []
        var prefixes: [String: [UInt8]] = [:]
        while let header = try session.nextHeader() {
            guard let entry = try checker.admit(header) else { continue }
            guard entry.kind == .file, prefixes.count < maxKept, prefixes[entry.path] == nil, keeps(entry.path) else {
                entries.append(try session.inspect(entry))
                continue
            }
            let kept = try Self.inspect(entry, in: session, keepingPrefix: maxBytes)
            entries.append(kept.entry)
            prefixes[entry.path] = kept.prefix
        }
        return StreamReport(entries: entries, prefixes: prefixes)
    }

    /// Inspects one file entry and keeps its first `maxBytes`; whether it held more.
    private static func inspect(
        _ entry: EntrySafetyChecker.AdmittedEntry, in session: ArchiveReadSession, keepingPrefix maxBytes: Int
    ) throws(ArchiveError) -> (entry: InspectedEntry, prefix: [UInt8], isTruncated: Bool) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Int(min(entry.declaredSize, Int64(maxBytes))))
        var isTruncated = false
        let inspected = try session.inspect(entry) { block, _ in
            let room = maxBytes - bytes.count
            if block.count > room { isTruncated = true }
            if room > 0 { bytes.append(contentsOf: block.prefix(room)) }
        }
        return (inspected, bytes, isTruncated)
    }
}
