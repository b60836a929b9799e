/// A version range with npm's node-semver grammar and semantics (strict mode).
///
/// `1.2.3`, `=1.2.3`, `>=1.2 <2`, `^1.2`, `~1.2.3`, `~>1.2`, `1.x`, `1.2.*`, `*`, `1.0.0 - 2.0.0`,
/// `a || b`, and the empty range (any version). Each comparator set is desugared exactly as
/// node-semver does (carets, tildes, x-ranges and hyphens become `>=`/`<` pairs with `-0` upper
/// bounds), and a prerelease version satisfies a set only when one of its comparators names a
/// prerelease on the same `major.minor.patch`, unless prereleases are included.
public struct VersionRange: Sendable, Hashable, CustomStringConvertible, StringCodable {
    /// The text the range was parsed from.
    public let text: String
    /// The comparator sets, one per `||` alternative, desugared without and with prereleases included.
    let sets: [[Comparator]]
    let setsIncludingPrerelease: [[Comparator]]

    /// The range every version satisfies.
    public static let any: VersionRange = {
        do { return try VersionRange(parsing: "") } catch { fatalError("the empty range parses") }
    }()

    /// Parses a range; the error names the column of the problem.
    public init(parsing text: String) throws(VersionRangeError) {
        var parser = VersionRangeParser(text)
        let syntax = try parser.parse()
        self.text = text
        self.sets = Self.simplify(syntax.map { Self.desugar($0, includePrerelease: false) })
        self.setsIncludingPrerelease = Self.simplify(syntax.map { Self.desugar($0, includePrerelease: true) })
    }

    /// Whether `version` satisfies the range.
    public func isSatisfied(by version: Version, includePrerelease: Bool = false) -> Bool {
        (includePrerelease ? setsIncludingPrerelease : sets).contains { set in
            Self.test(set, version, includePrerelease: includePrerelease)
        }
    }

    /// Whether the version written as `text` satisfies the range; an invalid version never does.
    public func isSatisfied(by text: String, includePrerelease: Bool = false) -> Bool {
        guard let version = try? Version(parsing: text) else { return false }
        return isSatisfied(by: version, includePrerelease: includePrerelease)
    }

    /// The highest version that satisfies the range; among versions of equal precedence, the first.
    public func highestSatisfying<S: Sequence>(_ versions: S, includePrerelease: Bool = false) -> Version?
    where S.Element == Version {
        var best: Version?
        for version in versions where isSatisfied(by: version, includePrerelease: includePrerelease) {
            if let current = best, !(current < version) { continue }
            best = version
        }
        return best
    }

    /// The desugared form, as node-semver prints it: `^1.2` → `>=1.2.0 <2.0.0-0`; any version → `*`.
    public var normalized: String {
        let text = sets.map { $0.map(\.description).joined(separator: " ") }.joined(separator: "||")
        return text.isEmpty ? "*" : text
    }

    /// The text as written.
    public var description: String { text }

    public static func == (lhs: VersionRange, rhs: VersionRange) -> Bool { lhs.text == rhs.text }
    public func hash(into hasher: inout Hasher) { hasher.combine(text) }

    public init(codingText: String) throws { try self.init(parsing: codingText) }

    // MARK: Semantics

    /// One primitive comparison; `version == nil` is node's ANY comparator (matches everything).
    struct Comparator: Hashable, Sendable, CustomStringConvertible {
        enum Operator: String, Sendable { case less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">=", equal = "" }
        var op: Operator
        var version: Version?

        static let any = Comparator(op: .equal, version: nil)

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

        /// The comparator as node-semver prints it: build metadata dropped.
        var description: String {
            version.map { op.rawValue + Version($0.major, $0.minor, $0.patch, prerelease: $0.prerelease).description } ?? ""
        }

        /// node's null set, `<0.0.0-0`, which no version satisfies.
        var isNull: Bool { op == .less && description == "<0.0.0-0" }
    }

