import Foundation

/// Writes a ``JSONValue`` as JSON text.
struct JSONWriter {
    var sortedKeys: Bool
    var prettyPrinted: Bool
    var allowNonFinite: Bool

    /// The path of the first NaN or infinite float, if any.
    func firstNonFinite(in value: JSONValue, at path: [JSONPath.Component]) -> [JSONPath.Component]? {
        switch value {
        case .number(.float(let double)) where !double.isFinite:
            return path
        case .array(let elements):
            for (index, element) in elements.enumerated() {
                if let found = firstNonFinite(in: element, at: path + [.index(index)]) { return found }
            }
            return nil
        case .object(let object):
            for (key, member) in object {
                if let found = firstNonFinite(in: member, at: path + [.key(key)]) { return found }
            }
            return nil
        default:
            return nil
        }
    }

    func write(_ value: JSONValue, into output: inout String, indent: Int = 0) {
        switch value {
        case .null:
            output += "null"
        case .bool(let bool):
            output += bool ? "true" : "false"
        case .number(.integer(let integer)):
            output += String(integer)
        case .number(.float(let double)):
            output += Self.format(double)
        case .string(let string):
            output += Self.quoted(string)
        case .array(let elements):
            guard !elements.isEmpty else {
                output += "[]"
                return
            }
            output += "["
            for (index, element) in elements.enumerated() {
                if index > 0 { output += "," }
                newline(&output, indent: indent + 1)
                write(element, into: &output, indent: indent + 1)
            }
            newline(&output, indent: indent)
            output += "]"
        case .object(let object):
            guard !object.isEmpty else {
                output += "{}"
                return
            }
            var keys = object.keys
            if sortedKeys {
                keys.sort { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) }
            }
            output += "{"
            for (index, key) in keys.enumerated() {
                if index > 0 { output += "," }
                newline(&output, indent: indent + 1)
                output += Self.quoted(key)
                output += prettyPrinted ? ": " : ":"
                write(object[key] ?? .null, into: &output, indent: indent + 1)
            }
            newline(&output, indent: indent)
            output += "}"
        }
    }

    private func newline(_ output: inout String, indent: Int) {
        guard prettyPrinted else { return }
        output += "\n"
        output += String(repeating: "  ", count: indent)
    }

    /// Floats keep a fraction or an exponent so they read back as floats (`1.0`, `1e+20`).
    static func format(_ double: Double) -> String {
        if double.isNaN { return "NaN" }
        if double.isInfinite { return double < 0 ? "-Infinity" : "Infinity" }
        return double.description
    }

    /// A JSON string literal: quotes, backslashes and control characters escaped, everything else as is.
    static func quoted(_ string: String) -> String {
        var output = "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case "\u{08}": output += "\\b"
            case "\u{0C}": output += "\\f"
            case _ where scalar.value < 0x20:
                output += String(format: "\\u%04x", scalar.value)
            default:
                output.unicodeScalars.append(scalar)
            }
        }
        output += "\""
        return output
    }
}
