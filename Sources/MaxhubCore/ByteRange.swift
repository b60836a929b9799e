import Foundation

/// A single byte range of a `Range: bytes=...` request header (RFC 9110 section 14.1.2).
public enum ByteRange: Equatable, Sendable {
    /// `bytes=FIRST-LAST`, or `bytes=FIRST-` when `last` is nil.
    case from(Int64, through: Int64?)
    /// `bytes=-N`: the last N bytes.
    case suffix(Int64)

    /// Parses one range; nil for anything else (other units, several ranges, malformed), which the server answers
    /// with the whole blob, as RFC 9110 allows.
    public init?(header: String) {
        let value = header.trimmingCharacters(in: .whitespaces)
        guard value.lowercased().hasPrefix("bytes=") else { return nil }
        let spec = value.dropFirst("bytes=".count).trimmingCharacters(in: .whitespaces)
        guard !spec.contains(","), let dash = spec.firstIndex(of: "-") else { return nil }
        let first = spec[..<dash].trimmingCharacters(in: .whitespaces)
        let last = spec[spec.index(after: dash)...].trimmingCharacters(in: .whitespaces)
        func number(_ text: String) -> Int64? {
            guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
            return Int64(text)
        }
        if first.isEmpty {
            guard let count = number(last) else { return nil }
            self = .suffix(count)
        } else {
            guard let start = number(first) else { return nil }
            if last.isEmpty {
                self = .from(start, through: nil)
            } else {
                guard let end = number(last), end >= start else { return nil }
                self = .from(start, through: end)
            }
        }
    }

    /// The bytes this range selects in a blob of `size` bytes, or nil when it selects none (a 416).
    ///
    /// A last byte past the end of the blob stands for the blob's last byte, `bytes=0-9223372036854775807` included.
    public func resolve(size: Int64) -> Range<Int64>? {
        switch self {
        case .from(let start, let last):
            guard start < size else { return nil }
            // start < size, so size - 1 neither underflows nor falls below start, and + 1 cannot overflow.
            let end = min(last ?? (size - 1), size - 1) + 1
            return start..<end
        case .suffix(let count):
            guard count > 0, size > 0 else { return nil }
            return max(0, size - count)..<size
        }
    }
}
