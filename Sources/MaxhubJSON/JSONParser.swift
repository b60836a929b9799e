import Foundation

/// A small strict JSON reader that keeps what `JSONSerialization` loses: key order, and `1` versus `1.0`.
struct JSONParser {
    private let bytes: [UInt8]
    private var position = 0

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    mutating func parseDocument() throws(JSONValueError) -> JSONValue {
        let value = try parseValue()
        skipWhitespace()
        guard position == bytes.count else {
            throw failure("unexpected data after the document")
        }
        return value
    }

    private func failure(_ reason: String) -> JSONValueError {
        .invalidJSON(offset: position, reason: reason)
    }

    private var current: UInt8? { position < bytes.count ? bytes[position] : nil }

    private mutating func skipWhitespace() {
        while let byte = current, byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D {
            position += 1
        }
    }

    /// Reads one value without recursion: the arrays and objects still being read wait on explicit stacks,
    /// so that even the deepest allowed document needs no more machine stack than a flat one.
    private mutating func parseValue() throws(JSONValueError) -> JSONValue {
        var openIsArray: [Bool] = []
        var openArrays: [[JSONValue]] = []
        var openObjects: [JSONObject] = []
        var pendingKeys: [String] = []
        while true {
            skipWhitespace()
            var value: JSONValue
            switch current {
            case UInt8(ascii: "{"):
                try checkDepth(openIsArray.count + 1)
                position += 1
                skipWhitespace()
                if current == UInt8(ascii: "}") {
                    position += 1
                    value = .object(JSONObject())
                } else {
                    pendingKeys.append(try parseKey())
                    openObjects.append(JSONObject())
                    openIsArray.append(false)
                    continue
                }
            case UInt8(ascii: "["):
                try checkDepth(openIsArray.count + 1)
                position += 1
                skipWhitespace()
                if current == UInt8(ascii: "]") {
                    position += 1
                    value = .array([])
                } else {
                    openArrays.append([])
                    openIsArray.append(true)
                    continue
                }
            default:
                value = try parseScalar()
            }
            // Hand the finished value to the innermost open container, closing containers as they end.
            while let isArray = openIsArray.last {
                skipWhitespace()
                if isArray {
                    openArrays[openArrays.count - 1].append(value)
                    if current == UInt8(ascii: ",") {
                        position += 1
                        break
                    }
                    guard current == UInt8(ascii: "]") else { throw failure("expected ',' or ']' in an array") }
                    position += 1
                    openIsArray.removeLast()
                    value = .array(openArrays.removeLast())
                } else {
                    let key = pendingKeys.removeLast()
                    // A key given twice would be read one way here and another by a decoder that keeps the other one.
                    guard openObjects[openObjects.count - 1][key] == nil else { throw failure("the key \"\(key)\" appears twice in an object") }
                    openObjects[openObjects.count - 1][key] = value
                    if current == UInt8(ascii: ",") {
                        position += 1
                        skipWhitespace()
                        pendingKeys.append(try parseKey())
                        break
                    }
                    guard current == UInt8(ascii: "}") else { throw failure("expected ',' or '}' in an object") }
                    position += 1
                    openIsArray.removeLast()
                    value = .object(openObjects.removeLast())
                }
            }
            if openIsArray.isEmpty {
                return value
            }
        }
    }

    private func checkDepth(_ depth: Int) throws(JSONValueError) {
        guard depth <= JSONValue.maximumNestingDepth else {
            throw .documentTooLarge(reason: "nesting deeper than \(JSONValue.maximumNestingDepth) levels")
        }
    }

    /// `"key" :`, leaving the position at the member's value.
    private mutating func parseKey() throws(JSONValueError) -> String {
        guard current == UInt8(ascii: "\"") else { throw failure("expected a string key") }
        let key = try parseString()
        skipWhitespace()
        guard current == UInt8(ascii: ":") else { throw failure("expected ':' after an object key") }
        position += 1
        return key
    }

