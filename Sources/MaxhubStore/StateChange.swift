import Foundation
import MaxhubCore

/// A yank or an unyank about to be recorded.
public struct StateChange: Sendable, Equatable {
    public var name: ModelName
    public var version: Version
    /// `.yanked` to yank, `.approved` to restore.
    public var to: ReviewState
    public var actor: String
    public var reason: String?
    public var at: Date

    public init(name: ModelName, version: Version, to: ReviewState, actor: String, reason: String?, at: Date) {
        self.name = name
        self.version = version
        self.to = to
        self.actor = actor
        self.reason = reason
        self.at = at
    }
}
