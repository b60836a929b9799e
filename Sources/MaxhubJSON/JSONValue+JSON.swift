import Foundation

extension JSONValue {
    /// The deepest nesting of arrays and objects a parsed JSON or YAML document may have.
    public static let maximumNestingDepth = 512

    /// Parses a JSON document (RFC 8259; an optional UTF-8 byte order mark is skipped).
    ///
    /// Numbers without a fraction or exponent that fit in 64 bits become `.integer`, all others `.float`
    /// (integers too large for 64 bits become floats, as close as a `Double` can be). Object keys keep
    /// their order; a repeated key keeps its first position and its last value, as Python's `json` does.
    public init(json data: Data) throws(JSONValueError) {
        var bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            bytes.removeFirst(3)
        }
        guard String(validating: bytes, as: UTF8.self) != nil else {
            throw .invalidJSON(offset: 0, reason: "the bytes are not valid UTF-8")
        }
        var parser = JSONParser(bytes: bytes)
        self = try parser.parseDocument()
    }

    /// Parses a JSON document from a string.
    public init(jsonString: String) throws(JSONValueError) {
        try self.init(json: Data(jsonString.utf8))
    }

    /// Writes the value as UTF-8 JSON.
    ///
    /// Integers are written as integers and floats keep a fraction or exponent (`1.0`, `1e-05`), so that
    /// parsing the output gives back the same value. Non-ASCII characters are written as they are.
    /// - Parameters:
    ///   - sortedKeys: order object keys by their Unicode code points instead of keeping their order.
    ///   - prettyPrinted: indent by two spaces, one member or element per line.
    /// - Throws: ``JSONValueError/nonFiniteNumber(path:)`` for a NaN or infinite float.
    public func jsonData(sortedKeys: Bool = false, prettyPrinted: Bool = false) throws(JSONValueError) -> Data {
        Data(try jsonString(sortedKeys: sortedKeys, prettyPrinted: prettyPrinted).utf8)
    }

    /// Writes the value as a JSON string; see ``jsonData(sortedKeys:prettyPrinted:)``.
    public func jsonString(sortedKeys: Bool = false, prettyPrinted: Bool = false) throws(JSONValueError) -> String {
        let writer = JSONWriter(sortedKeys: sortedKeys, prettyPrinted: prettyPrinted, allowNonFinite: false)
        if let path = writer.firstNonFinite(in: self, at: []) {
            throw .nonFiniteNumber(path: JSONPath(path))
        }
        var output = ""
        writer.write(self, into: &output)
        return output
    }
}
