/// A version's model card: the text of the README its archive carried, as published.
///
/// The hub keeps at most a bounded prefix of a README (`ModelCard.maxBytes`); `truncated` says when the file was longer.
public struct ModelCard: Sendable, Equatable {
    /// The most README bytes the hub keeps for a version, so that a model page stays small.
    public static let maxBytes = 48 << 10

    /// Markdown, as the package wrote it (invalid UTF-8 repaired).
    public var text: String
    /// Whether the README was longer than what is kept.
    public var truncated: Bool

    public init(text: String, truncated: Bool = false) {
        self.text = text
        self.truncated = truncated
    }

    /// The card for a README's bytes: at most `maxBytes` of them, cut at a character boundary.
    public init(bytes: some Collection<UInt8>, limit: Int = ModelCard.maxBytes) {
        guard bytes.count > limit else {
            self.init(text: String(decoding: bytes, as: UTF8.self))
            return
        }
        var kept = Array(bytes.prefix(limit))
        // Drop a partial UTF-8 sequence at the cut: continuation bytes, then the lead byte they belonged to.
        var end = kept.count
        while end > 0 && kept[end - 1] & 0b1100_0000 == 0b1000_0000 { end -= 1 }
        if end > 0 && kept[end - 1] >= 0b1100_0000 { end -= 1 }
        kept.removeSubrange(end...)
        self.init(text: String(decoding: kept, as: UTF8.self), truncated: true)
    }
}
