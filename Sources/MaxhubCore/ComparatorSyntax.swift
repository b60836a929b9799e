/// One comparator as written: an optional operator and a partial version.
struct ComparatorSyntax: Hashable, Sendable {
    var op: RangeOperator?
    var version: PartialVersion
}
