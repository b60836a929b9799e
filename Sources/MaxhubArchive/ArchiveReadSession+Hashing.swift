import MaxhubCore

extension ArchiveReadSession {
    /// Reads the current entry's data through SHA-256, handing each block to `body` as well
    /// (the extractor writes it to disk), and checks that it holds exactly the size its header declared.
    func inspect(
        _ entry: EntrySafetyChecker.AdmittedEntry,
        _ body: (UnsafeRawBufferPointer, Int64) throws(ArchiveError) -> Void = { _, _ in }
    ) throws(ArchiveError) -> InspectedEntry {
        guard entry.kind == .file else {
            return InspectedEntry(path: entry.path, kind: entry.kind, size: 0, linkTarget: entry.linkTarget, mode: entry.mode)
        }
        var hasher = DigestingHasher()
        let declared = entry.declaredSize
        try readData(entry: entry.name) { (block, offset) throws(ArchiveError) in
            let end = offset + Int64(block.count)
            guard end <= declared else { throw .entrySizeMismatch(entry: entry.name, declared: declared, actual: end) }
            hasher.update(block)
            try body(block, offset)
        }
        let size = hasher.byteCount
        guard size == declared else { throw .entrySizeMismatch(entry: entry.name, declared: declared, actual: size) }
        return InspectedEntry(path: entry.path, kind: .file, size: size, digest: hasher.finalize(), mode: entry.mode)
    }
}