    private mutating func parseScalar() throws(JSONValueError) -> JSONValue {
        guard let byte = current else { throw failure("unexpected end of data, expected a value") }
        switch byte {
        case UInt8(ascii: "\""):
            return .string(try parseString())
        case UInt8(ascii: "t"):
            try expectLiteral("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try expectLiteral("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try expectLiteral("null")
            return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return .number(try parseNumber())
        default:
            throw failure("unexpected character \(Self.describe(byte)), expected a value")
        }
    }

    private mutating func expectLiteral(_ literal: StaticString) throws(JSONValueError) {
        let expected = UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount)
        guard bytes.count - position >= expected.count,
              bytes[position..<(position + expected.count)].elementsEqual(expected)
        else { throw failure("invalid literal, expected \(literal)") }
        position += expected.count
    }

    private mutating func parseString() throws(JSONValueError) -> String {
        position += 1
        var text = ""
        var runStart = position
        while true {
            guard let byte = current else { throw failure("unterminated string") }
            if byte == UInt8(ascii: "\"") {
                text += String(decoding: bytes[runStart..<position], as: UTF8.self)
                position += 1
                return text
            }
            if byte < 0x20 {
                throw failure("control character \(Self.describe(byte)) in a string must be escaped")
            }
            if byte == UInt8(ascii: "\\") {
                text += String(decoding: bytes[runStart..<position], as: UTF8.self)
                position += 1
                text.unicodeScalars.append(try parseEscape())
                runStart = position
                continue
            }
            position += 1
        }
    }

    private mutating func parseEscape() throws(JSONValueError) -> Unicode.Scalar {
        guard let byte = current else { throw failure("unterminated escape") }
        position += 1
        switch byte {
        case UInt8(ascii: "\""): return "\""
        case UInt8(ascii: "\\"): return "\\"
        case UInt8(ascii: "/"): return "/"
        case UInt8(ascii: "b"): return "\u{08}"
        case UInt8(ascii: "f"): return "\u{0C}"
        case UInt8(ascii: "n"): return "\n"
        case UInt8(ascii: "r"): return "\r"
        case UInt8(ascii: "t"): return "\t"
        case UInt8(ascii: "u"):
            let unit = try parseHexQuad()
            if (0xD800...0xDBFF).contains(unit), bytes.count - position >= 6,
               bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u") {
                let saved = position
                position += 2
                let low = try parseHexQuad()
                if (0xDC00...0xDFFF).contains(low) {
                    let combined = 0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00)
                    return Unicode.Scalar(combined) ?? "\u{FFFD}"
                }
                position = saved
            }
            // A lone surrogate has no Unicode scalar; Python keeps it, Swift strings cannot.
            return Unicode.Scalar(UInt32(unit)) ?? "\u{FFFD}"
        default:
            position -= 1
            throw failure("invalid escape \\\(Self.describe(byte))")
        }
    }

    private mutating func parseHexQuad() throws(JSONValueError) -> UInt16 {
        guard bytes.count - position >= 4 else { throw failure("incomplete \\u escape") }
        var value: UInt16 = 0
        for _ in 0..<4 {
            let byte = bytes[position]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw failure("invalid hex digit in \\u escape")
            }
            value = value << 4 | UInt16(digit)
            position += 1
        }
        return value
    }

    private mutating func parseNumber() throws(JSONValueError) -> JSONNumber {
        let start = position
        var isInteger = true
        if current == UInt8(ascii: "-") { position += 1 }
        guard let first = current, Self.isDigit(first) else { throw failure("expected a digit") }
        position += 1
        if first != UInt8(ascii: "0") {
            skipDigits()
        }
        if current == UInt8(ascii: ".") {
            isInteger = false
            position += 1
            guard let byte = current, Self.isDigit(byte) else { throw failure("expected a digit after '.'") }
            skipDigits()
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            isInteger = false
            position += 1
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { position += 1 }
            guard let byte = current, Self.isDigit(byte) else { throw failure("expected a digit in the exponent") }
            skipDigits()
        }
        let text = String(decoding: bytes[start..<position], as: UTF8.self)
        if isInteger, let integer = Int64(text) {
            return .integer(integer)
        }
        guard let double = Double(text) else { throw failure("invalid number \(text)") }
        return .float(double)
    }

    private mutating func skipDigits() {
        while let byte = current, Self.isDigit(byte) {
            position += 1
        }
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    private static func describe(_ byte: UInt8) -> String {
        byte >= 0x21 && byte < 0x7F ? "'\(Character(Unicode.Scalar(byte)))'" : String(format: "0x%02X", byte)
    }
}
