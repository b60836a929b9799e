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

/// A left-to-right scanner for one SemVer 2.0.0 version, so that the first problem is the one reported.
private struct VersionScanner {
    let text: String
    let bytes: [UInt8]
    var position = 0

    init(_ text: String) {
        self.text = text
        self.bytes = Array(text.utf8)
    }

    mutating func scanVersion() throws(VersionError) -> Version {
        guard !bytes.isEmpty else { throw failure("it is empty") }
        guard bytes.count <= Version.maximumLength else { throw failure("it is longer than \(Version.maximumLength) characters") }
        if let first = bytes.first, let last = bytes.last, Self.isWhitespace(first) || Self.isWhitespace(last) {
            throw failure("it has leading or trailing whitespace")
        }
        if bytes.first == UInt8(ascii: "v") || bytes.first == UInt8(ascii: "V") {
            throw failure("a \"v\" prefix is not part of a SemVer 2.0.0 version; write it without")
        }
        let major = try scanNumber("major")
        try expectDot(after: "major")
        let minor = try scanNumber("minor")
        try expectDot(after: "minor")
        let patch = try scanNumber("patch")
        var prerelease: [Version.PrereleaseIdentifier] = []
        if peek == UInt8(ascii: "-") {
            position += 1
            for identifier in try scanIdentifiers("prerelease") {
                let numeric = identifier.utf8.allSatisfy(Version.isDigit)
                if numeric, identifier.utf8.count > 1, identifier.utf8.first == UInt8(ascii: "0") {
                    throw failure("the numeric prerelease identifier \"\(identifier)\" has a leading zero")
                }
                prerelease.append(Version.PrereleaseIdentifier(unchecked: identifier, isNumeric: numeric))
            }
        }
        var build: [String] = []
        if peek == UInt8(ascii: "+") {
            position += 1
            build = try scanIdentifiers("build metadata")
        }
        if let byte = peek {
            let prefix = String(decoding: bytes[..<position], as: UTF8.self)
            let hint = byte == UInt8(ascii: ".") ? "; a version has three numbers" : ""
            throw failure("unexpected \"\(character(at: position))\" after \"\(prefix)\"\(hint)")
        }
        return Version(uncheckedMajor: major, minor: minor, patch: patch, prerelease: prerelease, build: build)
    }

    private var peek: UInt8? { position < bytes.count ? bytes[position] : nil }

    private mutating func scanNumber(_ name: String) throws(VersionError) -> Int64 {
        let start = position
        while let byte = peek, Version.isDigit(byte) { position += 1 }
        guard position > start else {
            let found = peek.map { _ in "\"\(character(at: position))\"" } ?? "the end"
            throw failure("expected the \(name) version number, found \(found)")
        }
        let digits = String(decoding: bytes[start..<position], as: UTF8.self)
        if digits.utf8.count > 1, bytes[start] == UInt8(ascii: "0") {
            throw failure("the \(name) version \"\(digits)\" has a leading zero")
        }
        guard digits.utf8.count <= 16, let value = Int64(digits), value <= Version.maximumComponent else {
            throw failure("the \(name) version \"\(digits)\" is larger than \(Version.maximumComponent)")
        }
        return value
    }

    private mutating func expectDot(after name: String) throws(VersionError) {
        guard peek == UInt8(ascii: ".") else {
            let parts = name == "major" ? "one number" : "two numbers"
            guard peek != nil else { throw failure("it has \(parts); a version is MAJOR.MINOR.PATCH") }
            throw failure("unexpected \"\(character(at: position))\" after the \(name) version; a version is MAJOR.MINOR.PATCH")
        }
        position += 1
    }

    private mutating func scanIdentifiers(_ name: String) throws(VersionError) -> [String] {
        var identifiers: [String] = []
        while true {
            let start = position
            while let byte = peek, Version.isIdentifierByte(byte) { position += 1 }
            guard position > start else {
                let found = peek.map { _ in "\"\(character(at: position))\"" } ?? "the end"
                throw failure("expected a \(name) identifier of [0-9A-Za-z-], found \(found)")
            }
            identifiers.append(String(decoding: bytes[start..<position], as: UTF8.self))
            guard peek == UInt8(ascii: ".") else { return identifiers }
            position += 1
        }
    }

    /// The whole character that starts at a byte offset, for messages.
    private func character(at offset: Int) -> String {
        let index = text.utf8.index(text.utf8.startIndex, offsetBy: offset)
        guard let scalarIndex = index.samePosition(in: text.unicodeScalars) else { return "\u{FFFD}" }
        return String(text.unicodeScalars[scalarIndex])
    }

    private func failure(_ reason: String) -> VersionError { VersionError(text: text, reason: reason) }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || (byte >= 0x09 && byte <= 0x0d)
    }
}
