import Foundation

/// The `Content-Range` of an upload chunk: OCI's `FIRST-LAST`, or RFC 9110's `bytes FIRST-LAST/TOTAL` (`*` allowed).
public struct ContentRange: Equatable, Sendable {
    /// The offset of the chunk's first byte.
    public var first: Int64
    /// The offset of the chunk's last byte; always below `Int64.max`, so that `end` and `count` can be computed.
    public var last: Int64

    /// Parses the header; nil for anything malformed, a last byte before the first, or a last byte of `Int64.max`
    /// (no chunk can end there, and the offset after it would not fit in 64 bits).
    public init?(header: String) {
        var spec = Substring(header.trimmingCharacters(in: .whitespaces))
        if spec.lowercased().hasPrefix("bytes ") {
            spec = spec.dropFirst("bytes ".count)
            guard let slash = spec.firstIndex(of: "/") else { return nil }
            let total = spec[spec.index(after: slash)...]
            guard total == "*" || (!total.isEmpty && total.utf8.allSatisfy { $0 >= 48 && $0 <= 57 }) else { return nil }
            spec = spec[..<slash]
        }
        let parts = spec.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2,
            parts.allSatisfy({ !$0.isEmpty && $0.utf8.allSatisfy { $0 >= 48 && $0 <= 57 } }),
            let first = Int64(parts[0]), let last = Int64(parts[1]), last >= first, last < Int64.max
        else { return nil }
        self.first = first
        self.last = last
    }

    /// The offset just after the chunk's last byte: the upload's size once the chunk is appended.
    public var end: Int64 { last + 1 }

    /// The number of bytes in the chunk.
    public var count: Int64 { end - first }
}
