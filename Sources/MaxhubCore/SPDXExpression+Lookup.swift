/// Looking ids up on the embedded SPDX License List: without regard to case, and by resemblance for suggestions.
extension SPDXExpression {
    /// Listed license ids by their lower-case form, for the spec's case-insensitive matching.
    static let licensesByLowercasedID = Dictionary(uniqueKeysWithValues: licenseIDs.map { ($0.lowercased(), $0) })
    /// Listed exception ids by their lower-case form.
    static let exceptionsByLowercasedID = Dictionary(uniqueKeysWithValues: exceptionIDs.map { ($0.lowercased(), $0) })

    private static let licenseSuggestionKeys = licenseIDs.sorted().map { (key: suggestionKey($0), id: $0) }
    private static let exceptionSuggestionKeys = exceptionIDs.sorted().map { (key: suggestionKey($0), id: $0) }

    /// The listed license that `text` most resembles, if any is close.
    static func licenseSuggestion(for text: String) -> String? { suggestion(for: text, among: licenseSuggestionKeys) }

    /// The listed exception that `text` most resembles, if any is close.
    static func exceptionSuggestion(for text: String) -> String? { suggestion(for: text, among: exceptionSuggestionKeys) }

    /// Compares only lower-case ASCII letters and digits, so `Apache 2`, `apache_2.0` and `Apache-2.0` come close, and allows
    /// an edit (insertion, deletion, substitution or swap of neighbours) for every four characters, at least one; the nearest
    /// id wins, then the shortest, then the first in code point order.
    private static func suggestion(for text: String, among candidates: [(key: [UInt8], id: String)]) -> String? {
        let key = suggestionKey(text)
        guard !key.isEmpty else { return nil }
        let limit = max(1, key.count / 4)
        var best: (distance: Int, length: Int, id: String)?
        for candidate in candidates where abs(candidate.key.count - key.count) <= limit {
            let distance = editDistance(key, candidate.key)
            guard distance <= limit else { continue }
            let contender = (distance: distance, length: candidate.id.count, id: candidate.id)
            if let current = best, current <= contender { continue }
            best = contender
        }
        return best?.id
    }

    private static func suggestionKey(_ text: String) -> [UInt8] {
        text.lowercased().utf8.filter { (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) }
    }

    /// The optimal string alignment distance: Levenshtein plus the swap of two neighbouring characters.
    static func editDistance(_ a: [UInt8], _ b: [UInt8]) -> Int {
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var beforePrevious = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    current[j] = min(current[j], beforePrevious[j - 2] + 1)
                }
            }
            (beforePrevious, previous, current) = (previous, current, beforePrevious)
        }
        return previous[b.count]
    }
}
