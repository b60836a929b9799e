/// Desugaring, as node-semver's `Range` does it: `hyphenReplace`, `replaceCaret`, `replaceTilde`,
/// `replaceXRange`, `replaceStars`, `replaceGTE0`, then the clean-up of `parseRange` and of the constructor.
///
/// `includePrerelease` changes the lower bounds node writes (`-0` appended, so that prereleases of the
/// bound pass) and the `>=0.0.0`-means-any rule; upper bounds always end in `-0`.
extension VersionRange {
    /// A comparator, and whether node's intermediate text for it is canonical (see `PartialVersion`).
    struct DesugaredComparator {
        var comparator: Comparator
        var isSpelledCanonically = true
    }

    static func desugar(_ syntax: [ComparatorSetSyntax], includePrerelease: Bool) -> [[Comparator]] {
        var sets = syntax.map { desugar($0, includePrerelease: includePrerelease) }
        guard sets.count > 1, let first = sets.first else { return sets }
        // node drops alternatives no version satisfies (keeping the first if all are such), then lets an
        // any-version alternative stand for the whole range.
        sets.removeAll { $0.first == Comparator.none }
        if sets.isEmpty { return [first] }
        if sets.count > 1, let anySet = sets.first(where: { $0 == [.any] }) { return [anySet] }
        return sets
    }

    static func desugar(_ set: ComparatorSetSyntax, includePrerelease: Bool) -> [Comparator] {
        let desugared: [DesugaredComparator]
        switch set {
        case .hyphen(let from, let to):
            desugared = hyphen(from, to, includePrerelease: includePrerelease)
        case .comparators(let comparators):
            desugared = comparators.flatMap { desugar($0, includePrerelease: includePrerelease) }
        }
        // replaceGTE0: the text `>=0.0.0` (`>=0.0.0-0` with prereleases) means any version.
        let zero = version(0, 0, 0, lowestPrerelease: includePrerelease)
        let comparators = desugared.map { item in
            item.isSpelledCanonically && item.comparator.op == .greaterOrEqual && item.comparator.version == zero ? .any : item.comparator
        }
        // parseRange: a null comparator is the whole set; duplicates go (the first stays in place); ANY goes
        // when anything else remains.
        if comparators.contains(.none) { return [.none] }
        var seen: Set<Comparator> = []
        var result = comparators.filter { seen.insert($0).inserted }
        if result.count > 1 { result.removeAll(where: \.isAny) }
        return result.isEmpty ? [.any] : result
    }

    private static func desugar(_ comparator: ComparatorSyntax, includePrerelease: Bool) -> [DesugaredComparator] {
        let partial = comparator.version
        let op: Comparator.Operator
        switch comparator.op {
        case .caret: return caret(partial, includePrerelease: includePrerelease).map { DesugaredComparator(comparator: $0) }
        case .tilde, .tildeGreater: return tilde(partial).map { DesugaredComparator(comparator: $0) }
        case .less: op = .less
        case .lessOrEqual: op = .lessOrEqual
        case .greater: op = .greater
        case .greaterOrEqual: op = .greaterOrEqual
        case .equal, nil: op = .equal
        }
        if let complete = partial.complete {
            return [DesugaredComparator(comparator: Comparator(op, complete), isSpelledCanonically: partial.isSpelledCanonically)]
        }
        return xRange(op, partial, includePrerelease: includePrerelease).map { DesugaredComparator(comparator: $0) }
    }

    /// replaceCaret: `^1.2.3` → `>=1.2.3 <2.0.0-0`, `^0.2.3` → `>=0.2.3 <0.3.0-0`, `^0.0.3` → `>=0.0.3 <0.0.4-0`.
    static func caret(_ partial: PartialVersion, includePrerelease: Bool) -> [Comparator] {
        let z = includePrerelease
        guard let major = partial.major else { return [.any] }
        guard let minor = partial.minor else {
            return [ge(version(major, 0, 0, lowestPrerelease: z)), lt(upperBound(major + 1, 0, 0))]
        }
        guard let patch = partial.patch else {
            return major == 0
                ? [ge(version(0, minor, 0, lowestPrerelease: z)), lt(upperBound(0, minor + 1, 0))]
                : [ge(version(major, minor, 0, lowestPrerelease: z)), lt(upperBound(major + 1, 0, 0))]
        }
        // node adds `-0` to a lower bound without a prerelease only for 0.x versions.
        let lower = partial.prerelease.isEmpty
            ? version(major, minor, patch, lowestPrerelease: z && major == 0)
            : Version(uncheckedMajor: major, minor: minor, patch: patch, prerelease: partial.prerelease)
        if major != 0 { return [ge(lower), lt(upperBound(major + 1, 0, 0))] }
        return minor == 0 ? [ge(lower), lt(upperBound(0, 0, patch + 1))] : [ge(lower), lt(upperBound(0, minor + 1, 0))]
    }

