import Foundation
import Yams

/// Writes an `Encodable` value as YAML that reads well and never varies: two-space indents, keys in the order
/// the value encodes them, no comments, and the same bytes for the same value.
///
/// Lists of scalars and flat mappings inside lists are written in flow style (`shape: [1, 64]`), and numbers as
/// the value's JSON form has them: integers plainly, other floats in their shortest round-trip form with a dot
/// (`0.005`, `1.0e-05`), which every YAML reader takes for a float. `JSONEncoder` writes a whole float as an
/// integer, so `1.0` comes out as `1`.
public struct CanonicalYAMLEncoder: Sendable {
    public init() {}

    /// The YAML text of `value`; empty when it encodes to no document at all.
    public func encode<T: Encodable>(_ value: T) throws -> String {
        let encoder = YAMLEncoder()
        encoder.options = YAMLEncoder.Options(indent: 2, width: -1, allowUnicode: true, sortKeys: false)
        guard let node = try Yams.compose(yaml: encoder.encode(value)) else { return "" }
        let values = try JSONValue(json: JSONEncoder().encode(value))
        return try Yams.serialize(node: Self.tidy(node, values), indent: 2, width: -1, allowUnicode: true)
    }

    /// Makes the encoder's output easier to read without changing what it says: lists of scalars and flat
    /// mappings inside lists in flow style (`shape: [1, 64]`), and floats, found in the JSON form of the
    /// same value, written in their shortest round-trip form with a dot (`0.005`, `1.0e-05`), which
    /// every YAML reader takes for a float.
    private static func tidy(_ node: Node, _ value: JSONValue?, inSequence: Bool = false) -> Node {
        switch node {
        case .scalar(var scalar):
            switch value {
            case .number(.float(let double))? where double.isFinite:
                var text = "\(double)"
                if !text.contains("."), let exponent = text.firstIndex(of: "e") {
                    text.insert(contentsOf: ".0", at: exponent)
                }
                scalar = Node.Scalar(text, Tag(.float), .plain)
            case .number(.integer(let integer))?:
                scalar = Node.Scalar("\(integer)", Tag(.int), .plain)
            default:
                break
            }
            return .scalar(scalar)
        case .sequence(let sequence):
            let items = sequence.enumerated().map { index, item in tidy(item, value?[index], inSequence: true) }
            let flat = items.allSatisfy { $0.scalar != nil }
            return .sequence(Node.Sequence(items, sequence.tag, flat ? .flow : .block))
        case .mapping(let mapping):
            let pairs = mapping.map { pair in (pair.key, tidy(pair.value, pair.key.string.flatMap { value?[$0] })) }
            let flat = inSequence && pairs.allSatisfy { $0.1.scalar != nil }
            return .mapping(Node.Mapping(pairs, mapping.tag, flat ? .flow : .block))
        case .alias:
            return node
        }
    }
}
