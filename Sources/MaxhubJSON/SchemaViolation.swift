/// One way an instance fails a ``JSONSchema``: where, and what is wrong, in words.
public struct SchemaViolation: Hashable, Sendable, CustomStringConvertible {
    /// Where in the instance the problem is (for a missing property, the path it should have).
    public let location: JSONPath
    /// What is wrong, e.g. `expected array, got string` or `must be at most 65535, got 70000`.
    public let message: String
    /// The schema keyword that failed (`type`, `required`, `pattern`, `anyOf`, ...; `false` for a false schema).
    public let keyword: String
    /// A JSON pointer to the failing keyword in the schema, e.g. `#/properties/serving/properties/port/maximum`.
    public let schemaLocation: String

    public init(location: JSONPath, message: String, keyword: String, schemaLocation: String) {
        self.location = location
        self.message = message
        self.keyword = keyword
        self.schemaLocation = schemaLocation
    }

    /// The location as text: `inputs[0].shape`, `files["a b"]`, `(root)`.
    public var path: String { location.description }

    /// `path: message`.
    public var description: String { "\(path): \(message)" }
}
