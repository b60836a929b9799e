/// A version range with npm's node-semver 7 grammar and semantics, in strict (not loose) mode.
///
/// `1.2.3`, `=1.2.3`, `>=1.2 <2`, `^1.2`, `~1.2.3`, `~>1.2`, `1.x`, `1.2.*`, `*`, `1.0.0 - 2.0.0`,
/// `a || b`, whitespace after an operator (`>= 1.2`), a `v` before a version (`^v1.2`), and the empty
/// or blank range (any version). Each `||` alternative is desugared exactly as node-semver does
/// (carets, tildes, x-ranges and hyphens become `>=`/`<`/`<=` comparators with `-0` upper bounds), and
/// a prerelease version satisfies an alternative only when one of its comparators names a prerelease
/// on the same `major.minor.patch`, unless prereleases are included.
///
/// The few spellings node-semver accepts only by an accident of its regular expressions are refused:
/// a second `=` or `v` before a version (`>==1.2`, `^=1.2`, `vv1`), `=` before a hyphen end, `v` followed
/// by a space, a stray `*` (`1.2.3*`), whitespace other than spaces and tabs, ranges longer than 256
/// characters, and version numbers of more than 15 digits. `grammarPattern` matches exactly the accepted
/// strings; `scripts/semver-oracle.js` lists the differences and checks everything else against node.
public struct VersionRange: Sendable, Hashable, CustomStringConvertible, StringCodable {
    /// The range as written.
    public let text: String
    /// One comparator set per `||` alternative, desugared as node does without and with `includePrerelease`.
    let sets: [[Comparator]]
    let setsIncludingPrerelease: [[Comparator]]

    /// The range every release satisfies (`*`, or the empty range); prereleases still need `includePrerelease`.
    public static let any = VersionRange(text: "", sets: [[.any]], setsIncludingPrerelease: [[.any]])

    /// Parses a range; the error names the column of the problem.
    public init(parsing text: String) throws(VersionRangeError) {
        var parser = VersionRangeParser(text)
        let syntax = try parser.parse()
        self.init(
            text: text,
            sets: Self.desugar(syntax, includePrerelease: false),
            setsIncludingPrerelease: Self.desugar(syntax, includePrerelease: true)
        )
    }

    private init(text: String, sets: [[Comparator]], setsIncludingPrerelease: [[Comparator]]) {
        self.text = text
        self.sets = sets
        self.setsIncludingPrerelease = setsIncludingPrerelease
    }

    public init(codingText: String) throws { try self.init(parsing: codingText) }

    /// Whether `version` satisfies the range (node-semver's `satisfies`).
    ///
    /// With `includePrerelease` false, a prerelease satisfies an alternative only if one of its comparators
    /// names a prerelease of the same `major.minor.patch`: `>=1.2.3-beta` admits `1.2.3-rc.1`, not `1.3.0-rc.1`.
    public func isSatisfied(by version: Version, includePrerelease: Bool = false) -> Bool {
        (includePrerelease ? setsIncludingPrerelease : sets).contains { set in
            Self.test(set, version, includePrerelease: includePrerelease)
        }
    }

    /// Whether the version written as `text` satisfies the range; a string that is not a SemVer 2.0.0
    /// version (a `v` prefix included) never does.
    public func isSatisfied(by text: String, includePrerelease: Bool = false) -> Bool {
        guard let version = try? Version(parsing: text) else { return false }
        return isSatisfied(by: version, includePrerelease: includePrerelease)
    }

    /// The highest version that satisfies the range (node-semver's `maxSatisfying`); among versions of
    /// equal precedence (they differ only in build metadata) the first one seen.
    public func highestSatisfying<S: Sequence>(_ versions: S, includePrerelease: Bool = false) -> Version?
    where S.Element == Version {
        var best: Version?
        for version in versions where isSatisfied(by: version, includePrerelease: includePrerelease) {
            if let current = best, !(current < version) { continue }
            best = version
        }
        return best
    }

