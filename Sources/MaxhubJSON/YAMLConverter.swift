import Foundation
import Yams

/// Turns a composed Yams tree into a ``JSONValue``, without recursion: the sequences and mappings being
/// converted wait on an explicit stack, so that deep documents need no more machine stack than flat ones.
struct YAMLConverter {
    /// A sequence or mapping whose children are being converted.
    private struct OpenCollection {
        var path: [JSONPath.Component]
        var children: [(key: String?, node: Node)]
        var next = 0
        var elements: [JSONValue] = []
        var object = JSONObject()

        var isSequence: Bool { children.first?.key == nil }

        /// Where the next child goes, if any is left.
        var nextChild: (node: Node, path: [JSONPath.Component])? {
            guard next < children.count else { return nil }
            let child = children[next]
            return (child.node, path + [child.key.map(JSONPath.Component.key) ?? .index(next)])
        }
    }

    /// How deeply merge keys may pull in mappings that themselves merge others.
    static let maximumMergeDepth = 64

    private var nodeCount = 0

    mutating func convert(_ root: Node) throws(JSONValueError) -> JSONValue {
        var open: [OpenCollection] = []
        var pending: (node: Node, path: [JSONPath.Component]) = (root, [])
        while true {
            guard let finished = try start(pending.node, at: pending.path, depth: open.count, opening: &open) else {
                // A non-empty collection was opened; convert its first child next.
                if let child = open.last?.nextChild { pending = child }
                continue
            }
            // Hand the finished value to the innermost open collection, closing collections as they fill up.
            var result = finished
            while !open.isEmpty {
                let top = open.count - 1
                let child = open[top].children[open[top].next]
                if let key = child.key {
                    open[top].object[key] = result
                } else {
                    open[top].elements.append(result)
                }
                open[top].next += 1
                if let next = open[top].nextChild {
                    pending = next
                    break
                }
                let closed = open.removeLast()
                result = closed.isSequence ? .array(closed.elements) : .object(closed.object)
            }
            if open.isEmpty {
                return result
            }
        }
    }

    /// Converts a scalar or an empty collection and returns it, or opens a non-empty collection and returns nil.
    private mutating func start(_ node: Node, at path: [JSONPath.Component], depth: Int,
                                opening open: inout [OpenCollection]) throws(JSONValueError) -> JSONValue? {
        nodeCount += 1
        guard nodeCount <= JSONValue.maximumYAMLNodeCount else {
            throw .documentTooLarge(reason: "more than \(JSONValue.maximumYAMLNodeCount) nodes once aliases are expanded")
        }
        let children: [(key: String?, node: Node)]
        switch node {
        case .scalar(let scalar):
            return try Self.convert(scalar: scalar, tag: node.resolvedTagName, at: path)
        case .sequence where depth >= JSONValue.maximumNestingDepth, .mapping where depth >= JSONValue.maximumNestingDepth:
            throw .documentTooLarge(reason: "nesting deeper than \(JSONValue.maximumNestingDepth) levels")
        case .sequence(let sequence):
            guard node.resolvedTagName == .seq else {
                throw .unsupportedYAMLTag(path: JSONPath(path), tag: node.tag.description)
            }
            guard !sequence.isEmpty else { return .array([]) }
            children = sequence.map { (key: nil, node: $0) }
        case .mapping(let mapping):
            guard node.resolvedTagName == .map else {
                throw .unsupportedYAMLTag(path: JSONPath(path), tag: node.tag.description)
            }
            var members: [(key: String?, node: Node)] = []
            for (key, value) in try flatten(mapping, at: path) {
                members.append((key: try Self.key(key, at: path), node: value))
            }
            guard !members.isEmpty else { return .object(JSONObject()) }
            children = members
        case .alias:
            // Yams resolves aliases while composing; an alias node here has nothing to point at.
            throw .invalidYAML("\(JSONPath(path)): unresolved alias")
        }
        open.append(OpenCollection(path: path, children: children))
        return nil
    }

