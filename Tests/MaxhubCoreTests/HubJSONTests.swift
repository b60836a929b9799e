import Foundation
import MaxhubTestSupport
import Testing

@testable import MaxhubCore

@Suite(.onTestThreads) struct HubJSONTests {
    @Test("a time read back from its text writes the same text, to the millisecond")
    func timesRoundTrip() throws {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let milliseconds = Int64.random(in: 0..<4_102_444_800_000, using: &generator)
            let date = Date(timeIntervalSince1970: TimeInterval(milliseconds) / 1000)
            let text = HubJSON.format(date)
            let read = try #require(HubJSON.parse(text))
            #expect(HubJSON.format(read) == text)
        }
        // 1796360405.384 is held as 1796360405.38399994…: it is still .384.
        #expect(HubJSON.format(Date(timeIntervalSince1970: 1_796_360_405.384)) == "2026-12-04T05:00:05.384Z")
        #expect(HubJSON.format(Date(timeIntervalSince1970: 1_796_360_405.9996)) == "2026-12-04T05:00:06.000Z")
        #expect(HubJSON.format(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00.000Z")
        #expect(HubJSON.format(Date(timeIntervalSince1970: -0.5)) == "1969-12-31T23:59:59.500Z")
    }
}
