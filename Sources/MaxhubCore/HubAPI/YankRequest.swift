/// The body of `POST /api/v1/models/{name}/versions/{version}/yank`: withdraw an approved version, or (`undo`, admin
/// only) restore a yanked one.
public struct YankRequest: Codable, Sendable, Equatable {
    public var undo: Bool
    public var reason: String?

    public init(undo: Bool = false, reason: String? = nil) {
        self.undo = undo
        self.reason = reason
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        undo = try container.decodeIfPresent(Bool.self, forKey: .undo) ?? false
        reason = try container.decodeIfPresent(String.self, forKey: .reason)
    }

    private enum CodingKeys: String, CodingKey { case undo, reason }
}
