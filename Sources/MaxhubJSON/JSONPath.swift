/// Where a value sits inside a JSON document, written for people: `inputs[0].shape`, `files["a b"]`,
/// `(root)` for the document itself.
public struct JSONPath: Hashable, Sendable, CustomStringConvertible, ExpressibleByArrayLiteral {
    /// One step: a member of an object or an element of an array.
    public enum Component: Hashable, Sendable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral {
        case key(String)
        case index(Int)

        public init(stringLiteral value: String) { self = .key(value) }
        public init(integerLiteral value: Int) { self = .index(value) }
    }

    /// The steps from the root.
    public var components: [Component]

    /// The root of the document.
    public static let root = JSONPath([])

    public init(_ components: [Component]) {
        self.components = components
    }

    public init(arrayLiteral elements: Component...) {
        self.components = elements
    }

    /// This path extended by one member key.
    public func appending(key: String) -> JSONPath { JSONPath(components + [.key(key)]) }

    /// This path extended by one array index.
    public func appending(index: Int) -> JSONPath { JSONPath(components + [.index(index)]) }

    /// Whether this is the root.
    public var isRoot: Bool { components.isEmpty }

    /// `name`, `source.url`, `inputs[0].shape`, `files["a b"]`, or `(root)`.
    public var description: String {
        guard !components.isEmpty else { return "(root)" }
        var text = ""
        for component in components {
            switch component {
            case .index(let index):
                text += "[\(index)]"
            case .key(let key) where Self.isIdentifier(key):
                text += text.isEmpty ? key : ".\(key)"
            case .key(let key):
                text += "[\(JSONWriter.quoted(key))]"
            }
        }
        return text
    }

    /// Keys that read unambiguously after a dot: ASCII letters, digits, `_` and `-`, not starting with a digit or `-`.
    static func isIdentifier(_ key: String) -> Bool {
        guard let first = key.utf8.first, !(first >= 0x30 && first <= 0x39), first != 0x2D else { return false }
        return key.utf8.allSatisfy { byte in
            (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x30 && byte <= 0x39)
                || byte == 0x5F || byte == 0x2D
        }
    }
}
