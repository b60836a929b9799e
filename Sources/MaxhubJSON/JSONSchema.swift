import Foundation

/// A JSON Schema (draft 2020-12) loaded for validation, such as `schemas/manifest.schema.json`.
///
/// The validator interprets the schema itself and gives the same valid or invalid verdict as Python's
/// `jsonschema.Draft202012Validator` (without a format checker) for the keywords it supports:
///
/// - any type: `type`, `enum`, `const`, `allOf`, `anyOf`, `oneOf`, `not`, `if`/`then`/`else`,
///   `$ref` to local JSON pointers (`#`, `#/$defs/name`), `$defs`;
/// - objects: `properties`, `required`, `additionalProperties`, `patternProperties`, `propertyNames`,
///   `minProperties`, `maxProperties`, `dependentRequired`;
/// - arrays: `prefixItems`, `items`, `minItems`, `maxItems`, `uniqueItems`, `contains`, `minContains`,
///   `maxContains`;
/// - strings: `minLength`, `maxLength` (in Unicode code points), `pattern` (searched, not anchored);
/// - numbers: `minimum`, `maximum`, `exclusiveMinimum`, `exclusiveMaximum`, `multipleOf`.
///
/// Annotations are accepted and ignored: `$schema` (2020-12 only), `$id` (at the root), `$comment`,
/// `title`, `description`, `examples`, `default`, `deprecated`, `readOnly`, `writeOnly`, `format`, and any
/// key starting with `x-`. `x-expected` next to a `pattern` phrases what the pattern wants, for messages
/// such as `version: expected a SemVer 2.0.0 version such as 1.2.0, got "1.2"`. Every other keyword
/// makes loading fail, as do malformed keyword values, invalid patterns, non-local references and
/// reference loops that never descend into the instance.
public struct JSONSchema: Sendable {
    /// The schema document as it was given.
    public let document: JSONValue
    let nodes: [CompiledSchema]

    /// Loads a schema, refusing any keyword it would not enforce.
    public init(_ schema: JSONValue) throws(JSONSchemaError) {
        self.document = schema
        var compiler = SchemaCompiler(document: schema)
        self.nodes = try compiler.compileDocument()
    }

    /// Loads a schema from JSON bytes.
    public init(json data: Data) throws(JSONSchemaError) {
        let value: JSONValue
        do {
            value = try JSONValue(json: data)
        } catch {
            throw .invalidJSON(error)
        }
        try self.init(value)
    }

    /// Every way the instance fails the schema; empty when it is valid.
    ///
    /// Violations come in the order the instance is written (members as they appear, missing required
    /// members after the present ones, a value before what is inside it), each `path: message` once.
    /// A failed `anyOf` or `oneOf` is explained once: by the problems of the branch the instance evidently
    /// meant, by a merged `expected A or B, got C`, or by `does not match any of the allowed forms`.
    /// An instance nested so deeply that validation would need more than 300 nested subschema
    /// evaluations gets one `is nested too deeply to validate` violation instead of exhausting the stack.
    public func validate(_ instance: JSONValue) -> [SchemaViolation] {
        let evaluator = SchemaEvaluator(nodes: nodes)
        var problems: [SchemaProblem] = []
        evaluator.evaluate(0, instance, at: [], depth: 0, into: &problems)
        return SchemaProblem.ordered(problems, in: instance)
    }

    /// Whether the instance is valid against the schema.
    public func isValid(_ instance: JSONValue) -> Bool {
        validate(instance).isEmpty
    }
}

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

/// The keywords of one object schema.
struct SchemaRules: Sendable {
    var pointer: String
    var reference: Int?
    var types: [String]?
    var enumValues: [JSONValue]?
    var constValue: JSONValue?
    var expected: String?

    var minimum: JSONNumber?
    var maximum: JSONNumber?
    var exclusiveMinimum: JSONNumber?
    var exclusiveMaximum: JSONNumber?
    var multipleOf: JSONNumber?

    var minLength: Int?
    var maxLength: Int?
    var pattern: SchemaPattern?

    var prefixItems: [Int] = []
    var items: Int?
    var minItems: Int?
    var maxItems: Int?
    var uniqueItems = false
    var contains: Int?
    var minContains: Int?
    var maxContains: Int?

    var properties: [(name: String, schema: Int)] = []
    var required: [String] = []
    var patternProperties: [(pattern: SchemaPattern, schema: Int)] = []
    var additionalProperties: Int?
    var propertyNames: Int?
    var minProperties: Int?
    var maxProperties: Int?
    var dependentRequired: [(property: String, required: [String])] = []

    var allOf: [Int] = []
    var anyOf: [Int] = []
    var oneOf: [Int] = []
    var not: Int?
    var ifSchema: Int?
    var thenSchema: Int?
    var elseSchema: Int?

    /// Subschemas evaluated against the same instance: a loop among them would never end.
    var sameInstanceChildren: [Int] {
        [reference, not, ifSchema, thenSchema, elseSchema].compactMap { $0 } + allOf + anyOf + oneOf
    }

    /// Subschemas evaluated against a member or element of the instance.
    var descendingChildren: [Int] {
        prefixItems + properties.map(\.schema) + patternProperties.map(\.schema)
            + [items, contains, additionalProperties, propertyNames].compactMap { $0 }
    }
}

/// A `pattern` compiled once, searched like Python's `re.search` (unanchored).
struct SchemaPattern: Sendable {
    let source: String
    let expression: NSRegularExpression

    init(_ source: String) throws {
        self.source = source
        // `$` matches only before a final "\n" (not "\r" or U+2028) and `.` excludes only "\n", as in Python.
        self.expression = try NSRegularExpression(pattern: Self.translated(source), options: [.useUnixLineSeparators])
    }

    func matches(_ text: String) -> Bool {
        expression.firstMatch(in: text, options: [], range: NSRange(location: 0, length: text.utf16.count)) != nil
    }

    /// Python's spellings that ICU writes differently: `\Z` (end of text) is ICU's `\z`;
    /// `(?P<name>` and `(?P=name)` are ICU's `(?<name>` and `\k<name>`.
    static func translated(_ pattern: String) -> String {
        var output = ""
        var characters = pattern[...]
        while let character = characters.popFirst() {
            if character == "\\", let next = characters.popFirst() {
                output += next == "Z" ? "\\z" : "\\\(next)"
            } else if character == "(", characters.hasPrefix("?P<") {
                output += "(?<"
                characters = characters.dropFirst(3)
            } else if character == "(", characters.hasPrefix("?P="), let close = characters.firstIndex(of: ")") {
                let name = characters[characters.index(characters.startIndex, offsetBy: 3)..<close]
                output += "\\k<\(name)>"
                characters = characters[characters.index(after: close)...]
            } else {
                output.append(character)
            }
        }
        return output
    }
}
