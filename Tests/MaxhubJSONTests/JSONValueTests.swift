import Foundation
import MaxhubJSON
import MaxhubTestSupport
import Testing

/// The JSON text of a value, for checks that care about `1` versus `1.0` (which compare equal).
private func json(_ value: JSONValue, sorted: Bool = false) throws -> String {
    try value.jsonString(sortedKeys: sorted)
}

private func parse(_ text: String) throws -> JSONValue {
    try JSONValue(jsonString: text)
}

@Suite("JSONValue: JSON", .onTestThreads)
struct JSONValueJSONTests {
    @Test func keepsIntegersFloatsAndBooleansApart() throws {
        let value = try parse(#"{"i": 1, "f": 1.0, "e": 1e3, "t": true, "z": 0, "n": null, "neg": -7}"#)
        #expect(value["i"] == .integer(1))
        #expect(value["f"] == .float(1.0))
        #expect(value["t"] == .bool(true))
        #expect(value["z"] == .integer(0))
        #expect(value["n"] == .null)
        #expect(value["i"]?.numberValue == .integer(1))
        if case .number(.float(let double)) = value["f"] {
            #expect(double == 1.0)
        } else {
            Issue.record("1.0 should stay a float")
        }
        #expect(try json(value) == #"{"i":1,"f":1.0,"e":1000.0,"t":true,"z":0,"n":null,"neg":-7}"#)
    }

    /// A key given twice is refused (ManifestJSONFuzz found Foundation's decoder keeping another value than this reader).
    @Test func keepsKeyOrderAndRefusesRepeatedKeys() throws {
        let value = try parse(#"{"b": 1, "a": 2, "c": {"b": 3}}"#)
        #expect(value.objectValue?.keys == ["b", "a", "c"])
        #expect(try json(value, sorted: true) == #"{"a":2,"b":1,"c":{"b":3}}"#)
        #expect(throws: (any Error).self) { try parse(#"{"b": 1, "a": 2, "b": 3}"#) }
        #expect(throws: (any Error).self) { try parse(#"{"x": {"description": "a", "description": "b"}}"#) }
    }

    @Test func readsEscapesAndUnicode() throws {
        let value = try parse(#"["a\"b\\c\/d\n\t", "\u00e9\ud83d\ude00", "é😀", "\ud800x"]"#)
        #expect(value[0] == "a\"b\\c/d\n\t")
        #expect(value[1] == "é😀")
        #expect(value[2] == "é😀")
        #expect(value[3] == "\u{FFFD}x")
    }

    @Test func largeIntegersBecomeFloats() throws {
        #expect(try parse("9223372036854775807") == .integer(Int64.max))
        #expect(try parse("-9223372036854775808") == .integer(Int64.min))
        #expect(try json(parse("9223372036854775808")) == "9.223372036854776e+18")
    }

    @Test(arguments: [
        "", "{", "[1,]", "{\"a\" 1}", "01", "1.", ".5", "+1", "NaN", "Infinity", "tru", "\"a\nb\"", "\"\\x\"", "[1] 2", "{'a': 1}",
    ])
    func rejectsInvalidJSON(_ text: String) {
        #expect(throws: JSONValueError.self) { try parse(text) }
    }

    @Test func reportsWhereParsingStopped() {
        #expect(throws: JSONValueError.invalidJSON(offset: 3, reason: "expected ',' or ']' in an array")) {
            try parse("[1 2]")
        }
    }

    @Test func skipsAByteOrderMarkAndRejectsBadUTF8() throws {
        #expect(try JSONValue(json: Data([0xEF, 0xBB, 0xBF] + Array("[1]".utf8))) == [1])
        #expect(throws: JSONValueError.self) { try JSONValue(json: Data([0x22, 0xFF, 0x22])) }
    }

    @Test func limitsNesting() throws {
        let deep = String(repeating: "[", count: 600) + String(repeating: "]", count: 600)
        #expect(throws: JSONValueError.self) { try parse(deep) }
        let fine = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect(try parse(fine).arrayValue?.count == 1)
    }

    @Test func writesPrettyJSON() throws {
        let value: JSONValue = ["name": "digits", "shape": [1, 64], "empty": [:], "none": [], "ratio": 0.5]
        let text = try value.jsonString(prettyPrinted: true)
        #expect(text == """
            {
              "name": "digits",
              "shape": [
                1,
                64
              ],
              "empty": {},
              "none": [],
              "ratio": 0.5
            }
            """)
    }

    @Test func escapesControlCharactersOnly() throws {
        let value: JSONValue = .string("a\"b\\c\u{01}\n/é")
        #expect(try json(value) == #""a\"b\\c\u0001\n/é""#)
    }

    @Test func roundTripsThroughText() throws {
        let text = #"{"a":[1,2.5,-0.001,1e-05,true,false,null,"x"],"b":{"c":{}},"d":12345678901234}"#
        #expect(try json(parse(text)) == text)
        #expect(try parse(text).jsonData() == Data(text.utf8))
    }

    @Test func refusesToWriteNonFiniteNumbers() {
        let value: JSONValue = ["a": [1, .float(.infinity)]]
        #expect(throws: JSONValueError.nonFiniteNumber(path: ["a", 1])) { try value.jsonData() }
        #expect(value.description == #"{"a":[1,Infinity]}"#)
    }
}

@Suite("JSONValue: equality and numbers", .onTestThreads)
struct JSONValueEqualityTests {
    @Test func wholeFloatsEqualIntegersButBooleansDoNot() {
        #expect(JSONValue.integer(1) == .float(1.0))
        #expect(JSONValue.bool(true) != .integer(1))
        #expect(JSONValue.bool(false) != .integer(0))
        #expect(JSONValue.integer(1) != .float(1.5))
        #expect(Set<JSONValue>([.integer(1), .float(1.0), .float(-0.0), .integer(0)]).count == 2)
        #expect(JSONValue.array([1, ["a": 2]]) == .array([.float(1), ["a": .float(2)]]))
    }

    @Test func comparesNumbersExactly() {
        #expect(JSONNumber.integer(9_007_199_254_740_993) != .float(9_007_199_254_740_992))
        #expect(JSONNumber.integer(9_007_199_254_740_993) > .float(9_007_199_254_740_992))
        #expect(JSONNumber.integer(Int64.max) < .float(9.3e18))
        #expect(JSONNumber.integer(2) < .float(2.5))
        #expect(JSONNumber.float(-2.5) < .integer(-2))
        #expect(JSONNumber.float(1e300).isWholeNumber)
        #expect(!JSONNumber.float(.infinity).isWholeNumber)
        #expect(JSONNumber.float(3.0).int64Value == 3)
        #expect(JSONNumber.float(3.5).int64Value == nil)
    }

    @Test func objectsCompareWithoutRegardToOrder() throws {
        #expect(try parse(#"{"a":1,"b":2}"#) == parse(#"{"b":2,"a":1}"#))
        #expect(try parse(#"{"a":1}"#) != parse(#"{"a":1,"b":2}"#))
    }

    @Test func objectKeepsPositionWhenAKeyIsReplaced() {
        var object: JSONObject = ["x": 1, "y": 2]
        object["x"] = 3
        object["z"] = 4
        #expect(object.keys == ["x", "y", "z"])
        object["y"] = nil
        #expect(object.keys == ["x", "z"])
        #expect(object.map(\.key) == ["x", "z"])
        #expect(object.position(of: "z") == 1)
    }

    @Test func typeNamesFollowJSONSchema() {
        #expect(JSONValue.float(2.0).typeName == "integer")
        #expect(JSONValue.float(2.5).typeName == "number")
        #expect(JSONValue.bool(true).typeName == "boolean")
        #expect(JSONValue.null.typeName == "null")
    }
}

@Suite("JSONValue: paths", .onTestThreads)
struct JSONValuePathTests {
    @Test(arguments: [
        (JSONPath.root, "(root)"),
        (["name"], "name"),
        (["source", "url"], "source.url"),
        (["inputs", 0, "shape"], "inputs[0].shape"),
        (["files", "a b"], #"files["a b"]"#),
        (["x.y"], #"["x.y"]"#),
        (["9lives", "ok_key", "x-expected"], #"["9lives"].ok_key.x-expected"#),
        ([0, 1], "[0][1]"),
        (["quote\"d"], #"["quote\"d"]"#),
        ([""], #"[""]"#),
    ] as [(JSONPath, String)])
    func readsForPeople(_ path: JSONPath, _ text: String) {
        #expect(path.description == text)
    }

    @Test func findsValuesByPath() throws {
        let value = try parse(#"{"inputs": [{"shape": [1, 64]}]}"#)
        #expect(value[["inputs", 0, "shape", 1]] == 64)
        #expect(value[["inputs", 1]] == nil)
    }
}

@Suite("JSONValue: YAML", .onTestThreads)
struct JSONValueYAMLTests {
    /// Each plain scalar and what PyYAML's `yaml.safe_load` makes of it, written as JSON.
    @Test(arguments: [
        ("1", "1"), ("-7", "-7"), ("+12", "12"), ("1_000", "1000"), ("0x1F", "31"), ("017", "15"), ("0b101", "5"), ("1:30", "90"),
        ("1.0", "1.0"), ("0.96", "0.96"), ("-1.5", "-1.5"), (".5", "0.5"), ("1.e-3", "0.001"), ("1.0e+5", "100000.0"),
        ("65535.0", "65535.0"), ("1:30.5", "90.5"),
        ("1e5", #""1e5""#), ("1.0e5", #""1.0e5""#), ("0o17", #""0o17""#), ("08", #""08""#), ("1.2.0", #""1.2.0""#),
        ("1.0.0-alpha+001", #""1.0.0-alpha+001""#), ("v1", #""v1""#), ("'1.0'", #""1.0""#), ("\"1\"", #""1""#),
        ("'true'", #""true""#), ("'null'", #""null""#), ("'*'", #""*""#), ("^1.2", #""^1.2""#),
        ("true", "true"), ("True", "true"), ("TRUE", "true"), ("yes", "true"), ("on", "true"),
        ("false", "false"), ("No", "false"), ("off", "false"), ("y", #""y""#), ("n", #""n""#),
        ("null", "null"), ("Null", "null"), ("NULL", "null"), ("~", "null"), ("", "null"), ("nul", #""nul""#),
        ("!!str 1", #""1""#), ("!!int '7'", "7"), ("!!float 1", "1.0"), ("!!bool yes", "true"), ("!!null ''", "null"),
        ("9223372036854775807", "9223372036854775807"), ("-9223372036854775808", "-9223372036854775808"),
        ("9223372036854775808", "9.223372036854776e+18"), ("2024-01-01", #""2024-01-01""#),
    ])
    func resolvesScalarsLikePyYAML(_ yaml: String, _ expected: String) throws {
        let value = try JSONValue(yaml: "a: \(yaml)")
        #expect(try json(value["a"] ?? "missing") == expected)
    }

    @Test func readsNonFiniteFloats() throws {
        let value = try JSONValue(yaml: "a: .inf\nb: -.Inf\nc: .nan")
        #expect(value["a"]?.doubleValue == .infinity)
        #expect(value["b"]?.doubleValue == -.infinity)
        #expect(value["c"]?.doubleValue?.isNaN == true)
    }

    @Test func readsAManifest() throws {
        let value = try JSONValue(yaml: """
            name: digits-classifier
            version: 1.2.0
            license: {code: Apache-2.0, weights: Apache-2.0}
            framework: { name: onnxruntime, version: ">=1.16 <2" }
            inputs:
              - { name: image, shape: [1, 64], processing: [ { resize: { dimensions: [8, 8] } } ] }
            claims:
              - { metric: accuracy, value: 0.96 }
            serving:
              port: 5000
              command: [python3, serve.py]
            description: |
              Handwritten digits.
            readme: README.md
            """)
        #expect(value.objectValue?.keys == [
            "name", "version", "license", "framework", "inputs", "claims", "serving", "description", "readme",
        ])
        #expect(value["version"] == "1.2.0")
        #expect(value["framework"]?["version"] == ">=1.16 <2")
        #expect(value[["inputs", 0, "shape"]] == [1, 64])
        #expect(try json(value[["claims", 0, "value"]] ?? .null) == "0.96")
        #expect(try json(value[["serving", "port"]] ?? .null) == "5000")
        #expect(value["description"] == "Handwritten digits.\n")
    }

    @Test func emptyAndCommentOnlyDocumentsAreNull() throws {
        #expect(try JSONValue(yaml: "") == .null)
        #expect(try JSONValue(yaml: "# nothing here\n") == .null)
        #expect(try JSONValue(yaml: "[1, two]") == [1, "two"])
        #expect(try JSONValue(yaml: "42") == 42)
    }

    @Test func followsAnchorsAliasesAndMergeKeys() throws {
        let value = try JSONValue(yaml: """
            base: &base {x: 1, y: 2}
            list: &list [a, b]
            copy: *list
            derived:
              <<: *base
              y: 3
            many:
              <<: [{a: 1, b: 1}, {b: 2, c: 2}]
              c: 3
            """)
        #expect(value["copy"] == ["a", "b"])
        #expect(value["derived"] == ["x": 1, "y": 3])
        #expect(value["derived"]?.objectValue?.keys == ["x", "y"])
        #expect(value["many"] == ["a": 1, "b": 1, "c": 3])
    }

    @Test func refusesDuplicateKeys() {
        #expect(throws: JSONValueError.duplicateYAMLKeys(["name"], line: 1)) {
            try JSONValue(yaml: "name: a\nversion: 1.0.0\nname: b\n")
        }
        #expect(throws: JSONValueError.self) { try JSONValue(yaml: "a: 1\n'a': 2\n") }
    }

    @Test func refusesKeysThatAreNotStrings() throws {
        #expect(throws: JSONValueError.nonStringYAMLKey(path: ["serving", "ports"], key: "integer 80")) {
            try JSONValue(yaml: "serving:\n  ports:\n    80: http\n")
        }
        #expect(throws: JSONValueError.nonStringYAMLKey(path: .root, key: "boolean true")) { try JSONValue(yaml: "on: push") }
        #expect(throws: JSONValueError.nonStringYAMLKey(path: .root, key: "null")) { try JSONValue(yaml: "~: x") }
        #expect(throws: JSONValueError.nonStringYAMLKey(path: ["a"], key: "a sequence")) { try JSONValue(yaml: "a: {[1]: x}") }
        #expect(try JSONValue(yaml: "'80': http\n\"true\": yes") == ["80": "http", "true": true])
    }

    @Test func refusesTagsWithoutAJSONMeaning() {
        #expect(throws: JSONValueError.unsupportedYAMLTag(path: ["a"], tag: "tag:yaml.org,2002:binary")) {
            try JSONValue(yaml: "a: !!binary aGVsbG8=")
        }
        #expect(throws: JSONValueError.self) { try JSONValue(yaml: "a: !custom x") }
        #expect(throws: JSONValueError.self) { try JSONValue(yaml: "a: !!set {x, y}") }
        #expect(throws: JSONValueError.invalidYAMLScalar(path: ["a"], value: "abc", tag: "integer")) {
            try JSONValue(yaml: "a: !!int abc")
        }
    }

    @Test func reportsSyntaxErrorsAndExtraDocuments() {
        #expect(throws: JSONValueError.self) { try JSONValue(yaml: "a: [1, 2") }
        #expect(throws: JSONValueError.self) { try JSONValue(yaml: "a: >=1.2 <<2") }
        #expect(throws: JSONValueError.self) { try JSONValue(yaml: "a: 1\n---\nb: 2\n") }
        #expect(throws: JSONValueError.self) { try JSONValue(yaml: "a: *nowhere") }
    }

    @Test func limitsNestingAliasChainsAndMergeDepth() throws {
        let deep = "a: " + String(repeating: "[", count: 600) + String(repeating: "]", count: 600)
        #expect(throws: JSONValueError.documentTooLarge(reason: "nesting deeper than 512 levels")) { try JSONValue(yaml: deep) }
        let fine = "a: " + String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect(try JSONValue(yaml: fine)["a"] != nil)

        var chain = "a0: &a0 [x]\n"
        for level in 1..<5_000 {
            chain += "a\(level): &a\(level) [*a\(level - 1)]\n"
        }
        #expect(throws: JSONValueError.documentTooLarge(reason: "more than 1000 aliases")) { try JSONValue(yaml: chain) }

        var merges = "m0: &m0 {x: 1}\n"
        for level in 1..<100 {
            merges += "m\(level): &m\(level) {<<: *m\(level - 1), k\(level): 1}\n"
        }
        #expect(throws: JSONValueError.documentTooLarge(reason: "merge keys (<<) nested deeper than 64 levels")) {
            try JSONValue(yaml: merges)
        }
    }

    @Test func stopsAliasBombs() {
        var yaml = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for level in 1...7 {
            let previous = "*a\(level - 1)"
            yaml += "a\(level): &a\(level) [\(Array(repeating: previous, count: 10).joined(separator: ", "))]\n"
        }
        #expect(throws: JSONValueError.self) { try JSONValue(yaml: yaml) }
    }
}

@Suite("JSONValue: Codable", .onTestThreads)
struct JSONValueCodableTests {
    struct Serving: Codable, Equatable {
        var api: String
        var port: Int
        var platforms: [String]?
    }

    @Test func decodesAndEncodesCodableTypes() throws {
        let value = try JSONValue(yaml: "api: max\nport: 5000\nplatforms: [linux/amd64]")
        #expect(try value.decode(Serving.self) == Serving(api: "max", port: 5000, platforms: ["linux/amd64"]))
        let encoded = try JSONValue(encoding: Serving(api: "oip-v2", port: 8080, platforms: nil))
        #expect(encoded == ["api": "oip-v2", "port": 8080])
    }

    @Test func decodingTheWrongShapeThrowsTheDecoderError() throws {
        let value: JSONValue = ["api": "max", "port": "5000"]
        #expect(throws: DecodingError.self) { try value.decode(Serving.self) }
    }

    @Test func isItselfCodable() throws {
        let value: JSONValue = ["a": [1, 2.5, true, nil, "x"], "b": [:]]
        let data = try JSONEncoder().encode(value)
        #expect(try JSONDecoder().decode(JSONValue.self, from: data) == value)
        #expect(try JSONValue(json: data) == value)
    }
}

