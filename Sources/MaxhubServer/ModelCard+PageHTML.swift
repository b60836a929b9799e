import MaxhubStore

extension ModelCard {
    /// The most HTML a model card may take on a page; a longer rendering is redone from a shorter part of the README.
    static var pageHTMLBudget: Int { 52 << 10 }

    /// The README as safe HTML within `pageHTMLBudget`: rendered whole when it fits, else from ever shorter beginnings.
    var pageHTML: (html: String, shortened: Bool) {
        var text = Substring(self.text)
        var html = SafeMarkdown.html(from: String(text))
        var shortened = false
        while html.utf8.count > Self.pageHTMLBudget && !text.isEmpty {
            text = text.prefix(text.count / 2)
            html = SafeMarkdown.html(from: String(text))
            shortened = true
        }
        return (html, shortened)
    }
}
