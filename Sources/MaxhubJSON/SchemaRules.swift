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
