import Foundation

/// A JSON document held in memory: what a manifest is before it is decoded into types.
///
/// Integers stay exact (`Int64`), floats stay `Double`, object keys keep their order. Equality is
/// JSON Schema's: `1 == 1.0`, `true != 1`, objects compare without regard to key order.
/// Parse it from JSON (``init(json:)``) or YAML (``init(yaml:)``), write it back with
/// ``jsonData(sortedKeys:prettyPrinted:)``, and bridge it to `Codable` types with
/// ``decode(_:)`` and ``init(encoding:)``.
public enum JSONValue: Hashable, Sendable {
    case null
    case bool(Bool)
    case number(JSONNumber)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    /// An integer number.
    public static func integer(_ value: Int64) -> JSONValue { .number(.integer(value)) }

    /// A float number (kept as a float when serialized: `1.0`).
    public static func float(_ value: Double) -> JSONValue { .number(.float(value)) }

    /// The JSON Schema name of the value's type: `null`, `boolean`, `integer` (whole numbers,
    /// `1.0` included), `number`, `string`, `array` or `object`.
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .number(let number): number.isWholeNumber ? "integer" : "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }

    /// Whether the value is `null`.
    public var isNull: Bool { self == .null }

    /// The value if it is a boolean.
    public var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    /// The value if it is a number.
    public var numberValue: JSONNumber? {
        if case .number(let value) = self { return value }
        return nil
    }

    /// The value if it is a whole number that fits in 64 bits (`5` and `5.0`).
    public var int64Value: Int64? { numberValue?.int64Value }

    /// The value as a `Double` if it is a number.
    public var doubleValue: Double? { numberValue?.doubleValue }

    /// The value if it is a string.
    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The elements if the value is an array.
    public var arrayValue: [JSONValue]? {
        if case .array(let value) = self { return value }
        return nil
    }

    /// The members if the value is an object.
    public var objectValue: JSONObject? {
        if case .object(let value) = self { return value }
        return nil
    }

    /// The member with this key, if the value is an object that has it.
    public subscript(key: String) -> JSONValue? {
        objectValue?[key]
    }

    /// The element at this index, if the value is an array that long.
    public subscript(index: Int) -> JSONValue? {
        guard case .array(let elements) = self, elements.indices.contains(index) else { return nil }
        return elements[index]
    }

    /// The value at a path, if every step exists.
    public subscript(path: JSONPath) -> JSONValue? {
        var current: JSONValue? = self
        for component in path.components {
            switch component {
            case .key(let key): current = current?[key]
            case .index(let index): current = current?[index]
            }
        }
        return current
    }
}

extension JSONValue: ExpressibleByNilLiteral {
    public init(nilLiteral: ()) { self = .null }
}

extension JSONValue: ExpressibleByBooleanLiteral {
    public init(booleanLiteral value: Bool) { self = .bool(value) }
}

extension JSONValue: ExpressibleByIntegerLiteral {
    public init(integerLiteral value: Int64) { self = .number(.integer(value)) }
}

extension JSONValue: ExpressibleByFloatLiteral {
    public init(floatLiteral value: Double) { self = .number(.float(value)) }
}

extension JSONValue: ExpressibleByStringLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
}

extension JSONValue: ExpressibleByArrayLiteral {
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
}

extension JSONValue: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, JSONValue)...) { self = .object(JSONObject(elements)) }
}

extension JSONValue: CustomStringConvertible {
    /// Compact JSON (`{"a":[1,2.5,"x"]}`); non-finite floats print as `NaN`, `Infinity` or `-Infinity`.
    public var description: String {
        var output = ""
        JSONWriter(sortedKeys: false, prettyPrinted: false, allowNonFinite: true).write(self, into: &output)
        return output
    }
}
