/// A package as people write it on the command line and in links: `NAME`, `NAME@RANGE` (`digits@^1.2`), or
/// `NAME@VERSION` for one exact version (`digits@1.2.0`). The name may be owned (`owner/name@1.0.0`).
public struct PackageReference: Hashable, Sendable, CustomStringConvertible {
    public let name: ModelName
    /// What follows the `@`, or nil when the reference names only the model.
    public let range: VersionRange?
    /// The one version the reference names (`NAME@1.2.3`), or nil for a bare name or a range.
    public let version: Version?

    public init(name: ModelName, range: VersionRange? = nil) {
        self.name = name
        self.range = range
        version = range.flatMap { try? Version(parsing: $0.text) }
    }

    /// The reference to exactly `version` of `name`.
    public init(name: ModelName, version: Version) {
        self.name = name
        // A SemVer version, as written, is a range that only that version satisfies.
        range = try? VersionRange(parsing: version.description)
        self.version = version
    }

    /// Parses `NAME` or `NAME@RANGE`; the error says which part is wrong.
    public init(parsing text: String) throws(PackageReferenceError) {
        let parts = text.split(separator: "@", maxSplits: 1, omittingEmptySubsequences: false)
        do {
            name = try ModelName(parsing: String(parts[0]))
        } catch {
            throw .invalidName(error)
        }
        guard parts.count > 1 else {
            range = nil
            version = nil
            return
        }
        let text = String(parts[1])
        version = try? Version(parsing: text)
        do {
            range = try VersionRange(parsing: text)
        } catch {
            // A version a range cannot spell (more digits than a range takes) is still the one version it names.
            guard version != nil else { throw .invalidRange(error) }
            range = nil
        }
    }

    /// Parses `NAME@VERSION`: one exact version, nothing else.
    public init(parsingExact text: String) throws(PackageReferenceError) {
        let reference = try Self(parsing: text)
        guard reference.version != nil else { throw .versionRequired(text) }
        self = reference
    }

    /// The exact version the reference names; throws when it names a range or no version.
    public func exactVersion() throws(PackageReferenceError) -> Version {
        guard let version else { throw .versionRequired(description) }
        return version
    }

    /// The range to resolve, as the hub takes it: what was written, the exact version, or "" (any version).
    public var rangeText: String { range?.text ?? version?.description ?? "" }

    /// Whether `candidate` is what the reference asks for: its exact version, or one that satisfies its range.
    public func matches(_ candidate: Version, includePrerelease: Bool = false) -> Bool {
        if let range { return range.isSatisfied(by: candidate, includePrerelease: includePrerelease) }
        if let version { return candidate == version }
        return VersionRange.any.isSatisfied(by: candidate, includePrerelease: includePrerelease)
    }

    /// `NAME` or `NAME@RANGE`, as written.
    public var description: String {
        if let range { return "\(name)@\(range.text)" }
        return version.map { "\(name)@\($0)" } ?? name.description
    }
}

extension ModelName {
    /// The name as one URL path segment: `owner%2Fname` for an owned name (the hub's routes take the name as one
    /// segment and decode it).
    public var pathSegment: String { description.replacingOccurrences(of: "/", with: "%2F") }
}
