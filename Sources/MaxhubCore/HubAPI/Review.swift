import Foundation

/// A recorded IP review: who decided what, on which licenses, why, and when.
public struct Review: Codable, Sendable, Equatable {
    public var reviewer: String
    public var decision: ReviewRequest.Decision
    /// The licenses the reviewer confirmed (declared ones, or the reviewer's corrections).
    public var license: Manifest.Licenses
    public var note: String?
    public var reviewedAt: Date

    public init(reviewer: String, decision: ReviewRequest.Decision, license: Manifest.Licenses, note: String?, reviewedAt: Date) {
        self.reviewer = reviewer
        self.decision = decision
        self.license = license
        self.note = note
        self.reviewedAt = reviewedAt
    }

    private enum CodingKeys: String, CodingKey {
        case reviewer, decision, license, note
        case reviewedAt = "reviewed_at"
    }
}
