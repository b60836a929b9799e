/// What a token may do (the roles of the README's "Review" section). Every role may read; curator (publish) and reviewer
/// (review) are separate duties, which one token may hold together; an admin may do everything.
public enum Role: String, Codable, Sendable, CaseIterable, Comparable, CustomStringConvertible {
    case reader
    case curator
    case reviewer
    case admin

    public var description: String { rawValue }

    public static func < (lhs: Role, rhs: Role) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

extension Collection<Role> {
    /// Whether a holder of these roles may act as `role`: admin may act as anyone, everyone may read.
    public func permit(_ role: Role) -> Bool {
        contains(role) || contains(.admin) || (role == .reader && !isEmpty)
    }
}
