/// What the review page shows of one version: what was published, the licenses it declared, and the form to approve
/// or reject it with the licenses the reviewer confirms (as last sent, when the form comes back with an error).
struct ReviewView {
    var chrome: PageChrome
    var name: String
    var version: String
    var action: String
    var description: String
    var task: String
    var framework: String?
    var publishedBy: String
    var publishedAt: String
    var state: String
    var isPending: Bool
    var isOwn: Bool
    var error: String?
    var cardHTML: String?
    var fileSummary: String
    var files: [FileRow]
    var declaredCode: String
    var declaredWeights: String
    var declaredData: String
    var licenseCode: String
    var licenseWeights: String
    var licenseData: String
    var note: String
}