    /// The desugared range as node-semver prints it (its `Range.range`): `^1.2` → `>=1.2.0 <2.0.0-0`,
    /// `1.2.3 - 2 || 3` → `>=1.2.3 <3.0.0-0||3.0.0`. Where node prints an empty string (any version),
    /// this is `*`, as node's `validRange` returns.
    public var normalized: String { Self.format(sets) }

    /// The desugared range as node-semver prints it with `includePrerelease` (`^1.2` → `>=1.2.0-0 <2.0.0-0`).
    public var normalizedIncludingPrerelease: String { Self.format(setsIncludingPrerelease) }

    /// The normalized form (see `normalized`); `text` is the range as written.
    ///
    /// Parsing the normalized form gives a range that admits the same versions without `includePrerelease`;
    /// with it, `^1.2` admits `1.2.0-rc.1` and `>=1.2.0 <2.0.0-0` does not. The normalized form can exceed what the
    /// parser reads, though: it may be longer than 256 characters, and `>999999999999999` becomes
    /// `>=1000000000000000.0.0`, a number of 16 digits; it is for display, and a range travels as written (`text`).
    public var description: String { normalized }

    /// Two ranges are equal when they desugar to the same comparators, with and without `includePrerelease`:
    /// `^1.2 == ^1.2.x == ^v1.2`, while `^1.2` and `>=1.2.0 <2.0.0-0` differ (they differ on `1.2.0-rc.1`
    /// with prereleases included).
    public static func == (lhs: VersionRange, rhs: VersionRange) -> Bool {
        lhs.sets == rhs.sets && lhs.setsIncludingPrerelease == rhs.setsIncludingPrerelease
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(sets)
        hasher.combine(setsIncludingPrerelease)
    }

    /// Writes the range as it was written (not the normalized form), so manifests round-trip unchanged.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(text)
    }

    private static func format(_ sets: [[Comparator]]) -> String {
        let text = sets.map { $0.map(\.description).joined(separator: " ") }.joined(separator: "||")
        return text.isEmpty ? "*" : text
    }

    /// node-semver's `testSet`.
    static func test(_ set: [Comparator], _ version: Version, includePrerelease: Bool) -> Bool {
        guard set.allSatisfy({ $0.test(version) }) else { return false }
        guard version.isPrerelease, !includePrerelease else { return true }
        return set.contains { comparator in
            guard let allowed = comparator.version, allowed.isPrerelease else { return false }
            return allowed.major == version.major && allowed.minor == version.minor && allowed.patch == version.patch
        }
    }
}

extension VersionRange {
    /// One primitive comparison; a `nil` version is node's ANY comparator, which every version passes.
    struct Comparator: Hashable, Sendable, CustomStringConvertible {
        enum Operator: String, Hashable, Sendable {
            case less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">=", equal = ""
        }

        let op: Operator
        /// Without build metadata, which node drops from comparators.
        let version: Version?

        init(_ op: Operator, _ version: Version) {
            self.op = op
            self.version = version.withoutBuild
        }

        private init() {
            self.op = .equal
            self.version = nil
        }

        static let any = Comparator()

        /// node's null set, `<0.0.0-0`, which no version passes.
        static let none = Comparator(.less, Version(uncheckedMajor: 0, minor: 0, patch: 0, prerelease: [.zero]))

        var isAny: Bool { version == nil }

        func test(_ candidate: Version) -> Bool {
            guard let version else { return true }
            switch op {
            case .less: return candidate < version
            case .lessOrEqual: return !(version < candidate)
            case .greater: return version < candidate
            case .greaterOrEqual: return !(candidate < version)
            case .equal: return candidate == version
            }
        }

        /// As node prints a comparator: `>=1.2.0`, `<2.0.0-0`, `1.2.3`; ANY prints as nothing.
        var description: String { version.map { op.rawValue + $0.description } ?? "" }
    }
}

extension Version.PrereleaseIdentifier {
    /// `0`, the lowest prerelease identifier, as in node's `-0` bounds.
    static let zero = Version.PrereleaseIdentifier(unchecked: "0", isNumeric: true)
}
