/// Turns what a user typed into an FTS5 query that cannot be malformed.
///
/// The text is split on everything but letters and digits; each word becomes a quoted prefix term (`"word"*`), so FTS5
/// operators and punctuation (`AND`, `NEAR`, `"`, `*`, `(`, `:`) are only ever words or separators, and the terms are
/// ANDed. Text with no words means no text filter.
enum FullTextQuery {
    /// Words beyond this many are ignored, to keep a query cheap.
    static let maximumWords = 16

    /// The FTS5 query for `text`, or nil when it has no words.
    static func expression(for text: String?) -> String? {
        guard let text else { return nil }
        let words = words(in: text).prefix(maximumWords)
        guard !words.isEmpty else { return nil }
        return words.map { "\"\($0)\"*" }.joined(separator: " AND ")
    }

    /// The words of `text`: its runs of letters and digits, everything else a separator.
    static func words(in text: String) -> [Substring] {
        text.split { !($0.isLetter || $0.isNumber) }
    }
}
