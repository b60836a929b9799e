import Foundation
import FuzzSupport
import MaxhubCore

/// The same text read as a download's `Range` header (`ByteRange`) and as an upload chunk's `Content-Range`
/// (`ContentRange`), the two headers a hub parses from anyone who may read or upload.
///
/// A byte range resolves, for any blob size, to nothing or to a non-empty range inside the blob, and prints back to a
/// header that reads as itself; a content range has a positive count and an end that fits, and prints back likewise.
enum HTTPRangeFuzz {
    private static let sizes: [Int64] = [0, 1, 2, 99, 100, 101, 1 << 32, Int64.max - 1, Int64.max]

    static func test(_ data: Data) {
        let text = String(decoding: data, as: UTF8.self)
        if let range = ByteRange(header: text) { check(range, text) }
        if let range = ContentRange(header: text) { check(range, text) }
    }

    private static func check(_ range: ByteRange, _ text: String) {
        let header: String
        var sizes = sizes
        switch range {
        case .from(let first, let last):
            FuzzCheck.expect(first >= 0 && (last ?? first) >= first, "the range \(range) is backwards", input: text)
            header = "bytes=\(first)-\(last.map(String.init) ?? "")"
            sizes += [first, first &+ 1, last ?? first, (last ?? first) &+ 1].filter { $0 >= 0 }
        case .suffix(let count):
            FuzzCheck.expect(count >= 0, "the suffix \(count) is negative", input: text)
            header = "bytes=-\(count)"
            sizes += [count, count &+ 1, count &- 1].filter { $0 >= 0 }
        }
        FuzzCheck.expect(ByteRange(header: header) == range, "\(range) prints as \(header), which reads otherwise", input: text)
        for size in sizes {
            guard let bytes = range.resolve(size: size) else { continue }
            FuzzCheck.expect(
                bytes.lowerBound >= 0 && bytes.lowerBound < bytes.upperBound && bytes.upperBound <= size,
                "\(range) resolves to \(bytes) in a blob of \(size) bytes", input: text)
        }
    }

    private static func check(_ range: ContentRange, _ text: String) {
        FuzzCheck.expect(range.first >= 0 && range.count >= 1, "the chunk \(range) is empty or negative", input: text)
        FuzzCheck.expect(range.end == range.first + range.count, "the chunk's end and count disagree", input: text)
        for header in ["\(range.first)-\(range.last)", "bytes \(range.first)-\(range.last)/*", "bytes \(range.first)-\(range.last)/\(range.end)"] {
            FuzzCheck.expect(ContentRange(header: header) == range, "\(range) prints as \(header), which reads otherwise", input: text)
        }
    }
}

@main
struct HTTPRangeFuzzMain {
    static func main() { FuzzDriver.main("HTTPRangeFuzz", fuzz) }
}

/// libFuzzer's entry point: one input per call.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    HTTPRangeFuzz.test(data.map { Data(bytes: $0, count: size) } ?? Data())
    return 0
}
