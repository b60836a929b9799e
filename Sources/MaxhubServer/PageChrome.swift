import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// What every page shows around its content: the title, the navigation, who is signed in, and the inlined stylesheet
/// and script with the nonce that the page's Content-Security-Policy allows them by.
struct PageChrome {
    enum Section {
        case catalog, review, docs, login, none
    }

    var title: String
    var nonce: String
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
        nonce = Self.makeNonce()
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

    private static func makeNonce() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<16).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return Data(bytes).base64EncodedString()
    }
}
