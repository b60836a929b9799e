/// Why a string is not a SemVer 2.0.0 version.
public struct VersionError: Error, Equatable, CustomStringConvertible {
    /// The text that was parsed.
    public let text: String
    /// What is wrong with it, as a clause: `the minor version "01" has a leading zero`.
    public let reason: String

    public init(text: String, reason: String) {
        self.text = text
        self.reason = reason
    }

    public var description: String { "invalid version \"\(text)\": \(reason)" }
}
