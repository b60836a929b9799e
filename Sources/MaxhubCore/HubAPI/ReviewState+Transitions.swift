/// The review workflow's state machine (the README's "Review" section), in one place: which moves exist and which role each needs.
extension ReviewState {
    /// A move from one state to another, named as the audit log names it. Who may make it is the server's rule: a
    /// reviewer (not the publisher) reviews; the publisher, a reviewer or an admin yanks; an admin restores.
    public struct Transition: Sendable, Equatable {
        public var from: ReviewState
        public var to: ReviewState
        public var action: String
    }

    /// pending → approved | rejected (a review); approved → yanked (yank); yanked → approved (unyank).
    public static let transitions: [Transition] = [
        Transition(from: .pending, to: .approved, action: "version.approve"),
        Transition(from: .pending, to: .rejected, action: "version.reject"),
        Transition(from: .approved, to: .yanked, action: "version.yank"),
        Transition(from: .yanked, to: .approved, action: "version.unyank"),
    ]

    /// The move from this state to `target`, or nil when the workflow has none.
    public func transition(to target: ReviewState) -> Transition? {
        Self.transitions.first { $0.from == self && $0.to == target }
    }
}
