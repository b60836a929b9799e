import Foundation
import MaxhubCore

/// A review about to be recorded: the decision on a pending version and the licenses the reviewer confirmed.
public struct NewReview: Sendable, Equatable {
    public var name: ModelName
    public var version: Version
    public var reviewer: String
    public var decision: ReviewRequest.Decision
    public var license: Manifest.Licenses
    public var note: String?
    public var at: Date
    /// What the hub signed for an approval (kept with the review in its transaction); empty for a rejection.
    public var signatures: [VersionSignature]

    public init(
        name: ModelName, version: Version, reviewer: String, decision: ReviewRequest.Decision, license: Manifest.Licenses,
        note: String?, at: Date, signatures: [VersionSignature] = []
    ) {
        self.name = name
        self.version = version
        self.reviewer = reviewer
        self.decision = decision
        self.license = license
        self.note = note
        self.at = at
        self.signatures = signatures
    }
}
