import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// What every page shows around its content: the title, the navigation, who is signed in, and the inlined stylesheet
/// and script, which the page's Content-Security-Policy allows by their hashes (`WebPage.contentSecurityPolicy`).
struct PageChrome {
    enum Section {
        case catalog, review, docs, login, none
    }

    var title: String
    var stylesheet: String
    var script: String
    var signedIn: Bool
    var user: String?
    var isReviewer: Bool
    var csrf: String?
    var onCatalog: Bool
    var onReview: Bool
    var onDocs: Bool
    var onLogin: Bool

    init(title: String, section: Section, context: HubRequestContext) {
        self.title = title
        stylesheet = WebAssets.stylesheet
        script = WebAssets.script
        signedIn = context.webSession != nil
        user = context.webSession?.identity.user
        isReviewer = context.identity?.roles.permit(.reviewer) ?? false
        csrf = context.webSession?.csrf
        onCatalog = section == .catalog
        onReview = section == .review
        onDocs = section == .docs
        onLogin = section == .login
    }

}
