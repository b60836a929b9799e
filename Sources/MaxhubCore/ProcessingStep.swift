import MaxhubJSON

/// One step of an input's processing pipeline: an object with exactly one key naming the step
/// (`decode`, `resize`, `normalize`, ...) whose value holds its options. The schema lists the steps.
public struct ProcessingStep: Codable, Sendable, Equatable {
    /// The step's name, such as `resize`.
    public var name: String
    /// The step's options, such as `{dimensions: [8, 8]}`.
    public var options: JSONValue

    public init(name: String, options: JSONValue = .object(JSONObject())) {
        self.name = name
        self.options = options
    }

    /// The options of each step that name a file in the package, by step.
    static let fileOptions: [String: [String]] = [
        "tokenize": ["vocabulary"],
        "detect_text": ["model"],
        "classify_direction": ["model"],
        "recognize_text": ["model", "characters"],
    ]

    /// The package files this step names (a `tokenize` step's vocabulary, a `detect_text` step's model, ...), each with
    /// the option that names it, in the order of `fileOptions`.
    public var referencedFiles: [(option: String, file: String)] {
        (Self.fileOptions[name] ?? []).compactMap { option in
            options[option]?.stringValue.map { (option, $0) }
        }
    }

    private struct StepKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: StepKey.self)
        guard container.allKeys.count == 1, let key = container.allKeys.first else {
            throw DecodingError.dataCorrupted(.init(
                codingPath: decoder.codingPath, debugDescription: "a processing step is an object with exactly one key"
            ))
        }
        self.init(name: key.stringValue, options: try container.decode(JSONValue.self, forKey: key))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: StepKey.self)
        try container.encode(options, forKey: StepKey(stringValue: name))
    }
}
