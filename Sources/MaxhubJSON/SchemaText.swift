import Foundation

/// How values and counts read in messages.
enum SchemaText {
    /// A value as JSON, shortened past 80 characters.
    static func shown(_ value: JSONValue) -> String {
        let text = value.description
        guard text.count > 80 else { return text }
        return String(text.prefix(77)) + "…"
    }

    /// A value in a list of allowed values: plain words as they are, anything else as JSON.
    static func listed(_ value: JSONValue) -> String {
        if case .string(let string) = value, !string.isEmpty,
           string.unicodeScalars.allSatisfy({ $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "._/+-:@".unicodeScalars.contains($0)) }) {
            return string
        }
        return shown(value)
    }

    /// Allowed values, comma-separated; long lists end with how many more there are.
    static func listed(_ values: [JSONValue]) -> String {
        let limit = 40
        let shownValues = values.prefix(limit).map(listed).joined(separator: ", ")
        return values.count > limit ? "\(shownValues), … (\(values.count - limit) more)" : shownValues
    }

    /// The type of a value, with the value itself when it is a short scalar: `string`, `number 1.0`, `boolean true`.
    static func kind(of value: JSONValue) -> String {
        switch value {
        case .number, .bool: "\(value.typeName) \(shown(value))"
        default: value.typeName
        }
    }

    /// `string`, `string or null`, `string, integer or null`.
    static func alternatives(_ names: [String]) -> String {
        guard names.count > 1, let last = names.last else { return names.first ?? "" }
        return names.dropLast().joined(separator: ", ") + " or " + last
    }

    /// `1 item`, `3 items`, `1 property`, `2 properties`.
    static func count(_ count: Int, _ noun: String) -> String {
        if count == 1 { return "1 \(noun)" }
        let plural = noun.hasSuffix("y") ? noun.dropLast() + "ies" : noun + "s"
        return "\(count) \(plural)"
    }
}
