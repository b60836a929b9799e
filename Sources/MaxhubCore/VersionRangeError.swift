/// Why a string is not a version range: what was found, and at which column.
public struct VersionRangeError: Error, Equatable, CustomStringConvertible {
    /// The text that was parsed.
    public let text: String
    /// The 1-based position of the problem, in characters.
    public let column: Int
    /// What is wrong, as a clause: `unexpected "<"`.
    public let reason: String

    public init(text: String, column: Int, reason: String) {
        self.text = text
        self.column = column
        self.reason = reason
    }

    /// One sentence: `invalid range ">=1.2 <<2": unexpected "<" at column 8`.
    public var description: String { "invalid range \"\(text)\": \(reason) at column \(column)" }
}
