/// Why a JSON Schema cannot be loaded. Every keyword the validator would not enforce is refused here,
/// so a schema can never ask for something that the Swift side silently ignores.
public enum JSONSchemaError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The schema's bytes are not JSON.
    case invalidJSON(JSONValueError)
    /// A schema (or subschema) is neither an object nor a boolean.
    case notASchema(at: String)
    /// The schema uses a keyword that is not implemented (and is not a known annotation or an `x-` key).
    case unsupportedKeyword(String, at: String)
    /// A keyword's value has the wrong shape (`"minLength": "3"`, `"required": [1]`).
    case invalidKeywordValue(String, at: String, expected: String)
    /// A `pattern` or `patternProperties` key is not a regular expression that can be compiled.
    case invalidPattern(String, at: String, reason: String)
    /// A subschema has its own `$id`, which would change how the references below it resolve.
    case embeddedID(at: String)
    /// `$schema` names a dialect other than draft 2020-12.
    case unsupportedDialect(String)
    /// A `$ref` is not a local JSON pointer, or points at nothing.
    case unresolvableReference(String, at: String)
    /// Subschemas nest deeper than ``JSONSchema`` compiles (48 levels).
    case schemaTooDeep(at: String)
    /// Subschemas refer to each other in a loop that never moves into the instance (`a` → `b` → `a`).
    case referenceCycle(at: String)

    public var description: String {
        switch self {
        case .invalidJSON(let error):
            "schema is not JSON: \(error)"
        case .notASchema(let pointer):
            "\(pointer): a schema must be an object or a boolean"
        case .unsupportedKeyword(let keyword, let pointer):
            "\(pointer): unsupported keyword \"\(keyword)\"; maxhub's validator would ignore it, so the schema may not use it"
        case .invalidKeywordValue(let keyword, let pointer, let expected):
            "\(pointer): the value of \"\(keyword)\" must be \(expected)"
        case .invalidPattern(let pattern, let pointer, let reason):
            "\(pointer): invalid regular expression \(JSONWriter.quoted(pattern)): \(reason)"
        case .embeddedID(let pointer):
            "\(pointer): $id is only supported at the root of the schema"
        case .unsupportedDialect(let uri):
            "unsupported $schema \(uri); only https://json-schema.org/draft/2020-12/schema is supported"
        case .unresolvableReference(let reference, let pointer):
            "\(pointer): cannot resolve $ref \(JSONWriter.quoted(reference)); only local JSON pointers (#/$defs/name) are supported"
        case .schemaTooDeep(let pointer):
            "\(pointer): subschemas nest too deeply"
        case .referenceCycle(let pointer):
            "\(pointer): schema refers back to itself without descending into the instance"
        }
    }
}
