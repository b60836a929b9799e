/// The rules for entry paths, shared by the writer (which refuses to store a bad one) and the
/// reader (which refuses to return or extract one).
enum EntryPath {
    private static let slash = UInt8(ascii: "/")
    private static let backslash = UInt8(ascii: "\\")
    private static let dot = UInt8(ascii: ".")

    /// Normalizes a path read from an archive: drops `./` prefixes, `.` and empty components and a
    /// trailing `/`. Returns nil for the package root itself (`.`, `./`).
    static func normalized(_ raw: String) throws(UnsafeEntryReason) -> String? {
        let bytes = Array(raw.utf8)
        try checkPrefix(bytes, empty: .emptyPath, absolute: .absolutePath)
        if bytes.contains(backslash) { throw .containsBackslash }
        var components: [ArraySlice<UInt8>] = []
        for component in bytes.split(separator: slash, omittingEmptySubsequences: true) {
            if component.elementsEqual([dot]) { continue }
            if component.elementsEqual([dot, dot]) { throw .leavesPackage }
            components.append(component)
        }
        if components.isEmpty { return nil }
        // `./C:evil` normalizes to `C:evil`, a drive once more.
        if isDrive(components[0]) { throw .absolutePath }
        return String(decoding: Array(components.joined(separator: [slash])), as: UTF8.self)
    }

    /// Checks a path offered to the writer: it must already be in the normalized form the reader returns.
    static func checkCanonical(_ path: String) throws(UnsafeEntryReason) {
        guard let normalized = try normalized(path) else { throw .notCanonical }
        guard normalized.utf8.elementsEqual(path.utf8) else { throw .notCanonical }
    }

    /// Checks that a symlink stored at `entryPath` (normalized) pointing at `target` stays inside the package.
    ///
    /// The target is resolved lexically from the link's folder. Because no entry may lie inside a symlink,
    /// the link's own folder is real, so climbing with leading `..` components is exact; a `..` after a
    /// named folder could climb back out through another symlink, so it is refused.
    static func checkSymlinkTarget(_ target: String, of entryPath: String) throws(UnsafeEntryReason) {
        let bytes = Array(target.utf8)
        try checkPrefix(bytes, empty: .linkLeavesPackage(target), absolute: .absoluteLinkTarget(target))
        if bytes.contains(backslash) { throw .linkLeavesPackage(target) }
        var depth = entryPath.utf8.split(separator: slash).count - 1
        var descended = false
        var first = true
        for component in bytes.split(separator: slash, omittingEmptySubsequences: true) {
            if component.elementsEqual([dot]) { continue }
            // `./C:/evil` is a drive too, once the `./` is dropped.
            if first, isDrive(component) { throw .absoluteLinkTarget(target) }
            first = false
            if component.elementsEqual([dot, dot]) {
                if descended { throw .linkTargetNotCanonical(target) }
                depth -= 1
                if depth < 0 { throw .linkLeavesPackage(target) }
            } else {
                descended = true
            }
        }
    }

    /// The folders that contain a normalized path, outermost first: `a/b/c` gives `a`, `a/b`.
    static func ancestors(of path: String) -> [String] {
        var result: [String] = []
        var bytes: [UInt8] = []
        for byte in path.utf8 {
            if byte == slash { result.append(String(decoding: bytes, as: UTF8.self)) }
            bytes.append(byte)
        }
        return result
    }

    /// Whether `lhs` sorts before `rhs` in the byte order of their UTF-8 encodings (the archive's order).
    static func precedes(_ lhs: String, _ rhs: String) -> Bool {
        lhs.utf8.lexicographicallyPrecedes(rhs.utf8)
    }

    private static func checkPrefix(
        _ bytes: [UInt8], empty: UnsafeEntryReason, absolute: UnsafeEntryReason
    ) throws(UnsafeEntryReason) {
        guard let first = bytes.first else { throw empty }
        if bytes.contains(0) { throw .containsNUL }
        if first == slash || first == backslash { throw absolute }
        if isDrive(bytes[...]) { throw absolute }
    }

    /// Whether a path or its first component starts with a Windows drive: `C:`, `C:\`, `C:/`, `C:evil`.
    private static func isDrive(_ bytes: ArraySlice<UInt8>) -> Bool {
        guard bytes.count >= 2, let first = bytes.first else { return false }
        return bytes[bytes.startIndex + 1] == UInt8(ascii: ":") && (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(first | 0x20)
    }
}
