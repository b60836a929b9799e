/// Where a published version stands in the review workflow (the README's "Review" section): `pending` until reviewed,
/// then `approved` or `rejected`; an approved version may be `yanked`, and a yanked one approved again.
public enum ReviewState: String, Codable, Sendable, CaseIterable, CustomStringConvertible {
    /// Just published; waiting for IP review.
    case pending
    /// Reviewed and accepted: visible to readers and resolvable.
    case approved
    /// Reviewed and refused; the number cannot be published again.
    case rejected
    /// Approved once, then withdrawn: never chosen by a range, still fetchable by its exact version.
    case yanked

    public var description: String { rawValue }
}
