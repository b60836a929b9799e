/// The operators of node-semver's range grammar.
enum RangeOperator: String, Hashable, Sendable {
    case less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">=", equal = "="
    case tilde = "~", tildeGreater = "~>", caret = "^"
}
