import Foundation
import MaxhubJSON

extension Manifest {
    /// Returns `text` (a `maxhub.yaml`) with its top-level `files:` block replaced by `files`, keeping
    /// every other line and comment as the author wrote it; the block is appended when there is none.
    ///
    /// Falls back to the canonical form when the edited text would not read back as `self` with the
    /// new files (an unusual layout, such as `files:` in flow style spanning lines).
    public func replacingFilesSection(in text: String) -> String {
        let block = Self.filesBlock(files ?? [])
        var lines = text.components(separatedBy: "\n")
        if lines.last == "" { lines.removeLast() }
        if let start = lines.firstIndex(where: Self.isFilesKeyLine) {
            var end = start + 1
            while end < lines.count, Self.continuesBlock(lines[end]) { end += 1 }
            // Keep blank lines that separate the block from what follows.
            while end > start + 1, lines[end - 1].trimmingCharacters(in: .whitespaces).isEmpty { end -= 1 }
            lines.replaceSubrange(start..<end, with: block)
        } else {
            lines.append(contentsOf: block)
        }
        let edited = lines.joined(separator: "\n") + "\n"
        guard let reread = try? Manifest(yaml: edited), reread == self else { return canonicalYAML() }
        return edited
    }

    static func filesBlock(_ files: [File]) -> [String] {
        guard !files.isEmpty else { return ["files: []"] }
        return ["files:"] + files.map { "  - {path: \(yamlScalar($0.path)), size: \($0.size), sha256: \(hexScalar($0.sha256))}" }
    }

    /// Hex digits as a YAML scalar: plain unless YAML could read it as a number (only digits and `e`).
    static func hexScalar(_ hex: String) -> String {
        hex.utf8.contains { $0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "f") && $0 != UInt8(ascii: "e") } ? hex : "\"\(hex)\""
    }

    private static func isFilesKeyLine(_ line: String) -> Bool {
        guard line.hasPrefix("files") else { return false }
        return line.dropFirst("files".count).drop(while: { $0 == " " || $0 == "\t" }).first == ":"
    }

    /// Lines that still belong to a top-level block: indented, a sequence item at column 0, or blank.
    private static func continuesBlock(_ line: String) -> Bool {
        guard let first = line.first else { return true }
        return first == " " || first == "\t" || first == "-"
    }

    /// A string as a YAML scalar that reads back as the same string: plain when that is safe, else double-quoted.
    static func yamlScalar(_ value: String) -> String {
        let plainSafe = value.utf8.first.map { isLetter($0) || $0 == UInt8(ascii: "_") } ?? false
            && value.utf8.allSatisfy { isLetter($0) || isDigit($0) || "_./-".utf8.contains($0) }
            && !reservedWords.contains(value.lowercased())
        // A JSON string literal is also a YAML double-quoted scalar with the same value.
        return plainSafe ? value : JSONValue.string(value).description
    }

    private static let reservedWords: Set<String> = ["true", "false", "yes", "no", "on", "off", "y", "n", "null", "nan", "inf"]

    private static func isLetter(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
}
