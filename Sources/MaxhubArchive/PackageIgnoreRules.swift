#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The patterns of a package's `.maxhubignore`: paths left out of its archive.
///
/// One glob pattern a line, `fnmatch(3)` without `FNM_PATHNAME` (so `*` also matches `/`); blank
/// lines and lines starting with `#` are skipped. A pattern without `/` matches the base name at any
/// depth (`*.tmp`); one with a `/` matches the whole relative path (`data/raw/*`, a leading `/` is
/// dropped); a trailing `/` makes it match folders only (`cache/`). A matching folder is skipped with
/// everything in it. Negation (`!pattern`) is not supported and is an error rather than a surprise.
public struct PackageIgnoreRules: Equatable, Sendable {
    /// The name of the file, at the package root.
    public static let fileName = ".maxhubignore"

    struct Rule: Equatable, Sendable {
        var pattern: String
        var matchesWholePath: Bool
        var foldersOnly: Bool
    }

    private(set) var rules: [Rule] = []

    /// No rules: nothing is ignored.
    public init() {}

    /// Parses the content of an ignore file; `file` names it in errors.
    public init(parsing text: String, file: String = PackageIgnoreRules.fileName) throws(ArchiveError) {
        for (index, rawLine) in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }).enumerated() {
            var line = Substring(rawLine)
            while let last = line.last, last == "\r" || last == " " || last == "\t" { line.removeLast() }
            while let first = line.first, first == " " || first == "\t" { line.removeFirst() }
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("!") {
                throw .invalidIgnorePattern(file: file, line: index + 1, pattern: String(line), reason: "negation is not supported")
            }
            var pattern = line
            let foldersOnly = pattern.hasSuffix("/")
            while pattern.hasSuffix("/") { pattern.removeLast() }
            let anchored = pattern.hasPrefix("/")
            while pattern.hasPrefix("/") { pattern.removeFirst() }
            guard !pattern.isEmpty else {
                throw .invalidIgnorePattern(file: file, line: index + 1, pattern: String(line), reason: "it matches the whole package")
            }
            rules.append(Rule(pattern: String(pattern), matchesWholePath: anchored || pattern.contains("/"), foldersOnly: foldersOnly))
        }
    }

    /// Whether `relativePath` (`/`-separated, from the package root) is ignored.
    public func ignores(_ relativePath: String, isDirectory: Bool) -> Bool {
        let baseName = relativePath.split(separator: "/").last.map(String.init) ?? relativePath
        return rules.contains { rule in
            if rule.foldersOnly, !isDirectory { return false }
            return fnmatch(rule.pattern, rule.matchesWholePath ? relativePath : baseName, 0) == 0
        }
    }
}
