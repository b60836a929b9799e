import Foundation

/// How the PostgreSQL catalog finds words, made to find what SQLite's FTS5 finds with `FullTextQuery` and the
/// `unicode61 remove_diacritics 2` tokenizer: a word is a run of letters and digits (`FullTextQuery.words(in:)`),
/// lowercased and stripped of combining diacritical marks, and each word of a search matches the words it begins.
///
/// The words are made here rather than by a PostgreSQL text search configuration: its parser splits text its own way
/// (`acme/digits-classifier` is one file path to it), its lowercasing follows the database's locale, and `unaccent` is
/// an extension that a hub's database role may not be allowed to create.
enum PostgresFullText {
    /// The longest lexeme `search_lexemes` (in migration v1) keeps, in characters: PostgreSQL refuses lexemes over 2 KB.
    /// Longer words are still whole in the version's word arrays, which searches check.
    static let lexemeLength = 255

    /// Every word of `text`, in order, as the catalog stores and compares words.
    static func words(of text: String) -> [String] {
        FullTextQuery.words(in: text).map(normalized).filter { !$0.isEmpty }
    }

    /// The terms a search looks for, as `FullTextQuery.expression(for:)` makes them for SQLite: at most
    /// `FullTextQuery.maximumWords`, in order; nil when the text has no words, which means no text filter.
    static func terms(of text: String?) -> [String]? {
        guard let text else { return nil }
        let terms = FullTextQuery.words(in: text).prefix(FullTextQuery.maximumWords).map(normalized).filter { !$0.isEmpty }
        return terms.isEmpty ? nil : terms
    }

    /// The `tsquery` that finds the versions with a lexeme beginning with `term` (cut as `search_lexemes` cuts).
    static func lexemeQuery(_ term: String) -> String {
        let lexeme = String(String.UnicodeScalarView(term.unicodeScalars.prefix(lexemeLength)))
        return "'" + lexeme.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "''") + "':*"
    }

    /// The `tsquery` that finds the versions with a lexeme beginning with each of `terms`.
    static func lexemeQuery(_ terms: [String]) -> String {
        terms.map(lexemeQuery).joined(separator: " & ")
    }

    /// Lowercased, then without the combining diacritical marks that canonical decomposition shows (`É` is `E` and
    /// U+0301), then composed again.
    private static func normalized(_ word: Substring) -> String {
        let decomposed = word.lowercased().decomposedStringWithCanonicalMapping.unicodeScalars
        let kept = String(String.UnicodeScalarView(decomposed.filter { !isDiacriticalMark($0) }))
        return kept.precomposedStringWithCanonicalMapping
    }

    /// The Unicode blocks of combining diacritical marks, which `remove_diacritics 2` drops.
    private static func isDiacriticalMark(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x0300...0x036F, 0x1AB0...0x1AFF, 0x1DC0...0x1DFF, 0x20D0...0x20FF, 0xFE20...0xFE2F: true
        default: false
        }
    }
}