    /// node-semver's clean-up of the sets: a set that is any version makes the whole range any version,
    /// and sets no version satisfies are dropped when others remain.
    static func simplify(_ sets: [[Comparator]]) -> [[Comparator]] {
        guard sets.count > 1 else { return sets }
        if let anySet = sets.first(where: { $0 == [.any] }) { return [anySet] }
        let kept = sets.filter { !($0.first?.isNull ?? false) }
        return kept.isEmpty ? [sets[0]] : kept
    }

    static func test(_ set: [Comparator], _ version: Version, includePrerelease: Bool) -> Bool {
        guard set.allSatisfy({ $0.test(version) }) else { return false }
        guard version.isPrerelease, !includePrerelease else { return true }
        for comparator in set {
            guard let allowed = comparator.version, allowed.isPrerelease else { continue }
            if allowed.major == version.major, allowed.minor == version.minor, allowed.patch == version.patch { return true }
        }
        return false
    }

    // MARK: Desugaring, as node-semver's replaceCaret / replaceTilde / replaceXRange / hyphenReplace

    static func desugar(_ set: VersionRangeParser.ComparatorSet, includePrerelease: Bool) -> [Comparator] {
        var result: [Comparator] = []
        switch set {
        case .hyphen(let from, let to):
            result = hyphen(from, to, includePrerelease)
        case .simple(let items):
            for item in items { result += desugar(item, includePrerelease) }
        }
        // `>=0.0.0` (`>=0.0.0-0` with prereleases) is any version, as node's replaceGTE0.
        let zero = includePrerelease ? Version(0, 0, 0, prerelease: [.numeric("0")]) : Version(0, 0, 0)
        result = result.filter { !($0.op == .greaterOrEqual && $0.version == zero && $0.version?.build.isEmpty == true) }
        // As node's Range.parseRange: a null comparator is the whole set, duplicates (by printed form) go,
        // and an any-version comparator goes when others remain.
        if let null = result.first(where: \.isNull) { return [null] }
        var seen: Set<String> = []
        result = result.filter { seen.insert($0.description).inserted }
        if result.count > 1 { result.removeAll { $0.version == nil } }
        return result.isEmpty ? [.any] : result
    }

    private static func v(_ major: Int64, _ minor: Int64, _ patch: Int64, zero: Bool = false) -> Version {
        Version(major, minor, patch, prerelease: zero ? [.numeric("0")] : [])
    }

    private static func ge(_ version: Version) -> Comparator { Comparator(op: .greaterOrEqual, version: version) }
    private static func lt(_ version: Version) -> Comparator { Comparator(op: .less, version: version) }

    static func desugar(_ item: VersionRangeParser.Simple, _ includePrerelease: Bool) -> [Comparator] {
        let partial = item.partial
        switch item.op {
        case "^": return caret(partial, includePrerelease)
        case "~", "~>": return tilde(partial)
        default: return xRange(item.op, partial, includePrerelease)
        }
    }

    static func caret(_ p: VersionRangeParser.Partial, _ includePrerelease: Bool) -> [Comparator] {
        let z = includePrerelease
        guard let major = p.major else { return [] }
        guard let minor = p.minor else { return [ge(v(major, 0, 0, zero: z)), lt(v(major + 1, 0, 0, zero: true))] }
        guard let patch = p.patch else {
            return major == 0
                ? [ge(v(0, minor, 0, zero: z)), lt(v(0, minor + 1, 0, zero: true))]
                : [ge(v(major, minor, 0, zero: z)), lt(v(major + 1, 0, 0, zero: true))]
        }
        let low: Version
        if !p.prerelease.isEmpty {
            low = Version(major, minor, patch, prerelease: p.prerelease)
        } else {
            low = v(major, minor, patch, zero: z && major == 0)
        }
        if major == 0 {
            return minor == 0
                ? [ge(low), lt(v(0, 0, patch + 1, zero: true))]
                : [ge(low), lt(v(0, minor + 1, 0, zero: true))]
        }
        return [ge(low), lt(v(major + 1, 0, 0, zero: true))]
    }

