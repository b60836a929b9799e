/// The body of `POST /api/v1/models/{name}/versions/{version}/review`: the IP review of a pending version.
public struct ReviewRequest: Codable, Sendable, Equatable {
    public enum Decision: String, Codable, Sendable, CaseIterable {
        case approve
        case reject
    }

    public var decision: Decision
    /// The reviewer's verdict on each license, as SPDX expressions; a part left out confirms what the manifest declared.
    public var license: LicenseVerdict?
    /// Why; required for a rejection.
    public var note: String?

    public init(decision: Decision, license: LicenseVerdict? = nil, note: String? = nil) {
        self.decision = decision
        self.license = license
        self.note = note
    }
}
