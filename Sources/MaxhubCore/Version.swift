/// A Semantic Versioning 2.0.0 version: `MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD]`.
///
/// Parsing is strict (no `v` prefix, no leading zeros, no surrounding spaces). Precedence follows
/// SemVer §11; build metadata is kept and printed but ignored by precedence, so `==` and hashing
/// mean "same precedence": `1.0.0+a == 1.0.0+b`.
public struct Version: Hashable, Comparable, Sendable, StringCodable, CustomStringConvertible, LosslessStringConvertible {
    public let major: Int64
    public let minor: Int64
    public let patch: Int64
    public let prerelease: [PrereleaseIdentifier]
    public let build: [String]

    /// The largest number a version component may hold (as in node-semver: 2^53 - 1).
    public static let maximumComponent: Int64 = 9_007_199_254_740_991

    /// One dot-separated prerelease identifier: numeric identifiers order numerically and below alphanumeric ones.
    public enum PrereleaseIdentifier: Hashable, Sendable, Comparable, CustomStringConvertible {
        /// Digits without a leading zero, kept as text so that any length compares correctly.
        case numeric(String)
        case alphanumeric(String)

        public var description: String {
            switch self {
            case .numeric(let digits): digits
            case .alphanumeric(let text): text
            }
        }

        public static func < (lhs: Self, rhs: Self) -> Bool {
            switch (lhs, rhs) {
            case (.numeric(let a), .numeric(let b)): a.count != b.count ? a.count < b.count : a < b
            case (.numeric, .alphanumeric): true
            case (.alphanumeric, .numeric): false
            case (.alphanumeric(let a), .alphanumeric(let b)): Array(a.utf8).lexicographicallyPrecedes(Array(b.utf8))
            }
        }
    }

    public init(_ major: Int64, _ minor: Int64, _ patch: Int64, prerelease: [PrereleaseIdentifier] = [], build: [String] = []) {
        self.major = major
        self.minor = minor
        self.patch = patch
        self.prerelease = prerelease
        self.build = build
    }

    /// Parses a SemVer 2.0.0 version.
    public init(parsing text: String) throws(VersionError) {
        guard !text.isEmpty else { throw VersionError(text: text, reason: "it is empty") }
        guard text.utf8.count <= 256 else { throw VersionError(text: text, reason: "it is longer than 256 characters") }
        var rest = Substring(text)
        var build: [String] = []
        if let plus = rest.firstIndex(of: "+") {
            build = rest[rest.index(after: plus)...].split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            rest = rest[..<plus]
            for identifier in build where identifier.isEmpty || !identifier.utf8.allSatisfy(Self.isIdentifierByte) {
                throw VersionError(text: text, reason: "build metadata \"\(identifier)\" must be non-empty [0-9A-Za-z-]")
            }
        }
        var prerelease: [PrereleaseIdentifier] = []
        if let dash = rest.firstIndex(of: "-") {
            for part in rest[rest.index(after: dash)...].split(separator: ".", omittingEmptySubsequences: false) {
                prerelease.append(try Self.prereleaseIdentifier(part, in: text))
            }
            rest = rest[..<dash]
        }
        let core = rest.split(separator: ".", omittingEmptySubsequences: false)
        guard core.count == 3 else {
            throw VersionError(text: text, reason: "expected MAJOR.MINOR.PATCH, found \(core.count) part\(core.count == 1 ? "" : "s")")
        }
        let names = ["major", "minor", "patch"]
        var numbers: [Int64] = []
        for (index, part) in core.enumerated() {
            numbers.append(try Self.number(part, named: names[index], in: text))
        }
        self.init(numbers[0], numbers[1], numbers[2], prerelease: prerelease, build: build)
    }

    public init?(_ description: String) {
        guard let version = try? Version(parsing: description) else { return nil }
        self = version
    }

    public var description: String {
        var text = "\(major).\(minor).\(patch)"
        if !prerelease.isEmpty { text += "-" + prerelease.map(\.description).joined(separator: ".") }
        if !build.isEmpty { text += "+" + build.joined(separator: ".") }
        return text
    }

    /// Whether this is a prerelease (`1.0.0-rc.1`).
    public var isPrerelease: Bool { !prerelease.isEmpty }

    /// The same version without prerelease and build (`1.2.3-rc.1+b` → `1.2.3`).
    public var release: Version { Version(major, minor, patch) }

    public static func == (lhs: Version, rhs: Version) -> Bool {
        lhs.major == rhs.major && lhs.minor == rhs.minor && lhs.patch == rhs.patch && lhs.prerelease == rhs.prerelease
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(major)
        hasher.combine(minor)
        hasher.combine(patch)
        hasher.combine(prerelease)
    }

    public static func < (lhs: Version, rhs: Version) -> Bool {
        if lhs.major != rhs.major { return lhs.major < rhs.major }
        if lhs.minor != rhs.minor { return lhs.minor < rhs.minor }
        if lhs.patch != rhs.patch { return lhs.patch < rhs.patch }
        switch (lhs.prerelease.isEmpty, rhs.prerelease.isEmpty) {
        case (true, true), (true, false): return false
        case (false, true): return true
        case (false, false): return lhs.prerelease.lexicographicallyPrecedes(rhs.prerelease)
        }
    }

    public init(codingText: String) throws { try self.init(parsing: codingText) }

    static func isIdentifierByte(_ byte: UInt8) -> Bool {
        isDigit(byte) || (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a) || byte == 0x2d
    }

    static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    private static func number(_ part: Substring, named name: String, in text: String) throws(VersionError) -> Int64 {
        guard !part.isEmpty, part.utf8.allSatisfy(isDigit) else {
            throw VersionError(text: text, reason: "the \(name) version \"\(part)\" is not a number")
        }
        guard part == "0" || part.first != "0" else {
            throw VersionError(text: text, reason: "the \(name) version \"\(part)\" has a leading zero")
        }
        guard part.count <= 16, let value = Int64(part), value <= maximumComponent else {
            throw VersionError(text: text, reason: "the \(name) version \"\(part)\" is too large")
        }
        return value
    }

    private static func prereleaseIdentifier(_ part: Substring, in text: String) throws(VersionError) -> PrereleaseIdentifier {
        guard !part.isEmpty else { throw VersionError(text: text, reason: "a prerelease identifier is empty") }
        guard part.utf8.allSatisfy(isIdentifierByte) else {
            throw VersionError(text: text, reason: "prerelease identifier \"\(part)\" may hold only [0-9A-Za-z-]")
        }
        if part.utf8.allSatisfy(isDigit) {
            guard part == "0" || part.first != "0" else {
                throw VersionError(text: text, reason: "numeric prerelease identifier \"\(part)\" has a leading zero")
            }
            return .numeric(String(part))
        }
        return .alphanumeric(String(part))
    }
}

/// Why a string is not a SemVer 2.0.0 version.
public struct VersionError: Error, Equatable, CustomStringConvertible {
    public let text: String
    public let reason: String

    public var description: String { "invalid version \"\(text)\": \(reason)" }
}
