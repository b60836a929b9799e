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
