import Foundation
import MaxhubCore

/// Why the claims of a package could not be confirmed.
public enum ClaimCheckError: Error, CustomStringConvertible {
    /// The cached package's files differ from its manifest; nothing was started.
    case packageDiffers(String, [String])
    /// The manifest has no `claims:`.
    case noClaims(String)
    /// Some claims do not hold or could not be checked.
    case claimsDoNotHold(String, failed: [ClaimVerifier.Outcome], of: Int)

    /// Whether this is a failed check (exit 4) rather than nothing to check (exit 3).
    public var isVerificationFailure: Bool {
        if case .noClaims = self { return false }
        return true
    }

    public var description: String {
        switch self {
        case .packageDiffers(let reference, let problems):
            return "\(reference) differs from its manifest: " + problems.joined(separator: "; ")
        case .noClaims(let reference):
            return "\(reference) makes no claims to check"
        case .claimsDoNotHold(let reference, let failed, let total):
            let summary = failed.map { outcome in
                outcome.problem.map { "\(outcome.metric): \($0)" }
                    ?? "\(outcome.metric) claimed \(outcome.claimed), measured \(String(format: "%.4f", outcome.measured ?? .nan))"
            }
            return "\(failed.count) of \(total) claims of \(reference) do not hold: " + summary.joined(separator: "; ")
        }
    }
}
