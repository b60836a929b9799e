/// One `||` alternative as written.
enum ComparatorSetSyntax: Hashable, Sendable {
    /// `A - B`.
    case hyphen(from: PartialVersion, to: PartialVersion)
    /// Comparators separated by whitespace; none means any version.
    case comparators([ComparatorSyntax])
}
