/// One thing wrong with a manifest, at a path such as `inputs[0].shape`.
public struct ManifestProblem: Equatable, Sendable, CustomStringConvertible {
    public var path: String
    public var message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { "\(path): \(message)" }
}
