/// A Semantic Versioning 2.0.0 version: `MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD]`.
///
/// Parsing is strict SemVer 2.0.0: no `v` prefix, no surrounding whitespace, no leading zeros in
/// numbers (numeric prerelease identifiers included), non-empty identifiers of `[0-9A-Za-z-]`, and,
/// as in node-semver, at most 256 characters and numbers up to 2^53 - 1.
///
/// Precedence follows SemVer §11. Build metadata is kept and printed but plays no part in precedence,
/// and so none in `==` and hashing either: `==` means *equal precedence*, so `1.0.0+a == 1.0.0+b`
/// (compare `description`s to tell them apart). This keeps `==` consistent with `<`, as `Comparable`
/// requires, and matches node-semver's `eq`.
public struct Version: Hashable, Comparable, Sendable, StringCodable, CustomStringConvertible, LosslessStringConvertible {
    public let major: Int64
    public let minor: Int64
    public let patch: Int64
    /// The dot-separated identifiers after `-`; empty for a release.
    public let prerelease: [PrereleaseIdentifier]
    /// The dot-separated identifiers after `+`; ignored by precedence.
    public let build: [String]

    /// The largest number a version component may hold: 2^53 - 1, as in node-semver.
    public static let maximumComponent: Int64 = 9_007_199_254_740_991

    /// The longest version string accepted, as in node-semver.
    public static let maximumLength = 256

    /// One dot-separated prerelease identifier.
    ///
    /// Numeric identifiers (digits only, no leading zero) compare as numbers of any length and sort below
    /// alphanumeric ones, which compare in ASCII order.
    public struct PrereleaseIdentifier: Hashable, Comparable, Sendable, CustomStringConvertible {
        /// The identifier as written.
        public let text: String
        /// Whether the identifier is all digits.
        public let isNumeric: Bool

        /// An identifier, or `nil` if `text` is empty, has a character outside `[0-9A-Za-z-]` or is a
        /// number with a leading zero.
        public init?(_ text: String) {
            guard !text.isEmpty, text.utf8.allSatisfy(Version.isIdentifierByte) else { return nil }
            let numeric = text.utf8.allSatisfy(Version.isDigit)
            if numeric, text.utf8.count > 1, text.utf8.first == UInt8(ascii: "0") { return nil }
            self.init(unchecked: text, isNumeric: numeric)
        }

        init(unchecked text: String, isNumeric: Bool) {
            self.text = text
            self.isNumeric = isNumeric
        }

        public var description: String { text }

        public static func < (lhs: Self, rhs: Self) -> Bool {
            switch (lhs.isNumeric, rhs.isNumeric) {
            case (true, true):
                // No leading zeros: a shorter number is smaller, equal lengths compare digit by digit.
                lhs.text.utf8.count != rhs.text.utf8.count
                    ? lhs.text.utf8.count < rhs.text.utf8.count
                    : lhs.text.utf8.lexicographicallyPrecedes(rhs.text.utf8)
            case (true, false): true
            case (false, true): false
            case (false, false): lhs.text.utf8.lexicographicallyPrecedes(rhs.text.utf8)
            }
        }
    }

    /// Parses a SemVer 2.0.0 version such as `1.2.3`, `1.0.0-rc.1` or `2.0.0+build.5`.
    public init(parsing text: String) throws(VersionError) {
        var scanner = VersionScanner(text)
        self = try scanner.scanVersion()
    }

    /// Parses `description`, or returns `nil` if it is not a SemVer 2.0.0 version.
    public init?(_ description: String) {
        guard let version = try? Version(parsing: description) else { return nil }
        self = version
    }

    /// Makes a version from its parts, checked as `init(parsing:)` checks text.
    public init(major: Int64, minor: Int64, patch: Int64, prerelease: [String] = [], build: [String] = []) throws(VersionError) {
        var text = "\(major).\(minor).\(patch)"
        if !prerelease.isEmpty { text += "-" + prerelease.joined(separator: ".") }
        if !build.isEmpty { text += "+" + build.joined(separator: ".") }
        let parsed = try Version(parsing: text)
        guard parsed.prerelease.count == prerelease.count, parsed.build.count == build.count else {
            throw VersionError(text: text, reason: "an identifier holds a \".\"")
        }
        self = parsed
    }

    init(uncheckedMajor major: Int64, minor: Int64, patch: Int64, prerelease: [PrereleaseIdentifier] = [], build: [String] = []) {
        self.major = major
        self.minor = minor
        self.patch = patch
        self.prerelease = prerelease
        self.build = build
    }

    public init(codingText: String) throws { try self.init(parsing: codingText) }

    /// The version as written: `MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD]`.
    public var description: String {
        var text = "\(major).\(minor).\(patch)"
        if !prerelease.isEmpty { text += "-" + prerelease.map(\.text).joined(separator: ".") }
        if !build.isEmpty { text += "+" + build.joined(separator: ".") }
        return text
    }

    /// Whether this is a prerelease (`1.0.0-rc.1`).
    public var isPrerelease: Bool { !prerelease.isEmpty }

    /// The same version without prerelease and build (`1.2.3-rc.1+b` → `1.2.3`).
    public var release: Version { Version(uncheckedMajor: major, minor: minor, patch: patch) }

    /// The same version without build metadata (`1.2.3-rc.1+b` → `1.2.3-rc.1`).
    public var withoutBuild: Version { Version(uncheckedMajor: major, minor: minor, patch: patch, prerelease: prerelease) }

    /// Equal precedence: build metadata is ignored.
    public static func == (lhs: Version, rhs: Version) -> Bool {
        lhs.major == rhs.major && lhs.minor == rhs.minor && lhs.patch == rhs.patch && lhs.prerelease == rhs.prerelease
    }

    /// Hashes what `==` compares: build metadata is left out.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(major)
        hasher.combine(minor)
        hasher.combine(patch)
        hasher.combine(prerelease)
    }

    /// SemVer §11 precedence: numbers, then a prerelease below the release, then identifier by identifier.
    public static func < (lhs: Version, rhs: Version) -> Bool {
        if lhs.major != rhs.major { return lhs.major < rhs.major }
        if lhs.minor != rhs.minor { return lhs.minor < rhs.minor }
        if lhs.patch != rhs.patch { return lhs.patch < rhs.patch }
        switch (lhs.prerelease.isEmpty, rhs.prerelease.isEmpty) {
        case (true, _): return false
        case (false, true): return true
        case (false, false): return lhs.prerelease.lexicographicallyPrecedes(rhs.prerelease)
        }
    }

    static func isIdentifierByte(_ byte: UInt8) -> Bool {
        isDigit(byte) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || byte == UInt8(ascii: "-")
    }

    static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
}
