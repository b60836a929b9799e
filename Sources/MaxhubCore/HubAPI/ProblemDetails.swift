/// An error as the hub's API reports it: RFC 9457 problem details (`application/problem+json`).
public struct ProblemDetails: Codable, Sendable, Equatable, Error, CustomStringConvertible {
    /// A URI naming the kind of problem; `about:blank` when the status says it all.
    public var type: String
    public var title: String
    public var status: Int
    public var detail: String?
    /// Each problem of an invalid manifest or package, with its path.
    public var errors: [Item]?

    public struct Item: Codable, Sendable, Equatable {
        public var path: String
        public var message: String

        public init(path: String, message: String) {
            self.path = path
            self.message = message
        }
    }

    public init(type: String = "about:blank", title: String, status: Int, detail: String? = nil, errors: [Item]? = nil) {
        self.type = type
        self.title = title
        self.status = status
        self.detail = detail
        self.errors = errors
    }

    public static let mediaType = "application/problem+json"

    public var description: String {
        var text = detail ?? title
        if let errors, !errors.isEmpty {
            text += ": " + errors.map { $0.path.isEmpty ? $0.message : "\($0.path): \($0.message)" }.joined(separator: "; ")
        }
        return text
    }
}
