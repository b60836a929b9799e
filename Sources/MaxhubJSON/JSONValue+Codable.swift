import Foundation

extension JSONValue {
    /// Decodes a `Decodable` type from this value (through JSON, with a default `JSONDecoder`).
    ///
    /// Throws the decoder's `DecodingError` unchanged, or ``JSONValueError/nonFiniteNumber(path:)``.
    public func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try JSONDecoder().decode(type, from: jsonData())
    }

    /// The JSON value of an `Encodable` value (through JSON, with a default `JSONEncoder`).
    public init<T: Encodable>(encoding value: T) throws {
        try self.init(json: JSONEncoder().encode(value))
    }
}

extension JSONValue: Codable {
    /// Reads any JSON value. Through `JSONDecoder`, object keys lose their order and a whole float such
    /// as `1.0` comes back as the integer `1`; use ``init(json:)`` to keep both.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let bool = try? container.decode(Bool.self) {
            self = .bool(bool)
        } else if let integer = try? container.decode(Int64.self) {
            self = .integer(integer)
        } else if let double = try? container.decode(Double.self) {
            self = .float(double)
        } else if let string = try? container.decode(String.self) {
            self = .string(string)
        } else if let elements = try? container.decode([JSONValue].self) {
            self = .array(elements)
        } else if let members = try? container.decode([String: JSONValue].self) {
            self = .object(JSONObject(members.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }))
        } else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a JSON value")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .null:
            var container = encoder.singleValueContainer()
            try container.encodeNil()
        case .bool(let bool):
            var container = encoder.singleValueContainer()
            try container.encode(bool)
        case .number(.integer(let integer)):
            var container = encoder.singleValueContainer()
            try container.encode(integer)
        case .number(.float(let double)):
            var container = encoder.singleValueContainer()
            try container.encode(double)
        case .string(let string):
            var container = encoder.singleValueContainer()
            try container.encode(string)
        case .array(let elements):
            var container = encoder.unkeyedContainer()
            for element in elements {
                try container.encode(element)
            }
        case .object(let object):
            var container = encoder.container(keyedBy: JSONObjectKey.self)
            for (key, value) in object {
                try container.encode(value, forKey: JSONObjectKey(key))
            }
        }
    }
}

/// Any string as a coding key, for encoding a ``JSONObject``.
private struct JSONObjectKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }

    init(_ string: String) { self.stringValue = string }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
