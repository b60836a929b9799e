/// One subschema, ready to evaluate; children are indices into ``JSONSchema/nodes``.
enum CompiledSchema: Sendable {
    case boolean(Bool, pointer: String)
    case rules(SchemaNode)

    var pointer: String {
        switch self {
        case .boolean(_, let pointer): pointer
        case .rules(let node): node.rules.pointer
        }
    }
}
