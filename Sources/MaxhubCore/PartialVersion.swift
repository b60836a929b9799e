/// A version inside a range as written: parts may be left out or written as `x`, `X` or `*`.
///
/// Once a part is missing, node-semver treats every later part as missing too (`1.x.3` is `1.x.x`),
/// and ignores the prerelease and build of a version that is not complete; so do these values.
struct PartialVersion: Hashable, Sendable {
    var major: Int64?
    var minor: Int64?
    var patch: Int64?
    /// Kept only when major, minor and patch are all numbers.
    var prerelease: [Version.PrereleaseIdentifier] = []
    /// Kept only when major, minor and patch are all numbers.
    var build: [String] = []
    /// Whether the version was written with node's optional `v` prefix.
    var hasPrefixV = false

    /// The complete version, if all three numbers were written.
    var complete: Version? {
        guard let major, let minor, let patch else { return nil }
        return Version(uncheckedMajor: major, minor: minor, patch: patch, prerelease: prerelease, build: build)
    }

    /// Whether node-semver's intermediate text for this version is its canonical form. node keeps a
    /// complete version's text as written (`v` and build included) in a few comparators, and its
    /// `>=0.0.0`-means-any rule looks at that text.
    var isSpelledCanonically: Bool { !hasPrefixV && build.isEmpty }
}