    static func tilde(_ p: VersionRangeParser.Partial) -> [Comparator] {
        guard let major = p.major else { return [] }
        guard let minor = p.minor else { return [ge(v(major, 0, 0)), lt(v(major + 1, 0, 0, zero: true))] }
        guard let patch = p.patch else { return [ge(v(major, minor, 0)), lt(v(major, minor + 1, 0, zero: true))] }
        return [ge(Version(major, minor, patch, prerelease: p.prerelease)), lt(v(major, minor + 1, 0, zero: true))]
    }

    static func xRange(_ written: String, _ p: VersionRangeParser.Partial, _ includePrerelease: Bool) -> [Comparator] {
        var op = written
        guard p.isX else {
            let version = Version(p.major ?? 0, p.minor ?? 0, p.patch ?? 0, prerelease: p.prerelease, build: p.build)
            let primitive: Comparator.Operator = switch op {
            case "<": .less
            case "<=": .lessOrEqual
            case ">": .greater
            case ">=": .greaterOrEqual
            default: .equal
            }
            return [Comparator(op: primitive, version: version)]
        }
        if op == "=" { op = "" }
        let z = includePrerelease
        guard var major = p.major else {
            return op == ">" || op == "<" ? [lt(v(0, 0, 0, zero: true))] : []
        }
        if !op.isEmpty {
            var minor = p.minor ?? 0
            var patch: Int64 = 0
            var zero = z
            if op == ">" {
                op = ">="
                if p.minor == nil {
                    major += 1
                    minor = 0
                } else {
                    minor += 1
                }
                patch = 0
            } else if op == "<=" {
                op = "<"
                if p.minor == nil { major += 1 } else { minor += 1 }
            }
            if op == "<" { zero = true }
            let bound = v(major, minor, patch, zero: zero)
            return [Comparator(op: op == "<" ? .less : .greaterOrEqual, version: bound)]
        }
        guard let minor = p.minor else { return [ge(v(major, 0, 0, zero: z)), lt(v(major + 1, 0, 0, zero: true))] }
        return [ge(v(major, minor, 0, zero: z)), lt(v(major, minor + 1, 0, zero: true))]
    }

    static func hyphen(_ from: VersionRangeParser.Partial, _ to: VersionRangeParser.Partial, _ includePrerelease: Bool) -> [Comparator] {
        let z = includePrerelease
        var result: [Comparator] = []
        if let major = from.major {
            if let minor = from.minor {
                if let patch = from.patch {
                    let low = Version(major, minor, patch, prerelease: from.prerelease)
                    result.append(ge(from.prerelease.isEmpty ? v(major, minor, patch, zero: z) : low))
                } else {
                    result.append(ge(v(major, minor, 0, zero: z)))
                }
            } else {
                result.append(ge(v(major, 0, 0, zero: z)))
            }
        }
        if let major = to.major {
            if let minor = to.minor {
                if let patch = to.patch {
                    if !to.prerelease.isEmpty {
                        result.append(Comparator(op: .lessOrEqual, version: Version(major, minor, patch, prerelease: to.prerelease)))
                    } else if z {
                        result.append(lt(v(major, minor, patch + 1, zero: true)))
                    } else {
                        result.append(Comparator(op: .lessOrEqual, version: v(major, minor, patch)))
                    }
                } else {
                    result.append(lt(v(major, minor + 1, 0, zero: true)))
                }
            } else {
                result.append(lt(v(major + 1, 0, 0, zero: true)))
            }
        }
        return result
    }
}

/// Why a string is not a version range: what was found, and at which column.
public struct VersionRangeError: Error, Equatable, CustomStringConvertible {
    public let text: String
    /// 1-based position of the problem, in characters.
    public let column: Int
    public let reason: String

    public var description: String { "invalid range \"\(text)\": \(reason) at column \(column)" }
}
