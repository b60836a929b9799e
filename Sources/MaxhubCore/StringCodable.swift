/// A value that JSON and YAML carry as one string: its `description`, read back by `init(codingText:)`.
///
/// Digests, model names, versions and ranges are all written this way, so a malformed one in a
/// manifest or a request fails decoding with the parser's own sentence.
public protocol StringCodable: Codable, CustomStringConvertible {
    /// Parses the string form.
    init(codingText: String) throws
}

extension StringCodable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            try self.init(codingText: text)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "\(error)")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
