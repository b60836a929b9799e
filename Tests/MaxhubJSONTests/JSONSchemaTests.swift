import Foundation
import MaxhubJSON
import MaxhubTestSupport
import Testing

private func makeSchema(_ text: String) throws -> JSONSchema {
    try JSONSchema(JSONValue(jsonString: text))
}

/// The violations of an instance, as `path: message` lines.
private func problems(_ schemaText: String, _ instanceText: String) throws -> [String] {
    try makeSchema(schemaText).validate(JSONValue(jsonString: instanceText)).map(\.description)
}

/// One keyword case: a schema, an instance, and the violations expected (none when valid).
/// Every verdict here was checked against Python's jsonschema 4.26 (Draft202012Validator).
struct KeywordCase: Sendable, CustomTestStringConvertible {
    var schema: String
    var instance: String
    var expected: [String]

    init(_ schema: String, _ instance: String, _ expected: [String] = []) {
        self.schema = schema
        self.instance = instance
        self.expected = expected
    }

    var testDescription: String { "\(schema) ← \(instance)" }
}

@Suite("JSONSchema: keywords", .onTestThreads)
struct JSONSchemaKeywordTests {
    @Test(arguments: [
        KeywordCase(#"{"type": "string"}"#, #""a""#),
        KeywordCase(#"{"type": "string"}"#, "1", ["(root): expected string, got integer 1"]),
        KeywordCase(#"{"type": "array"}"#, #""x""#, ["(root): expected array, got string"]),
        KeywordCase(#"{"type": "integer"}"#, "1.0"),
        KeywordCase(#"{"type": "integer"}"#, "1e2"),
        KeywordCase(#"{"type": "integer"}"#, "1.5", ["(root): expected integer, got number 1.5"]),
        KeywordCase(#"{"type": "integer"}"#, "true", ["(root): expected integer, got boolean true"]),
        KeywordCase(#"{"type": "number"}"#, "false", ["(root): expected number, got boolean false"]),
        KeywordCase(#"{"type": ["string", "null"]}"#, "null"),
        KeywordCase(#"{"type": ["string", "integer", "null"]}"#, "{}", ["(root): expected string, integer or null, got object"]),
        KeywordCase(#"{"type": "object"}"#, "null", ["(root): expected object, got null"]),
    ])
    func type(_ item: KeywordCase) throws {
        #expect(try problems(item.schema, item.instance) == item.expected)
    }

    @Test(arguments: [
        KeywordCase(#"{"enum": ["max", "oip-v2"]}"#, #""max""#),
        KeywordCase(#"{"enum": ["max", "oip-v2"]}"#, #""grpc""#, [#"(root): must be one of max, oip-v2, got "grpc""#]),
        KeywordCase(#"{"enum": [1, "a b", null]}"#, "1.0"),
        KeywordCase(#"{"enum": [1, "a b", null]}"#, "true", [#"(root): must be one of 1, "a b", null, got true"#]),
        KeywordCase(#"{"enum": [0]}"#, "false", ["(root): must be 0, got false"]),
        KeywordCase(#"{"enum": [[1, {"a": 2}]]}"#, #"[1.0, {"a": 2.0}]"#),
        KeywordCase(#"{"const": "x"}"#, #""x""#),
        KeywordCase(#"{"const": 2}"#, "2.0"),
        KeywordCase(#"{"const": {"a": [1]}}"#, #"{"a": [2]}"#, [#"(root): must be {"a":[1]}, got {"a":[2]}"#]),
        KeywordCase(#"{"const": null}"#, "0", ["(root): must be null, got 0"]),
    ])
    func enumAndConst(_ item: KeywordCase) throws {
        #expect(try problems(item.schema, item.instance) == item.expected)
    }

    @Test(arguments: [
        KeywordCase(#"{"minimum": 1, "maximum": 65535}"#, "65535"),
        KeywordCase(#"{"minimum": 1, "maximum": 65535}"#, "65535.0"),
        KeywordCase(#"{"minimum": 1, "maximum": 65535}"#, "70000", ["(root): must be at most 65535, got 70000"]),
        KeywordCase(#"{"minimum": 1, "maximum": 65535}"#, "0", ["(root): must be at least 1, got 0"]),
        KeywordCase(#"{"minimum": 0.5}"#, "0.25", ["(root): must be at least 0.5, got 0.25"]),
        KeywordCase(#"{"minimum": 1}"#, #""0""#),
        KeywordCase(#"{"exclusiveMinimum": 0}"#, "0", ["(root): must be greater than 0, got 0"]),
        KeywordCase(#"{"exclusiveMinimum": 0}"#, "0.001"),
        KeywordCase(#"{"exclusiveMaximum": 1.0}"#, "1", ["(root): must be less than 1.0, got 1"]),
        KeywordCase(#"{"maximum": 9007199254740992.0}"#, "9007199254740993",
                    ["(root): must be at most 9007199254740992.0, got 9007199254740993"]),
        KeywordCase(#"{"multipleOf": 2}"#, "4.0"),
        KeywordCase(#"{"multipleOf": 2}"#, "7.5", ["(root): must be a multiple of 2, got 7.5"]),
        KeywordCase(#"{"multipleOf": 0.01}"#, "0.96"),
        KeywordCase(#"{"multipleOf": 0.5}"#, "2.5"),
        // Python's float arithmetic: 0.3 / 0.1 is 2.9999999999999996, so 0.3 is not a multiple of 0.1.
        KeywordCase(#"{"multipleOf": 0.1}"#, "0.3", ["(root): must be a multiple of 0.1, got 0.3"]),
        KeywordCase(#"{"multipleOf": 3}"#, "9223372036854775806"),
    ])
    func numbers(_ item: KeywordCase) throws {
        #expect(try problems(item.schema, item.instance) == item.expected)
    }

    @Test(arguments: [
        KeywordCase(#"{"minLength": 1}"#, #""""#, ["(root): must be at least 1 character long, got 0"]),
        KeywordCase(#"{"maxLength": 3}"#, #""abcd""#, ["(root): must be at most 3 characters long, got 4"]),
        KeywordCase(#"{"maxLength": 1}"#, #""😀""#),
        // Python counts code points: "e" followed by a combining accent is two.
        KeywordCase(#"{"maxLength": 1}"#, #""e\u0301""#, ["(root): must be at most 1 character long, got 2"]),
        KeywordCase(#"{"minLength": 2}"#, "5"),
        KeywordCase(#"{"pattern": "b"}"#, #""abc""#),
        KeywordCase(#"{"pattern": "^b"}"#, #""abc""#, [#"(root): does not match pattern ^b, got "abc""#]),
        KeywordCase(#"{"pattern": "^a$"}"#, #""a\n""#),
        KeywordCase(#"{"pattern": "^a$"}"#, #""a\r""#, [#"(root): does not match pattern ^a$, got "a\r""#]),
        KeywordCase(#"{"pattern": "^a\\Z"}"#, #""a\n""#, [#"(root): does not match pattern ^a\Z, got "a\n""#]),
        KeywordCase(#"{"pattern": "^(?P<word>a)(?P=word)$"}"#, #""aa""#),
        KeywordCase(#"{"pattern": "^\\d+$", "x-expected": "digits such as 42"}"#, #""4x""#,
                    [#"(root): expected digits such as 42, got "4x""#]),
    ])
    func strings(_ item: KeywordCase) throws {
        #expect(try problems(item.schema, item.instance) == item.expected)
    }

    @Test(arguments: [
        KeywordCase(#"{"items": {"type": "integer"}}"#, #"[1, 2.0, "x"]"#, ["[2]: expected integer, got string"]),
        KeywordCase(#"{"prefixItems": [{"type": "string"}], "items": {"type": "integer"}}"#, #"["a", 1, 2]"#),
        KeywordCase(#"{"prefixItems": [{"type": "string"}], "items": false}"#, #"["a", 1]"#,
                    ["[1]: unexpected item; at most 1 item allowed"]),
        KeywordCase(#"{"items": false}"#, "[1]", ["[0]: no items are allowed"]),
        KeywordCase(#"{"prefixItems": [{"type": "string"}, {"type": "string"}]}"#, "[1]", ["[0]: expected string, got integer 1"]),
        KeywordCase(#"{"minItems": 1}"#, "[]", ["(root): must have at least 1 item, got 0"]),
        KeywordCase(#"{"maxItems": 2}"#, "[8, 8, 8]", ["(root): must have at most 2 items, got 3"]),
        KeywordCase(#"{"uniqueItems": true}"#, #"[1, "1", true]"#),
        KeywordCase(#"{"uniqueItems": true}"#, "[1, 2, 1.0, 2]", [
            "[2]: duplicates [0]; items must be unique",
            "[3]: duplicates [1]; items must be unique",
        ]),
        KeywordCase(#"{"uniqueItems": true}"#, #"[{"a": 1, "b": 2}, {"b": 2, "a": 1}]"#, ["[1]: duplicates [0]; items must be unique"]),
        KeywordCase(#"{"uniqueItems": false}"#, "[1, 1]"),
        KeywordCase(#"{"contains": {"type": "string"}}"#, #"[1, "a"]"#),
        KeywordCase(#"{"contains": {"type": "string"}}"#, "[1, 2]", ["(root): must contain at least one matching item"]),
        KeywordCase(#"{"contains": {"type": "string"}, "minContains": 0}"#, "[]"),
        KeywordCase(#"{"contains": {"type": "string"}, "minContains": 2}"#, #"["a", 1]"#,
                    ["(root): must contain at least 2 matching items, got 1"]),
        KeywordCase(#"{"contains": {"type": "string"}, "maxContains": 1}"#, #"["a", "b"]"#,
                    ["(root): must contain at most 1 matching item, got 2"]),
        KeywordCase(#"{"minContains": 2}"#, "[]"),
    ])
    func arrays(_ item: KeywordCase) throws {
        #expect(try problems(item.schema, item.instance) == item.expected)
    }

    @Test(arguments: [
        KeywordCase(#"{"properties": {"port": {"type": "integer"}}}"#, #"{"port": "80"}"#, ["port: expected integer, got string"]),
        KeywordCase(#"{"required": ["code", "weights"]}"#, #"{"code": "MIT"}"#, ["weights: required property is missing"]),
        KeywordCase(#"{"required": ["a"]}"#, "[]"),
        KeywordCase(#"{"properties": {"image": {}}, "additionalProperties": false}"#, #"{"imag": "x"}"#, ["imag: unknown property"]),
        KeywordCase(#"{"additionalProperties": {"type": "string"}}"#, #"{"a b": 1}"#, [#"["a b"]: expected string, got integer 1"#]),
        KeywordCase(#"{"patternProperties": {"^x-": {"type": "string"}}, "additionalProperties": false}"#, #"{"x-a": "s", "pre-x-": 1}"#,
                    [#"pre-x-: unknown property"#]),
        KeywordCase(#"{"patternProperties": {"-": {"type": "string"}}}"#, #"{"a-b": 2}"#, ["a-b: expected string, got integer 2"]),
        KeywordCase(#"{"propertyNames": {"pattern": "^[a-z]+$"}}"#, #"{"ok": 1, "Bad": 2}"#,
                    [#"Bad: invalid property name: does not match pattern ^[a-z]+$, got "Bad""#]),
        KeywordCase(#"{"propertyNames": {"maxLength": 2}}"#, #"{"abc": 1}"#,
                    ["abc: invalid property name: must be at most 2 characters long, got 3"]),
        KeywordCase(#"{"minProperties": 1}"#, "{}", ["(root): must have at least 1 property, got 0"]),
        KeywordCase(#"{"maxProperties": 1}"#, #"{"decode": {}, "resize": {}}"#, ["(root): must have at most 1 property, got 2"]),
        KeywordCase(#"{"dependentRequired": {"paper": ["url"]}}"#, #"{"paper": "p"}"#,
                    ["url: required property is missing (required when paper is present)"]),
        KeywordCase(#"{"dependentRequired": {"paper": ["url"]}}"#, #"{"url": "u"}"#),
        KeywordCase(#"{"properties": {"secret": false}}"#, #"{"secret": 1}"#, ["secret: is not allowed"]),
    ])
    func objects(_ item: KeywordCase) throws {
        #expect(try problems(item.schema, item.instance) == item.expected)
    }

    @Test(arguments: [
        KeywordCase("true", #"{"anything": [1]}"#),
        KeywordCase("false", "1", ["(root): is not allowed"]),
        KeywordCase(#"{"allOf": [{"minimum": 2}, {"multipleOf": 2}]}"#, "3", ["(root): must be a multiple of 2, got 3"]),
        KeywordCase(#"{"allOf": [{"minimum": 4}, {"multipleOf": 2}]}"#, "3",
                    ["(root): must be at least 4, got 3", "(root): must be a multiple of 2, got 3"]),
        KeywordCase(#"{"anyOf": [{"type": "string"}, {"type": "null"}]}"#, "null"),
        KeywordCase(#"{"anyOf": [{"type": "string"}, {"type": "null"}]}"#, "3", ["(root): expected string or null, got integer 3"]),
        KeywordCase(#"{"oneOf": [{"type": "integer"}, {"minimum": 0}]}"#, "-1"),
        KeywordCase(#"{"oneOf": [{"type": "integer"}, {"minimum": 0}]}"#, "1",
                    ["(root): must match exactly one of the allowed forms, but matches 2 of them"]),
        KeywordCase(#"{"oneOf": [{"minimum": 5}, {"maximum": 0}]}"#, "3", ["(root): does not match any of the allowed forms"]),
        KeywordCase(#"{"not": {"required": ["legacy"]}}"#, #"{"legacy": 1}"#, [#"(root): must not match the schema given under "not""#]),
        KeywordCase(#"{"not": {"required": ["legacy"]}}"#, "{}"),
        KeywordCase(#"{"if": {"properties": {"api": {"const": "max"}}}, "then": {"required": ["health"]}, "else": {"required": ["port"]}}"#,
                    #"{"api": "max"}"#, ["health: required property is missing"]),
        KeywordCase(#"{"if": {"properties": {"api": {"const": "max"}}}, "then": {"required": ["health"]}, "else": {"required": ["port"]}}"#,
                    #"{"api": "oip-v2"}"#, ["port: required property is missing"]),
        KeywordCase(#"{"then": {"required": ["x"]}}"#, "{}"),
    ])
    func applicators(_ item: KeywordCase) throws {
        #expect(try problems(item.schema, item.instance) == item.expected)
    }
}

@Suite("JSONSchema: messages and paths", .onTestThreads)
struct JSONSchemaMessageTests {
    static let manifestLike = #"""
        {
          "type": "object",
          "required": ["name", "version", "license", "inputs"],
          "additionalProperties": false,
          "properties": {
            "name": {"type": "string", "pattern": "^[a-z0-9][a-z0-9._-]{0,63}$"},
            "version": {"type": "string", "pattern": "^(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)$",
                        "x-expected": "a SemVer 2.0.0 version such as 1.2.0"},
            "task": {"enum": ["image-classification", "object-detection", "text-generation"]},
            "license": {"type": "object", "required": ["code", "weights"],
                        "properties": {"code": {"type": "string"}, "weights": {"type": "string"}}},
            "authors": {"type": "array", "minItems": 1, "items": {"anyOf": [
              {"type": "string"},
              {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}, "email": {"type": "string"}}}
            ]}},
            "inputs": {"type": "array", "items": {"type": "object", "properties": {"shape": {"type": "array", "items": {"type": "integer"}}}}},
            "serving": {"type": "object", "anyOf": [{"required": ["image"]}, {"required": ["command"]}],
                        "properties": {"port": {"type": "integer", "minimum": 1, "maximum": 65535}, "image": {"type": "string"},
                                       "command": {"type": "array"}},
                        "additionalProperties": false},
            "files": {"type": "object", "additionalProperties": {"type": "integer"}}
          }
        }
        """#

    private func check(_ yaml: String) throws -> [String] {
        try makeSchema(Self.manifestLike).validate(JSONValue(yaml: yaml)).map(\.description)
    }

    @Test func reportsEveryProblemInTheOrderOfTheDocument() throws {
        let found = try check("""
            name: Bad Name
            version: '1.2'
            task: foo
            license: {code: MIT}
            inputs:
              - shape: x
              - shape: [1, 2.5]
            serving: {port: 70000, imag: x, image: y}
            files: {"a b": "big"}
            """)
        #expect(found == [
            #"name: does not match pattern ^[a-z0-9][a-z0-9._-]{0,63}$, got "Bad Name""#,
            #"version: expected a SemVer 2.0.0 version such as 1.2.0, got "1.2""#,
            #"task: must be one of image-classification, object-detection, text-generation, got "foo""#,
            "license.weights: required property is missing",
            "inputs[0].shape: expected array, got string",
            "inputs[1].shape[1]: expected integer, got number 2.5",
            "serving.port: must be at most 65535, got 70000",
            "serving.imag: unknown property",
            #"files["a b"]: expected integer, got string"#,
        ])
    }

    @Test func missingRequiredPropertiesComeAfterThePresentOnes() throws {
        #expect(try check("inputs: []\nlicense: {code: 1, weights: MIT}") == [
            "license.code: expected string, got integer 1",
            "name: required property is missing",
            "version: required property is missing",
        ])
    }

    @Test func theRootItself() throws {
        #expect(try check("") == ["(root): expected object, got null"])
        #expect(try check("- a") == ["(root): expected object, got array"])
    }

    @Test func anyOfReportsTheBranchTheInstanceMeant() throws {
        let base = "name: a\nversion: 1.0.0\nlicense: {code: a, weights: b}\ninputs: []\n"
        #expect(try check(base + "authors: [ada, {email: e}]") == ["authors[1].name: required property is missing"])
        #expect(try check(base + "authors: [ada, {name: 5}]") == ["authors[1].name: expected string, got integer 5"])
        #expect(try check(base + "authors: [7]") == ["authors[0]: expected string or object, got integer 7"])
        #expect(try check(base + "serving: {port: 80}") == [
            "serving.command: required property is missing (at least one of image, command is required)",
        ])
    }

    @Test func violationsCarryTheirParts() throws {
        let violation = try #require(makeSchema(Self.manifestLike).validate(JSONValue(yaml: "name: a\nversion: 1\nlicense: {}\ninputs: []")).first)
        #expect(violation.location == ["version"])
        #expect(violation.path == "version")
        #expect(violation.message == "expected string, got integer 1")
        #expect(violation.keyword == "type")
        #expect(violation.schemaLocation == "#/properties/version/type")
        #expect(violation.description == "version: expected string, got integer 1")
    }

    @Test func listsLongEnumsInPart() throws {
        let values = (1...45).map { "\"v\($0)\"" }.joined(separator: ", ")
        let found = try problems("{\"enum\": [\(values)]}", #""x""#)
        #expect(found.count == 1)
        #expect(found.first?.hasSuffix(#"v40, … (5 more), got "x""#) == true)
    }

    @Test func showsLongValuesShortened() throws {
        let long = String(repeating: "x", count: 200)
        let found = try problems(#"{"maxLength": 3}"#, "\"\(long)\"")
        #expect(found == ["(root): must be at most 3 characters long, got 200"])
        let pattern = try problems(#"{"pattern": "^a"}"#, "\"\(long)\"")
        #expect(pattern.first?.hasSuffix("…") == true)
        #expect((pattern.first?.count ?? 0) < 120)
    }

    @Test func isDeterministic() throws {
        let schema = try makeSchema(Self.manifestLike)
        let instance = try JSONValue(yaml: "zz: 1\nyy: 2\nname: 3\nserving: {b: 1, a: 2}\nversion: x")
        let first = schema.validate(instance)
        for _ in 0..<5 {
            #expect(schema.validate(instance) == first)
        }
        #expect(first.map(\.path) == ["zz", "yy", "name", "serving.b", "serving.a", "serving.command", "version", "license", "inputs"])
    }
}

@Suite("JSONSchema: loading", .onTestThreads)
struct JSONSchemaLoadingTests {
    @Test(arguments: [
        ("unevaluatedProperties", #"{"unevaluatedProperties": false}"#),
        ("dependentSchemas", #"{"properties": {"a": {"dependentSchemas": {}}}}"#),
        ("$anchor", #"{"$defs": {"a": {"$anchor": "x"}}}"#),
        ("$dynamicRef", ##"{"items": {"$dynamicRef": "#x"}}"##),
        ("additionalItems", #"{"additionalItems": false}"#),
        ("unknownThing", #"{"allOf": [{"unknownThing": 1}]}"#),
        ("contentMediaType", #"{"contentMediaType": "text/plain"}"#),
        ("dependencies", #"{"dependencies": {}}"#),
    ])
    func refusesKeywordsItDoesNotImplement(_ keyword: String, _ text: String) {
        do {
            _ = try makeSchema(text)
            Issue.record("\(keyword) should be refused")
        } catch let error as JSONSchemaError {
            guard case .unsupportedKeyword(let found, _) = error else {
                Issue.record("unexpected error \(error)")
                return
            }
            #expect(found == keyword)
            #expect(error.description.contains("unsupported keyword"))
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func namesWhereTheUnsupportedKeywordIs() {
        #expect(throws: JSONSchemaError.unsupportedKeyword("unevaluatedProperties", at: "#/properties/a~1b/items")) {
            try makeSchema(#"{"properties": {"a/b": {"items": {"unevaluatedProperties": false}}}}"#)
        }
    }

    @Test func acceptsAnnotationsAndExtensions() throws {
        let schema = try makeSchema(#"""
            {
              "$schema": "https://json-schema.org/draft/2020-12/schema",
              "$id": "https://example.org/manifest.schema.json",
              "$comment": "c", "title": "t", "description": "d", "examples": [{"unknownThing": 1}],
              "default": {}, "deprecated": false, "readOnly": false, "writeOnly": false,
              "x-anything": {"unevaluatedProperties": false},
              "properties": {"url": {"type": "string", "format": "uri"}}
            }
            """#)
        #expect(schema.isValid(["url": "not a uri"]))
    }

    @Test func refusesOtherDialectsAndEmbeddedIDs() {
        #expect(throws: JSONSchemaError.unsupportedDialect("http://json-schema.org/draft-07/schema#")) {
            try makeSchema(#"{"$schema": "http://json-schema.org/draft-07/schema#"}"#)
        }
        #expect(throws: JSONSchemaError.embeddedID(at: "#/$defs/a")) { try makeSchema(#"{"$defs": {"a": {"$id": "other.json"}}}"#) }
    }

    @Test(arguments: [
        #"{"type": "strin"}"#, #"{"type": []}"#, #"{"type": ["string", "string"]}"#, #"{"minLength": -1}"#, #"{"minLength": 1.5}"#,
        #"{"maxItems": "2"}"#, #"{"required": "name"}"#, #"{"required": [1]}"#, #"{"enum": "a"}"#, #"{"multipleOf": 0}"#,
        #"{"minimum": "1"}"#, #"{"uniqueItems": 1}"#, #"{"anyOf": []}"#, #"{"allOf": {}}"#, #"{"properties": []}"#,
        #"{"items": 1}"#, #"{"pattern": "("}"#, #"{"patternProperties": {"[": {}}}"#, #"{"$ref": 1}"#, "[]", "1", "null",
        #"{"dependentRequired": {"a": "b"}}"#,
    ])
    func refusesMalformedKeywordValues(_ text: String) {
        #expect(throws: JSONSchemaError.self) { try makeSchema(text) }
    }

    @Test func refusesSchemasNestedTooDeeply() throws {
        let nested = { (depth: Int) in String(repeating: #"{"items": "#, count: depth) + "true" + String(repeating: "}", count: depth) }
        #expect(try makeSchema(nested(40)).isValid([]))
        #expect(throws: JSONSchemaError.self) { try makeSchema(nested(100)) }
    }

    @Test func loadsFromJSONData() throws {
        let schema = try JSONSchema(json: Data(#"{"type": "integer"}"#.utf8))
        #expect(schema.isValid(5))
        #expect(schema.document == ["type": "integer"])
        #expect(throws: JSONSchemaError.self) { try JSONSchema(json: Data("{".utf8)) }
    }
}

@Suite("JSONSchema: references", .onTestThreads)
struct JSONSchemaReferenceTests {
    @Test func resolvesDefinitions() throws {
        let text = #"""
            {
              "$defs": {"semver": {"type": "string", "pattern": "^\\d+\\.\\d+\\.\\d+$"}, "a/b~c": {"minimum": 3}, "x y": {"minimum": 3}},
              "properties": {
                "version": {"$ref": "#/$defs/semver"},
                "count": {"$ref": "#/$defs/a~1b~0c"},
                "other": {"$ref": "#/$defs/x%20y"},
                "first": {"$ref": "#/properties/count"}
              }
            }
            """#
        #expect(try problems(text, #"{"version": "1.2.0", "count": 3}"#) == [])
        #expect(try problems(text, #"{"version": "1.2", "count": 1, "other": 2, "first": 0}"#) == [
            #"version: does not match pattern ^\d+\.\d+\.\d+$, got "1.2""#,
            "count: must be at least 3, got 1",
            "other: must be at least 3, got 2",
            "first: must be at least 3, got 0",
        ])
    }

    @Test func appliesSiblingsOfARef() throws {
        let text = ##"{"$defs": {"s": {"type": "string"}}, "$ref": "#/$defs/s", "minLength": 2}"##
        #expect(try problems(text, #""a""#) == ["(root): must be at least 2 characters long, got 1"])
        #expect(try problems(text, "1") == ["(root): expected string, got integer 1"])
    }

    @Test func followsRecursiveReferencesIntoTheInstance() throws {
        let tree = ##"{"type": "object", "properties": {"value": {"type": "integer"}, "children": {"type": "array", "items": {"$ref": "#"}}}}"##
        #expect(try problems(tree, #"{"value": 1, "children": [{"value": 2, "children": []}]}"#) == [])
        #expect(try problems(tree, #"{"children": [{"children": [{"value": "x"}]}]}"#) == [
            "children[0].children[0].value: expected integer, got string",
        ])
    }

    @Test func resolvesReferencesThroughTheRootID() throws {
        let text = #"""
            {"$id": "https://example.org/s.json", "$defs": {"n": {"type": "null"}}, "items": {"$ref": "https://example.org/s.json#/$defs/n"}}
            """#
        #expect(try problems(text, "[null, 1]") == ["[1]: expected null, got integer 1"])
    }

    @Test(arguments: [
        ##"{"$ref": "#/$defs/missing"}"##, #"{"$ref": "other.json"}"#, #"{"$ref": "https://example.org/x.json#/a"}"#,
        ##"{"$ref": "#anchor"}"##, ##"{"$ref": "#/type", "type": "string"}"##, ##"{"$ref": "#/allOf/5", "allOf": [{}]}"##,
    ])
    func refusesReferencesItCannotResolve(_ text: String) {
        #expect(throws: JSONSchemaError.self) { try makeSchema(text) }
    }

    @Test(arguments: [
        ##"{"$ref": "#"}"##,
        ##"{"$defs": {"a": {"$ref": "#/$defs/b"}, "b": {"allOf": [{"$ref": "#/$defs/a"}]}}, "properties": {"x": {"$ref": "#/$defs/a"}}}"##,
        ##"{"anyOf": [{"type": "string"}, {"not": {"$ref": "#"}}]}"##,
    ])
    func refusesCyclesThatNeverDescend(_ text: String) {
        #expect(throws: JSONSchemaError.self) { try makeSchema(text) }
    }

    @Test func ignoresCyclesValidationNeverReaches() throws {
        let schema = try makeSchema(##"{"$defs": {"loop": {"$ref": "#/$defs/loop"}}, "type": "integer"}"##)
        #expect(schema.isValid(1))
    }
}

@Suite("JSONSchema: robustness", .onTestThreads)
struct JSONSchemaRobustnessTests {
    @Test func survivesOddInstances() throws {
        let schema = try makeSchema(#"""
            {"type": ["object", "array", "number"], "minimum": 0, "multipleOf": 0.5, "uniqueItems": true,
             "items": {"$ref": "#"}, "additionalProperties": {"$ref": "#"}, "maxLength": 1}
            """#)
        let nested = { (depth: Int) in String(repeating: "[", count: depth) + String(repeating: "]", count: depth) }
        #expect(schema.isValid(try JSONValue(jsonString: nested(100))))
        let tooDeep = schema.validate(try JSONValue(jsonString: nested(500)))
        #expect(tooDeep.count == 1)
        #expect(tooDeep.first?.message == "is nested too deeply to validate")
        #expect(tooDeep.first?.location.components.count == 150)
        #expect(!schema.isValid(.float(.nan)))
        #expect(!schema.isValid(.float(.infinity)))
        #expect(schema.isValid(.float(-0.0)))
        #expect(!schema.isValid(.integer(Int64.min)))
        #expect(schema.isValid(.integer(Int64.max - 1) ))
        #expect(schema.validate(.array([.float(.nan), .float(.nan)])).count == 2)
    }

    @Test func keepsIntegerArithmeticSafe() throws {
        #expect(try problems(#"{"multipleOf": 9223372036854775807}"#, "-9223372036854775808") == [
            "(root): must be a multiple of 9223372036854775807, got -9223372036854775808",
        ])
        #expect(try problems(#"{"maxLength": 1e300}"#, #""abc""#) == [])
    }
}
