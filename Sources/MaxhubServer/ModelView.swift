/// What a model's page shows of one of its versions: the commands to pull and run it, its model card, inputs,
/// outputs, claims, files and licenses, and the model's other versions.
struct ModelView {
    struct Port {
        var name: String
        /// Not `description`: a nil one would show the model's (Mustache looks a missing name up in outer contexts).
        var note: String?
        var type: String
        var elementType: String?
        var shape: String
        var labels: String?
        var hasSteps: Bool
        var steps: [String]
    }

    struct VersionRow {
        var version: String
        var href: String
        var state: String
        var publishedAt: String
        var reviewedAt: String
        var selected: Bool
    }

    struct ClaimRow {
        var metric: String
        var value: String
        var dataset: String
    }

    var chrome: PageChrome
    var name: String
    var version: String
    var state: String
    var description: String
    var task: String
    var framework: String?
    var publishedBy: String
    var publishedAt: String
    var publishedAtISO: String
    var yankReason: String?
    var pullCommand: String
    var runCommand: String
    var cardHTML: String?
    var cardTruncated: Bool
    var inputs: [Port]
    var outputs: [Port]
    var hasClaims: Bool
    var claims: [ClaimRow]
    var fileSummary: String
    var files: [FileRow]
    var archiveDigest: String
    var archiveSize: String
    var licenseCode: String
    var licenseWeights: String
    var licenseData: String
    var licenseNote: String
    var versions: [VersionRow]
    var source: String?
    /// The hub's signature of an approved version; nil for pending and rejected ones.
    var signature: SignatureNote?

    struct SignatureNote {
        /// The sha256 of the signing key's PEM.
        var fingerprint: String
        var bundleHref: String
        var reviewHref: String
    }
}
