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
            nodes.append(.boolean(true, pointer: pointer))
            nodes[index] = .rules(SchemaNode(try compileRules(object, at: tokens, index: index)))
        default:
            throw .notASchema(at: pointer)
        }
        return index
    }

    // The switch lists each supported keyword once; splitting it would only scatter the list.
    private mutating func compileRules(_ object: JSONObject, at tokens: [String], index: Int) throws(JSONSchemaError) -> SchemaRules {
        let pointer = Self.pointer(tokens)
        var rules = SchemaRules(pointer: pointer)
        for (keyword, value) in object {
            let here = tokens + [keyword]
            switch keyword {
            case _ where Self.annotations.contains(keyword):
                continue
            case "x-expected":
                rules.expected = value.stringValue
            case _ where keyword.hasPrefix("x-"):
                continue
            case "$schema":
                guard let uri = value.stringValue else { throw invalid(keyword, tokens, "a URI string") }
                guard uri == Self.dialect || uri == Self.dialect + "#" else { throw .unsupportedDialect(uri) }
            case "$id":
                guard value.stringValue != nil else { throw invalid(keyword, tokens, "a URI string") }
                guard tokens.isEmpty else {
                    // An embedded $id would change how references below it resolve.
                    throw .unsupportedKeyword("$id (below the root)", at: pointer)
                }
            case "$defs":
                guard case .object(let definitions) = value else { throw invalid(keyword, tokens, "an object of schemas") }
                for (name, definition) in definitions {
                    _ = try compile(definition, at: here + [name])
                }
            case "$ref":
                guard let reference = value.stringValue else { throw invalid(keyword, tokens, "a string") }
                pendingReferences.append((node: index, reference: reference, pointer: pointer))
            case "type":
                rules.types = try typeList(value, tokens)
            case "enum":
                guard case .array(let values) = value else { throw invalid(keyword, tokens, "an array") }
                rules.enumValues = values
            case "const":
                rules.constValue = value
            case "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum":
                guard case .number(let number) = value else { throw invalid(keyword, tokens, "a number") }
                switch keyword {
                case "minimum": rules.minimum = number
                case "maximum": rules.maximum = number
                case "exclusiveMinimum": rules.exclusiveMinimum = number
                default: rules.exclusiveMaximum = number
                }
            case "multipleOf":
                guard case .number(let number) = value, number > .integer(0) else {
                    throw invalid(keyword, tokens, "a number greater than 0")
                }
                rules.multipleOf = number
            case "minLength": rules.minLength = try count(value, keyword, tokens)
            case "maxLength": rules.maxLength = try count(value, keyword, tokens)
            case "minItems": rules.minItems = try count(value, keyword, tokens)
            case "maxItems": rules.maxItems = try count(value, keyword, tokens)
            case "minContains": rules.minContains = try count(value, keyword, tokens)
            case "maxContains": rules.maxContains = try count(value, keyword, tokens)
            case "minProperties": rules.minProperties = try count(value, keyword, tokens)
            case "maxProperties": rules.maxProperties = try count(value, keyword, tokens)
            case "pattern":
                guard let source = value.stringValue else { throw invalid(keyword, tokens, "a string") }
                rules.pattern = try pattern(source, at: here)
            case "uniqueItems":
                guard let bool = value.boolValue else { throw invalid(keyword, tokens, "a boolean") }
                rules.uniqueItems = bool
            case "prefixItems":
                rules.prefixItems = try schemaList(value, at: here)
            case "items": rules.items = try compile(value, at: here)
            case "contains": rules.contains = try compile(value, at: here)
            case "additionalProperties": rules.additionalProperties = try compile(value, at: here)
            case "propertyNames": rules.propertyNames = try compile(value, at: here)
            case "not": rules.not = try compile(value, at: here)
            case "if": rules.ifSchema = try compile(value, at: here)
            case "then": rules.thenSchema = try compile(value, at: here)
            case "else": rules.elseSchema = try compile(value, at: here)
            case "allOf": rules.allOf = try schemaList(value, at: here)
            case "anyOf": rules.anyOf = try schemaList(value, at: here)
            case "oneOf": rules.oneOf = try schemaList(value, at: here)
            case "properties":
                guard case .object(let properties) = value else { throw invalid(keyword, tokens, "an object of schemas") }
                for (name, schema) in properties {
                    rules.properties.append((name: name, schema: try compile(schema, at: here + [name])))
                }
            case "patternProperties":
                guard case .object(let properties) = value else { throw invalid(keyword, tokens, "an object of schemas") }
                for (source, schema) in properties {
                    let compiled = try pattern(source, at: here)
                    rules.patternProperties.append((pattern: compiled, schema: try compile(schema, at: here + [source])))
                }
            case "required":
                rules.required = try stringList(value, keyword, tokens)
            case "dependentRequired":
                guard case .object(let dependencies) = value else { throw invalid(keyword, tokens, "an object of string arrays") }
                for (property, required) in dependencies {
                    rules.dependentRequired.append((property: property, required: try stringList(required, keyword, tokens)))
                }
            default:
                throw .unsupportedKeyword(keyword, at: pointer)
            }
        }
        return rules
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
