/// Why bytes or text could not become a ``JSONValue``, or a ``JSONValue`` could not become JSON.
public enum JSONValueError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The bytes are not JSON; `offset` is the byte where reading stopped.
    case invalidJSON(offset: Int, reason: String)
    /// The text is not YAML (the parser's own message, with line and column).
    case invalidYAML(String)
    /// A YAML mapping names the same key twice.
    case duplicateYAMLKeys([String], line: Int)
    /// A YAML mapping key is not a string (`1: x`, `true: x`, `[a]: x`).
    case nonStringYAMLKey(path: JSONPath, key: String)
    /// A YAML node carries a tag that has no JSON meaning (`!!binary`, `!!set`, `!custom`).
    case unsupportedYAMLTag(path: JSONPath, tag: String)
    /// A YAML scalar cannot be read as the type its tag names (`!!int abc`).
    case invalidYAMLScalar(path: JSONPath, value: String, tag: String)
    /// A YAML merge key (`<<`) is given something other than a mapping or a list of mappings.
    case invalidYAMLMerge(path: JSONPath)
    /// The document nests deeper than the limit, or aliases expand it beyond the node limit.
    case documentTooLarge(reason: String)
    /// A float is NaN or infinite, which JSON cannot represent.
    case nonFiniteNumber(path: JSONPath)

    public var description: String {
        switch self {
        case .invalidJSON(let offset, let reason):
            "invalid JSON at byte \(offset): \(reason)"
        case .invalidYAML(let message):
            "invalid YAML: \(message)"
        case .duplicateYAMLKeys(let keys, let line):
            "duplicate key\(keys.count == 1 ? "" : "s") \(keys.map { "\"\($0)\"" }.joined(separator: ", ")) "
                + "in a YAML mapping at line \(line)"
        case .nonStringYAMLKey(let path, let key):
            "\(path): mapping keys must be strings, found \(key); quote it to use it as a key"
        case .unsupportedYAMLTag(let path, let tag):
            "\(path): unsupported YAML tag \(tag)"
        case .invalidYAMLScalar(let path, let value, let tag):
            "\(path): \"\(value)\" is not a valid \(tag)"
        case .invalidYAMLMerge(let path):
            "\(path): a merge key (<<) needs a mapping or a list of mappings"
        case .documentTooLarge(let reason):
            "document too large: \(reason)"
        case .nonFiniteNumber(let path):
            "\(path): NaN and infinite numbers cannot be written as JSON"
        }
    }
}
