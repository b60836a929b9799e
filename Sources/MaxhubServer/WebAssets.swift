import Mustache

/// The web catalog's templates, stylesheet and script, compiled into the binary from `web/` by `scripts/embed-web.sh`
/// (`WebAssets+Embedded.swift`), so that one `maxhub` binary serves them wherever it runs.
enum WebAssets {
    /// Every `web/*.mustache` template, by name without its extension (`home`, `model`, `head`, ...).
    static let library: MustacheLibrary = {
        var library = MustacheLibrary()
        for (file, text) in files where file.hasSuffix(".mustache") {
            do {
                try library.register(text, named: String(file.dropLast(".mustache".count)))
            } catch {
                // The templates are compiled in and a test parses them all: this is a build that skipped the tests.
                preconditionFailure("web/\(file) is not a valid Mustache template: \(error)")
            }
        }
        return library
    }()

    static let stylesheet = files["catalog.css"] ?? ""
    static let script = files["catalog.js"] ?? ""
}