    /// PyYAML's `flatten_mapping`: merged pairs first (earlier merge sources win), then the mapping's own.
    private mutating func flatten(_ mapping: Node.Mapping, at path: [JSONPath.Component],
                                  mergeDepth: Int = 0) throws(JSONValueError) -> [(Node, Node)] {
        guard mergeDepth <= Self.maximumMergeDepth else {
            throw .documentTooLarge(reason: "merge keys (<<) nested deeper than \(Self.maximumMergeDepth) levels")
        }
        var merged: [(Node, Node)] = []
        var own: [(Node, Node)] = []
        for (key, value) in mapping {
            guard key.resolvedTagName == .merge else {
                own.append((key, value))
                continue
            }
            switch value {
            case .mapping(let source):
                merged += try flatten(source, at: path, mergeDepth: mergeDepth + 1)
            case .sequence(let sources):
                var groups: [[(Node, Node)]] = []
                for source in sources {
                    guard case .mapping(let sourceMapping) = source else { throw .invalidYAMLMerge(path: JSONPath(path)) }
                    groups.append(try flatten(sourceMapping, at: path, mergeDepth: mergeDepth + 1))
                }
                for group in groups.reversed() {
                    merged += group
                }
            default:
                throw .invalidYAMLMerge(path: JSONPath(path))
            }
        }
        // Merged pairs count as nodes: merging a mapping into itself twice per level doubles them each time.
        nodeCount += merged.count
        guard nodeCount <= JSONValue.maximumYAMLNodeCount else {
            throw .documentTooLarge(reason: "more than \(JSONValue.maximumYAMLNodeCount) nodes once aliases are expanded")
        }
        return merged + own
    }

    private static func key(_ key: Node, at path: [JSONPath.Component]) throws(JSONValueError) -> String {
        guard case .scalar(let scalar) = key else {
            let kind = if case .sequence = key { "a sequence" } else { "a mapping" }
            throw .nonStringYAMLKey(path: JSONPath(path), key: kind)
        }
        switch key.resolvedTagName {
        case .str, .nonSpecific, .value:
            return scalar.string
        case .timestamp:
            // PyYAML would make a date; maxhub keeps the text, so a date-like key is still a string.
            return scalar.string
        default:
            let shown = (try? convert(scalar: scalar, tag: key.resolvedTagName, at: path)).map { $0 == .null ? "null" : "\($0.typeName) \($0)" }
            throw .nonStringYAMLKey(path: JSONPath(path), key: shown ?? scalar.string)
        }
    }

    private static func convert(scalar: Node.Scalar, tag: Tag.Name, at path: [JSONPath.Component]) throws(JSONValueError) -> JSONValue {
        let text = scalar.string
        switch tag {
        case .str, .nonSpecific, .timestamp, .value, .merge:
            return .string(text)
        case .null:
            return .null
        case .bool:
            switch text.lowercased() {
            case "yes", "true", "on": return .bool(true)
            case "no", "false", "off": return .bool(false)
            default: throw .invalidYAMLScalar(path: JSONPath(path), value: text, tag: "boolean")
            }
        case .int:
            guard let number = parseInteger(text) else {
                throw .invalidYAMLScalar(path: JSONPath(path), value: text, tag: "integer")
            }
            return .number(number)
        case .float:
            guard let double = parseFloat(text) else {
                throw .invalidYAMLScalar(path: JSONPath(path), value: text, tag: "float")
            }
            return .float(double)
        default:
            throw .unsupportedYAMLTag(path: JSONPath(path), tag: tag.rawValue)
        }
    }

