/// A JSON object that keeps its keys in the order they were first written.
///
/// Equality ignores the order, as JSON does: `{"a": 1, "b": 2} == {"b": 2, "a": 1}`.
/// Setting an existing key keeps its position and replaces the value (like a Python `dict`).
public struct JSONObject: Sendable, Hashable, ExpressibleByDictionaryLiteral {
    /// The keys, in order.
    public private(set) var keys: [String]
    private var storage: [String: JSONValue]

    /// An empty object.
    public init() {
        self.keys = []
        self.storage = [:]
    }

    /// An object from key-value pairs in order; a repeated key keeps its first position and its last value.
    public init<S: Sequence>(_ pairs: S) where S.Element == (String, JSONValue) {
        self.init()
        for (key, value) in pairs {
            self[key] = value
        }
    }

    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self.init(elements)
    }

    /// The number of members.
    public var count: Int { keys.count }

    /// Whether the object has no members.
    public var isEmpty: Bool { keys.isEmpty }

    /// The values, in key order.
    public var values: [JSONValue] { keys.compactMap { storage[$0] } }

    /// The members as an unordered dictionary.
    public var dictionary: [String: JSONValue] { storage }

    /// The value of a member; setting nil removes it.
    public subscript(key: String) -> JSONValue? {
        get { storage[key] }
        set {
            if let newValue {
                if storage.updateValue(newValue, forKey: key) == nil {
                    keys.append(key)
                }
            } else if storage.removeValue(forKey: key) != nil {
                keys.removeAll { $0 == key }
            }
        }
    }

    /// Whether the object has a member with this key.
    public func contains(key: String) -> Bool { storage[key] != nil }

    /// The position of a key in the order of the object, if present.
    public func position(of key: String) -> Int? {
        guard storage[key] != nil else { return nil }
        return keys.firstIndex(of: key)
    }

    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        lhs.storage == rhs.storage
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(storage)
    }
}

extension JSONObject: Sequence {
    /// Iterates the members in key order.
    public func makeIterator() -> AnyIterator<(key: String, value: JSONValue)> {
        var index = 0
        return AnyIterator {
            while index < keys.count {
                let key = keys[index]
                index += 1
                if let value = storage[key] {
                    return (key: key, value: value)
                }
            }
            return nil
        }
    }
}
