import Foundation

/// Turns a schema document into ``CompiledSchema`` nodes, refusing what the evaluator does not implement.
struct SchemaCompiler {
    static let dialect = "https://json-schema.org/draft/2020-12/schema"

    /// Keywords that only annotate: accepted anywhere, never evaluated.
    static let annotations: Set<String> = [
        "$comment", "title", "description", "examples", "default", "deprecated", "readOnly", "writeOnly", "format",
    ]

    static let typeNames: Set<String> = ["null", "boolean", "object", "array", "number", "string", "integer"]

    let document: JSONValue
    private var nodes: [CompiledSchema] = []
    private var indexByPointer: [String: Int] = [:]
    private var pendingReferences: [(node: Int, reference: String, pointer: String)] = []
    private var rootID: String?
    /// How many object schemas enclose the one being compiled.
    private var nesting = 0

    /// How deeply object schemas may nest inside each other (real schemas stay within a dozen levels).
    static let maximumNesting = 48

    init(document: JSONValue) {
        self.document = document
    }

    mutating func compileDocument() throws(JSONSchemaError) -> [CompiledSchema] {
        if case .object(let root) = document, case .string(let id) = root["$id"] {
            rootID = id.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init)
        }
        _ = try compile(document, at: [])
        while let pending = pendingReferences.popLast() {
            let target = try resolve(pending.reference, from: pending.pointer)
            guard case .rules(let node) = nodes[pending.node] else { continue }
            var rules = node.rules
            rules.reference = target
            nodes[pending.node] = .rules(SchemaNode(rules))
        }
        try checkForCycles()
        return nodes
    }

    // MARK: - Subschemas

    private mutating func compile(_ value: JSONValue, at tokens: [String]) throws(JSONSchemaError) -> Int {
        let pointer = Self.pointer(tokens)
        if let existing = indexByPointer[pointer] {
            return existing
        }
        let index = nodes.count
        indexByPointer[pointer] = index
        switch value {
        case .bool(let bool):
            nodes.append(.boolean(bool, pointer: pointer))
        case .object(let object):
            guard nesting < Self.maximumNesting else { throw .schemaTooDeep(at: pointer) }
            nesting += 1
            defer { nesting -= 1 }
            nodes.append(.boolean(true, pointer: pointer))
            nodes[index] = .rules(SchemaNode(try compileRules(object, at: tokens, index: index)))
        default:
            throw .notASchema(at: pointer)
        }
        return index
    }

    /// Keywords whose value is one subschema.
    private static let subschemaKeywords: [String: WritableKeyPath<SchemaRules, Int?> & Sendable] = [
        "items": \.items, "contains": \.contains, "additionalProperties": \.additionalProperties,
        "propertyNames": \.propertyNames, "not": \.not, "if": \.ifSchema, "then": \.thenSchema, "else": \.elseSchema,
    ]

    /// Keywords whose value is a non-empty array of subschemas.
    private static let subschemaListKeywords: [String: WritableKeyPath<SchemaRules, [Int]> & Sendable] = [
        "prefixItems": \.prefixItems, "allOf": \.allOf, "anyOf": \.anyOf, "oneOf": \.oneOf,
    ]

    /// Keywords whose value is a non-negative integer.
    private static let countKeywords: [String: WritableKeyPath<SchemaRules, Int?> & Sendable] = [
        "minLength": \.minLength, "maxLength": \.maxLength, "minItems": \.minItems, "maxItems": \.maxItems,
        "minContains": \.minContains, "maxContains": \.maxContains,
        "minProperties": \.minProperties, "maxProperties": \.maxProperties,
    ]

    /// Keywords whose value is a number bounding the instance.
    private static let boundKeywords: [String: WritableKeyPath<SchemaRules, JSONNumber?> & Sendable] = [
        "minimum": \.minimum, "maximum": \.maximum, "exclusiveMinimum": \.exclusiveMinimum, "exclusiveMaximum": \.exclusiveMaximum,
    ]

    /// Compiles one object schema. Subschemas recurse through here, so the keywords that hold no
    /// subschema are handled in ``compileAssertion(_:_:at:index:into:)`` to keep this frame small.
    private mutating func compileRules(_ object: JSONObject, at tokens: [String], index: Int) throws(JSONSchemaError) -> SchemaRules {
        var rules = SchemaRules(pointer: Self.pointer(tokens))
        for (keyword, value) in object {
            if let keyPath = Self.subschemaKeywords[keyword] {
                rules[keyPath: keyPath] = try compile(value, at: tokens + [keyword])
            } else if let keyPath = Self.subschemaListKeywords[keyword] {
                rules[keyPath: keyPath] = try schemaList(value, at: tokens + [keyword])
            } else if keyword == "properties" || keyword == "patternProperties" || keyword == "$defs" {
                try compileSchemaMap(keyword, value, at: tokens, into: &rules)
            } else {
                try compileAssertion(keyword, value, at: tokens, index: index, into: &rules)
            }
        }
        return rules
    }

    /// `properties`, `patternProperties` and `$defs`: objects whose values are subschemas.
    private mutating func compileSchemaMap(_ keyword: String, _ value: JSONValue, at tokens: [String],
                                           into rules: inout SchemaRules) throws(JSONSchemaError) {
        guard case .object(let members) = value else { throw invalid(keyword, tokens, "an object of schemas") }
        let here = tokens + [keyword]
        for (name, schema) in members {
            switch keyword {
            case "properties":
                rules.properties.append((name: name, schema: try compile(schema, at: here + [name])))
            case "patternProperties":
                let compiled = try pattern(name, at: here)
                rules.patternProperties.append((pattern: compiled, schema: try compile(schema, at: here + [name])))
            default:
                _ = try compile(schema, at: here + [name])
            }
        }
    }

    /// The keywords that hold no subschema: assertions, references and annotations; anything else is refused.
    private mutating func compileAssertion(_ keyword: String, _ value: JSONValue, at tokens: [String], index: Int,
                                           into rules: inout SchemaRules) throws(JSONSchemaError) {
        if let keyPath = Self.countKeywords[keyword] {
            rules[keyPath: keyPath] = try count(value, keyword, tokens)
            return
        }
        if let keyPath = Self.boundKeywords[keyword] {
            guard case .number(let number) = value else { throw invalid(keyword, tokens, "a number") }
            rules[keyPath: keyPath] = number
            return
        }
        switch keyword {
        case _ where Self.annotations.contains(keyword):
            break
        case "x-expected":
            rules.expected = value.stringValue
        case _ where keyword.hasPrefix("x-"):
            break
        case "$schema":
            guard let uri = value.stringValue else { throw invalid(keyword, tokens, "a URI string") }
            guard uri == Self.dialect || uri == Self.dialect + "#" else { throw .unsupportedDialect(uri) }
        case "$id":
            guard value.stringValue != nil else { throw invalid(keyword, tokens, "a URI string") }
            guard tokens.isEmpty else { throw .embeddedID(at: rules.pointer) }
        case "$ref":
            guard let reference = value.stringValue else { throw invalid(keyword, tokens, "a string") }
            pendingReferences.append((node: index, reference: reference, pointer: rules.pointer))
        case "type":
            rules.types = try typeList(value, tokens)
        case "enum":
            guard case .array(let values) = value else { throw invalid(keyword, tokens, "an array") }
            rules.enumValues = values
        case "const":
            rules.constValue = value
        case "multipleOf":
            guard case .number(let number) = value, number > .integer(0) else { throw invalid(keyword, tokens, "a number greater than 0") }
            rules.multipleOf = number
        case "pattern":
            guard let source = value.stringValue else { throw invalid(keyword, tokens, "a string") }
            rules.pattern = try pattern(source, at: tokens + [keyword])
        case "uniqueItems":
            guard let bool = value.boolValue else { throw invalid(keyword, tokens, "a boolean") }
            rules.uniqueItems = bool
        case "required":
            rules.required = try stringList(value, keyword, tokens)
        case "dependentRequired":
            guard case .object(let dependencies) = value else { throw invalid(keyword, tokens, "an object of string arrays") }
            for (property, required) in dependencies {
                rules.dependentRequired.append((property: property, required: try stringList(required, keyword, tokens)))
            }
        default:
            throw .unsupportedKeyword(keyword, at: rules.pointer)
        }
    }

    // MARK: - Keyword values

    private func invalid(_ keyword: String, _ tokens: [String], _ expected: String) -> JSONSchemaError {
        .invalidKeywordValue(keyword, at: Self.pointer(tokens), expected: expected)
    }

    private func typeList(_ value: JSONValue, _ tokens: [String]) throws(JSONSchemaError) -> [String] {
        let expected = "a type name or a non-empty array of distinct type names (\(Self.typeNames.sorted().joined(separator: ", ")))"
        let names: [String]
        switch value {
        case .string(let name):
            names = [name]
        case .array(let elements) where !elements.isEmpty:
            names = elements.compactMap(\.stringValue)
            guard names.count == elements.count, Set(names).count == names.count else { throw invalid("type", tokens, expected) }
        default:
            throw invalid("type", tokens, expected)
        }
        guard names.allSatisfy(Self.typeNames.contains) else { throw invalid("type", tokens, expected) }
        return names
    }

    private func count(_ value: JSONValue, _ keyword: String, _ tokens: [String]) throws(JSONSchemaError) -> Int {
        guard case .number(let number) = value, number.isWholeNumber, number >= .integer(0) else {
            throw invalid(keyword, tokens, "a non-negative integer")
        }
        return number.int64Value.map { Int(clamping: $0) } ?? Int.max
    }

    private func stringList(_ value: JSONValue, _ keyword: String, _ tokens: [String]) throws(JSONSchemaError) -> [String] {
        guard case .array(let elements) = value else { throw invalid(keyword, tokens, "an array of strings") }
        let strings = elements.compactMap(\.stringValue)
        guard strings.count == elements.count else { throw invalid(keyword, tokens, "an array of strings") }
        return strings
    }

    private mutating func schemaList(_ value: JSONValue, at tokens: [String]) throws(JSONSchemaError) -> [Int] {
        guard case .array(let elements) = value, !elements.isEmpty else {
            throw invalid(tokens.last ?? "", Array(tokens.dropLast()), "a non-empty array of schemas")
        }
        var indices: [Int] = []
        for (position, element) in elements.enumerated() {
            indices.append(try compile(element, at: tokens + [String(position)]))
        }
        return indices
    }

    private func pattern(_ source: String, at tokens: [String]) throws(JSONSchemaError) -> SchemaPattern {
        do {
            return try SchemaPattern(source)
        } catch {
            throw .invalidPattern(source, at: Self.pointer(tokens), reason: error.localizedDescription)
        }
    }

    // MARK: - References

    private mutating func resolve(_ reference: String, from pointer: String) throws(JSONSchemaError) -> Int {
        var fragment: Substring
        if reference.hasPrefix("#") {
            fragment = reference.dropFirst()
        } else if let rootID, !rootID.isEmpty, reference.hasPrefix(rootID),
                  reference.dropFirst(rootID.count).isEmpty || reference.dropFirst(rootID.count).hasPrefix("#") {
            fragment = reference.dropFirst(rootID.count).drop { $0 == "#" }
        } else {
            throw .unresolvableReference(reference, at: pointer)
        }
        guard fragment.isEmpty || fragment.hasPrefix("/"), let decoded = String(fragment).removingPercentEncoding else {
            throw .unresolvableReference(reference, at: pointer)
        }
        fragment = Substring(decoded)
        let tokens = fragment.isEmpty ? [] : fragment.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map {
            $0.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
        }
        if let existing = indexByPointer[Self.pointer(tokens)] {
            return existing
        }
        var target = document
        for token in tokens {
            switch target {
            case .object(let object):
                guard let member = object[token] else { throw .unresolvableReference(reference, at: pointer) }
                target = member
            case .array(let elements):
                guard let position = Int(token), token == String(position), elements.indices.contains(position) else {
                    throw .unresolvableReference(reference, at: pointer)
                }
                target = elements[position]
            default:
                throw .unresolvableReference(reference, at: pointer)
            }
        }
        return try compile(target, at: tokens)
    }

    /// Refuses loops of `$ref`, `allOf`, `anyOf`, `oneOf`, `not` and `if`/`then`/`else` that stay on the
    /// same instance (Python's validator would recurse until it fails) among the subschemas validation reaches.
    private func checkForCycles() throws(JSONSchemaError) {
        var reachable = Set<Int>()
        var stack = [0]
        while let index = stack.popLast() {
            guard reachable.insert(index).inserted, case .rules(let node) = nodes[index] else { continue }
            stack += node.sameInstanceChildren + node.descendingChildren
        }
        // 0: not visited, 1: on the current path, 2: finished.
        var state = [UInt8](repeating: 0, count: nodes.count)
        for start in reachable.sorted() where state[start] == 0 {
            var path: [(node: Int, children: [Int])] = [(start, children(of: start))]
            state[start] = 1
            while let last = path.last {
                guard let child = last.children.first else {
                    state[last.node] = 2
                    path.removeLast()
                    continue
                }
                path[path.count - 1].children.removeFirst()
                switch state[child] {
                case 1: throw .referenceCycle(at: nodes[child].pointer)
                case 0:
                    state[child] = 1
                    path.append((child, children(of: child)))
                default: continue
                }
            }
        }
    }

    private func children(of index: Int) -> [Int] {
        guard case .rules(let node) = nodes[index] else { return [] }
        return node.sameInstanceChildren
    }

    /// `#/properties/name`, with `~` and `/` in tokens escaped as JSON Pointer requires.
    static func pointer(_ tokens: [String]) -> String {
        "#" + tokens.map { "/" + $0.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1") }.joined()
    }
}