    /// PyYAML's `construct_yaml_int`: `_` separators, `0b`, `0x`, a leading `0` for octal, `a:b:c` base 60.
    /// Values beyond 64 bits become the nearest `Double`.
    static func parseInteger(_ text: String) -> JSONNumber? {
        var digits = Substring(text.replacingOccurrences(of: "_", with: ""))
        var negative = false
        if let sign = digits.first, sign == "-" || sign == "+" {
            negative = sign == "-"
            digits = digits.dropFirst()
        }
        guard !digits.isEmpty else { return nil }
        if digits == "0" { return .integer(0) }
        if digits.contains(":") {
            var total: JSONNumber? = .integer(0)
            for part in digits.split(separator: ":", omittingEmptySubsequences: false) {
                guard let partValue = accumulate(part, radix: 10), let sum = total else { return nil }
                total = addMultiplied(sum, by: 60, adding: partValue)
            }
            return total.flatMap { negative ? negate($0) : $0 }
        }
        let value: JSONNumber?
        if digits.hasPrefix("0b") {
            value = accumulate(digits.dropFirst(2), radix: 2)
        } else if digits.hasPrefix("0x") {
            value = accumulate(digits.dropFirst(2), radix: 16)
        } else if digits.hasPrefix("0") {
            value = accumulate(digits.dropFirst(), radix: 8)
        } else if digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber) {
            // Decimal text converts exactly, or correctly rounded beyond 64 bits; -2^63 needs its sign.
            if let integer = Int64((negative ? "-" : "") + digits) {
                return .integer(integer)
            }
            return Double((negative ? "-" : "") + digits).map(JSONNumber.float)
        } else {
            return nil
        }
        return value.flatMap { negative ? negate($0) : $0 }
    }

    private static func accumulate(_ digits: Substring, radix: Int) -> JSONNumber? {
        guard !digits.isEmpty else { return nil }
        var total: JSONNumber = .integer(0)
        for character in digits {
            guard let digit = character.hexDigitValue, digit < radix else { return nil }
            total = addMultiplied(total, by: Int64(radix), adding: .integer(Int64(digit)))
        }
        return total
    }

    /// `value * factor + addend`, falling back to `Double` on overflow.
    private static func addMultiplied(_ value: JSONNumber, by factor: Int64, adding addend: JSONNumber) -> JSONNumber {
        if case .integer(let integer) = value, case .integer(let add) = addend {
            let (product, overflow) = integer.multipliedReportingOverflow(by: factor)
            if !overflow {
                let (sum, sumOverflow) = product.addingReportingOverflow(add)
                if !sumOverflow { return .integer(sum) }
            }
        }
        return .float(value.doubleValue * Double(factor) + addend.doubleValue)
    }

    private static func negate(_ value: JSONNumber) -> JSONNumber {
        switch value {
        case .integer(let integer): integer == .min ? .float(-Double(integer)) : .integer(-integer)
        case .float(let double): .float(-double)
        }
    }

    /// PyYAML's `construct_yaml_float`: `_` separators, `.inf`, `.nan`, `a:b.c` base 60, else Python's `float()`.
    static func parseFloat(_ text: String) -> Double? {
        var body = Substring(text.replacingOccurrences(of: "_", with: "").lowercased())
        var sign = 1.0
        if let first = body.first, first == "-" || first == "+" {
            sign = first == "-" ? -1 : 1
            body = body.dropFirst()
        }
        if body == ".inf" { return sign * .infinity }
        if body == ".nan" { return .nan }
        if body.contains(":") {
            var total = 0.0
            for part in body.split(separator: ":", omittingEmptySubsequences: false) {
                guard let value = pythonFloat(part) else { return nil }
                total = total * 60 + value
            }
            return sign * total
        }
        return pythonFloat(body).map { sign * $0 }
    }

    /// Decimal text as Python's `float()` reads it: digits, at most one dot, an optional exponent.
    private static func pythonFloat(_ text: Substring) -> Double? {
        guard !text.isEmpty, text.allSatisfy({ $0.isASCII && ($0.isNumber || ".eE+-".contains($0)) }) else { return nil }
        return Double(text)
    }
}

private extension Node {
    /// The node's tag after Yams' resolver has looked at it (`tag:yaml.org,2002:int`, ...).
    var resolvedTagName: Tag.Name { Tag.Name(rawValue: tag.rawValue) }
}
