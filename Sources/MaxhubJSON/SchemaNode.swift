/// The keywords of one object schema behind a reference, so that evaluation passes a pointer down the
/// (possibly deep) recursion instead of copying every keyword into each stack frame.
@dynamicMemberLookup
final class SchemaNode: Sendable {
    let rules: SchemaRules

    init(_ rules: SchemaRules) {
        self.rules = rules
    }

    subscript<Value>(dynamicMember keyPath: KeyPath<SchemaRules, Value>) -> Value {
        rules[keyPath: keyPath]
    }
}
