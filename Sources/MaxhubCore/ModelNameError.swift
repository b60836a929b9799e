/// Why a string is not a model name.
public struct ModelNameError: Error, Equatable, CustomStringConvertible {
    public let text: String
    public let reason: String

    public var description: String { "invalid model name \"\(text)\": \(reason)" }
}