    /// replaceTilde (never `-0` on the lower bound): `~1.2.3` → `>=1.2.3 <1.3.0-0`, `~1` → `>=1.0.0 <2.0.0-0`.
    static func tilde(_ partial: PartialVersion) -> [Comparator] {
        guard let major = partial.major else { return [.any] }
        guard let minor = partial.minor else { return [ge(version(major, 0, 0, lowestPrerelease: false)), lt(upperBound(major + 1, 0, 0))] }
        let lower = Version(uncheckedMajor: major, minor: minor, patch: partial.patch ?? 0, prerelease: partial.prerelease)
        return [ge(lower), lt(upperBound(major, minor + 1, 0))]
    }

    /// replaceXRange and replaceStars, for a version with a part missing or written as x:
    /// `1.x` → `>=1.0.0 <2.0.0-0`, `>1.2` → `>=1.3.0`, `<=1` → `<2.0.0-0`, `<1.2` → `<1.2.0-0`, `>*` → `<0.0.0-0`.
    static func xRange(_ op: Comparator.Operator, _ partial: PartialVersion, includePrerelease: Bool) -> [Comparator] {
        let z = includePrerelease
        guard var major = partial.major else { return op == .greater || op == .less ? [.none] : [.any] }
        var minor = partial.minor ?? 0
        switch op {
        case .equal:
            guard let minor = partial.minor else { return [ge(version(major, 0, 0, lowestPrerelease: z)), lt(upperBound(major + 1, 0, 0))] }
            return [ge(version(major, minor, 0, lowestPrerelease: z)), lt(upperBound(major, minor + 1, 0))]
        case .greater, .greaterOrEqual:
            if op == .greater {
                if partial.minor == nil { major += 1 } else { minor += 1 }
            }
            return [ge(version(major, minor, 0, lowestPrerelease: z))]
        case .less, .lessOrEqual:
            if op == .lessOrEqual {
                if partial.minor == nil { major += 1 } else { minor += 1 }
            }
            return [lt(upperBound(major, minor, 0))]
        }
    }

    /// hyphenReplace: `1.2 - 2.3.4` → `>=1.2.0 <=2.3.4`, `1.2.3 - 2.3` → `>=1.2.3 <2.4.0-0`.
    static func hyphen(_ from: PartialVersion, _ to: PartialVersion, includePrerelease: Bool) -> [DesugaredComparator] {
        let z = includePrerelease
        var result: [DesugaredComparator] = []
        if let major = from.major {
            let lower: DesugaredComparator
            if let complete = from.complete {
                if complete.isPrerelease {
                    lower = DesugaredComparator(comparator: ge(complete), isSpelledCanonically: from.isSpelledCanonically)
                } else if z, !complete.build.isEmpty {
                    // node appends "-0" to the text as written; after build metadata it only lengthens the build.
                    lower = DesugaredComparator(comparator: ge(complete), isSpelledCanonically: false)
                } else {
                    let bound = version(complete.major, complete.minor, complete.patch, lowestPrerelease: z)
                    lower = DesugaredComparator(comparator: ge(bound), isSpelledCanonically: from.isSpelledCanonically)
                }
            } else {
                lower = DesugaredComparator(comparator: ge(version(major, from.minor ?? 0, 0, lowestPrerelease: z)))
            }
            result.append(lower)
        }
        if let major = to.major {
            let upper: Comparator
            if let complete = to.complete {
                if complete.isPrerelease {
                    upper = Comparator(.lessOrEqual, complete)
                } else if z {
                    upper = lt(upperBound(complete.major, complete.minor, complete.patch + 1))
                } else {
                    upper = Comparator(.lessOrEqual, complete)
                }
            } else if let minor = to.minor {
                upper = lt(upperBound(major, minor + 1, 0))
            } else {
                upper = lt(upperBound(major + 1, 0, 0))
            }
            result.append(DesugaredComparator(comparator: upper))
        }
        return result
    }

    /// `major.minor.patch`, with the prerelease `0` (the lowest there is) when asked.
    private static func version(_ major: Int64, _ minor: Int64, _ patch: Int64, lowestPrerelease: Bool) -> Version {
        Version(uncheckedMajor: major, minor: minor, patch: patch, prerelease: lowestPrerelease ? [.zero] : [])
    }

    /// An upper bound as node writes them: `major.minor.patch-0`, below every prerelease of that version.
    private static func upperBound(_ major: Int64, _ minor: Int64, _ patch: Int64) -> Version {
        version(major, minor, patch, lowestPrerelease: true)
    }

    private static func ge(_ version: Version) -> Comparator { Comparator(.greaterOrEqual, version) }
    private static func lt(_ version: Version) -> Comparator { Comparator(.less, version) }
}
