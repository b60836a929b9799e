import MaxhubCore

/// A text whose byte order is SemVer 2.0.0 precedence, so that a database sorts versions with a plain index (SQLite's
/// BINARY collation, PostgreSQL's `C`).
///
/// The key is `MAJOR.MINOR.PATCH`, each zero-padded to 20 digits, then `~` for a release, or `-` and the prerelease
/// identifiers for a prerelease (`-` sorts below `~`, so every prerelease sorts below its release). Each identifier is
/// introduced by `,`, tagged `#` when numeric and `$` when alphanumeric (numbers sort below words), and the list ends
/// with `!`. A number is written as its 3-digit length then its digits (numbers have no leading zeros, so a shorter
/// one is smaller); a word is written as it is. The separators `!` and `,` sort below every identifier character
/// (`[0-9A-Za-z-]`), so a word sorts before any longer word it begins, and `!` below `,` puts a shorter list of
/// identifiers first when all the preceding ones are equal. Build metadata plays no part, as in precedence.
///
/// `1.0.0-alpha.1` → `00000000000000000001.00000000000000000000.00000000000000000000-,$alpha,#0011!`
public struct PrecedenceKey: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let text: String

    public init(_ version: Version) {
        var text = "\(Self.padded(version.major)).\(Self.padded(version.minor)).\(Self.padded(version.patch))"
        if version.prerelease.isEmpty {
            text += "~"
        } else {
            text += "-"
            for identifier in version.prerelease {
                text += ","
                if identifier.isNumeric {
                    let length = String(identifier.text.utf8.count)
                    text += "#" + String(repeating: "0", count: max(0, 3 - length.utf8.count)) + length + identifier.text
                } else {
                    text += "$" + identifier.text
                }
            }
            text += "!"
        }
        self.text = text
    }

    public var description: String { text }

    /// Byte order, as the database compares.
    public static func < (lhs: PrecedenceKey, rhs: PrecedenceKey) -> Bool {
        lhs.text.utf8.lexicographicallyPrecedes(rhs.text.utf8)
    }

    private static func padded(_ number: Int64) -> String {
        let digits = String(number)
        return String(repeating: "0", count: max(0, 20 - digits.utf8.count)) + digits
    }
}
