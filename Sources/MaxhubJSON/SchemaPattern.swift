import Foundation

/// A `pattern` compiled once, searched like Python's `re.search` (unanchored).
struct SchemaPattern: Sendable {
    let source: String
    let expression: NSRegularExpression

    init(_ source: String) throws {
        self.source = source
        // `$` matches only before a final "\n" (not "\r" or U+2028) and `.` excludes only "\n", as in Python.
        self.expression = try NSRegularExpression(pattern: Self.translated(source), options: [.useUnixLineSeparators])
    }

    func matches(_ text: String) -> Bool {
        expression.firstMatch(in: text, options: [], range: NSRange(location: 0, length: text.utf16.count)) != nil
    }

    /// Python's spellings that ICU writes differently: `\Z` (end of text) is ICU's `\z`;
    /// `(?P<name>` and `(?P=name)` are ICU's `(?<name>` and `\k<name>`.
    static func translated(_ pattern: String) -> String {
        var output = ""
        var characters = pattern[...]
        while let character = characters.popFirst() {
            if character == "\\", let next = characters.popFirst() {
                output += next == "Z" ? "\\z" : "\\\(next)"
            } else if character == "(", characters.hasPrefix("?P<") {
                output += "(?<"
                characters = characters.dropFirst(3)
            } else if character == "(", characters.hasPrefix("?P="), let close = characters.firstIndex(of: ")") {
                let name = characters[characters.index(characters.startIndex, offsetBy: 3)..<close]
                output += "\\k<\(name)>"
                characters = characters[characters.index(after: close)...]
            } else {
                output.append(character)
            }
        }
        return output
    }
}
