/// A model's name: `[a-z0-9][a-z0-9._-]{0,63}`, optionally prefixed by an owner of the same shape (`owner/name`).
public struct ModelName: Hashable, Comparable, Sendable, StringCodable, CustomStringConvertible, LosslessStringConvertible {
    /// The owner part of `owner/name`, if any.
    public let owner: String?
    /// The name part.
    public let name: String

    /// Parses `name` or `owner/name`.
    public init(parsing text: String) throws(ModelNameError) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        switch parts.count {
        case 1:
            try Self.checkSegment(parts[0], in: text)
            self.owner = nil
            self.name = String(parts[0])
        case 2:
            try Self.checkSegment(parts[0], in: text)
            try Self.checkSegment(parts[1], in: text)
            self.owner = String(parts[0])
            self.name = String(parts[1])
        default:
            throw ModelNameError(text: text, reason: "a name has at most one \"/\" (owner/name)")
        }
    }

    public init?(_ description: String) {
        guard let parsed = try? ModelName(parsing: description) else { return nil }
        self = parsed
    }

    /// `owner/name` or `name`.
    public var description: String { owner.map { "\($0)/\(name)" } ?? name }

    /// A form usable as one file-name component: `owner--name` or `name`.
    public var fileSystemName: String { owner.map { "\($0)--\(name)" } ?? name }

    public static func < (lhs: ModelName, rhs: ModelName) -> Bool { lhs.description < rhs.description }

    public init(codingText: String) throws { try self.init(parsing: codingText) }

    private static func checkSegment(_ segment: Substring, in text: String) throws(ModelNameError) {
        let bytes = Array(segment.utf8)
        guard let first = bytes.first else {
            throw ModelNameError(text: text, reason: "a name part is empty")
        }
        guard bytes.count <= 64 else {
            throw ModelNameError(text: text, reason: "a name part is longer than 64 characters")
        }
        guard isLowerAlphanumeric(first) else {
            throw ModelNameError(text: text, reason: "a name part must start with a lowercase letter or a digit")
        }
        for byte in bytes.dropFirst() where !(isLowerAlphanumeric(byte) || byte == UInt8(ascii: ".")
            || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-"))
        {
            throw ModelNameError(text: text, reason: "only lowercase letters, digits, \".\", \"_\" and \"-\" are allowed")
        }
    }

    private static func isLowerAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
    }
}
