import MaxhubTestSupport
import Testing
@testable import MaxhubCore

@Suite(.onTestThreads) struct HTTPRangeTests {
    @Test(arguments: [
        ("bytes=0-99", ByteRange.from(0, through: 99)),
        ("bytes=100-", .from(100, through: nil)),
        ("bytes=-500", .suffix(500)),
        (" BYTES= 5 - 10 ", .from(5, through: 10)),
    ])
    func parsesOneByteRange(_ header: String, _ expected: ByteRange) {
        #expect(ByteRange(header: header) == expected)
    }

    @Test(arguments: ["bytes=0-1,5-6", "items=0-1", "bytes=5-4", "bytes=-", "bytes=1-2-3", "bytes=+1-2", "bytes=99999999999999999999-"])
    func refusesOtherRanges(_ header: String) {
        #expect(ByteRange(header: header) == nil)
    }

    @Test func resolvesWithinTheBlob() {
        #expect(ByteRange.from(0, through: 99).resolve(size: 50) == 0..<50)
        #expect(ByteRange.from(10, through: nil).resolve(size: 50) == 10..<50)
        #expect(ByteRange.from(50, through: nil).resolve(size: 50) == nil)
        #expect(ByteRange.suffix(500).resolve(size: 50) == 0..<50)
        #expect(ByteRange.suffix(0).resolve(size: 50) == nil)
    }

    /// `last + 1` overflowed, so any reader could stop the hub with one GET (HTTPRangeFuzz's crash: the first header).
    @Test func aLastByteOfInt64MaxIsTheEndOfTheBlob() throws {
        #expect(ByteRange(header: "bytes=5-9223372036854775807")?.resolve(size: 100) == 5..<100)
        let range = try #require(ByteRange(header: "bytes=0-9223372036854775807"))
        #expect(range.resolve(size: 100) == 0..<100)
        #expect(range.resolve(size: Int64.max) == 0..<Int64.max)
        #expect(ByteRange.from(Int64.max - 1, through: Int64.max).resolve(size: Int64.max) == (Int64.max - 1)..<Int64.max)
    }

    @Test func parsesAContentRange() throws {
        let oci = try #require(ContentRange(header: "0-99"))
        #expect((oci.first, oci.last, oci.end, oci.count) == (0, 99, 100, 100))
        #expect(ContentRange(header: "bytes 100-199/*") == ContentRange(header: "100-199"))
        #expect(ContentRange(header: "bytes 100-199/1000")?.count == 100)
        for header in ["", "5-4", "bytes 0-9/abc", "bytes 0-9", "-9", "0-", "1-2-3", "+1-2"] {
            #expect(ContentRange(header: header) == nil, "\(header)")
        }
    }

    /// A last byte of Int64.max made `count` and the upload's end overflow.
    @Test func refusesALastByteOfInt64Max() throws {
        #expect(ContentRange(header: "0-9223372036854775807") == nil)
        #expect(ContentRange(header: "bytes 9223372036854775807-9223372036854775807/*") == nil)
        let largest = try #require(ContentRange(header: "0-9223372036854775806"))
        #expect(largest.end == Int64.max)
        #expect(largest.count == Int64.max)
    }
}
