/// What the review queue shows a reviewer: the pending versions, oldest first, and a notice of the review just recorded.
struct QueueView {
    struct Row {
        var name: String
        var version: String
        var href: String
        var task: String
        var licenses: String
        var publishedBy: String
        var isOwn: Bool
        var publishedAt: String
    }

    var chrome: PageChrome
    var notice: String?
    var summary: String
    var hasVersions: Bool
    var versions: [Row]
}
