/// The `Content-Range` of an upload chunk: OCI's `FIRST-LAST`, or RFC 9110's `bytes FIRST-LAST/TOTAL` (`*` allowed).
struct ContentRange: Equatable {
    var first: Int64
    var last: Int64

    init?(header: String) {
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
            let first = Int64(parts[0]), let last = Int64(parts[1]), last >= first
        else { return nil }
        self.first = first
        self.last = last
    }

    var count: Int64 { last - first + 1 }
}
