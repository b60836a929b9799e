import Foundation

/// One entry of the append-only audit log: who did what to which subject, when, and the state it moved from and to.
public struct AuditEntry: Codable, Sendable, Equatable {
    public var id: Int64
    public var at: Date
    public var actor: String
    /// `version.publish`, `token.create`, `token.revoke`, ...
    public var action: String
    /// `name@version` for a version, `token:ID` for a token.
    public var subject: String
    public var fromState: ReviewState?
    public var toState: ReviewState?
    public var detail: String?

    public init(
        id: Int64, at: Date, actor: String, action: String, subject: String, fromState: ReviewState? = nil,
        toState: ReviewState? = nil, detail: String? = nil
    ) {
        self.id = id
        self.at = at
        self.actor = actor
        self.action = action
        self.subject = subject
        self.fromState = fromState
        self.toState = toState
        self.detail = detail
    }

    private enum CodingKeys: String, CodingKey {
        case id, at, actor, action, subject
        case fromState = "from_state"
        case toState = "to_state"
        case detail
    }
}
