import Foundation
import MaxhubTestSupport
import Testing
@testable import MaxhubStore

/// `CatalogTime`: millisecond truncation and the stored text.
@Suite(.onTestThreads) struct CatalogTimeTests {
    @Test func textIsISO8601InUTCWithMilliseconds() {
        #expect(CatalogTime.text(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00.000Z")
        #expect(CatalogTime.text(Date(timeIntervalSince1970: 1_800_000_000.123_9)) == "2027-01-15T08:00:00.123Z")
        #expect(CatalogTime.text(Date(timeIntervalSince1970: -0.5)) == "1969-12-31T23:59:59.500Z")
        #expect(CatalogTime.text(.distantFuture) == "4001-01-01T00:00:00.000Z")
    }

    @Test func truncationRoundsDownAndIsIdempotent() {
        var random = SeededRandom(seed: 7)
        for _ in 0..<10_000 {
            let seconds = Double(Int64(random.next() % 8_000_000_000_000) - 2_000_000_000_000) / 1000 + Double(random.next(upTo: 1000)) / 1e6
            let date = Date(timeIntervalSince1970: seconds)
            let truncated = CatalogTime.truncated(date)
            #expect(truncated <= date)
            #expect(date.timeIntervalSince(truncated) < 0.001)
            #expect(CatalogTime.truncated(truncated) == truncated)
            #expect(CatalogTime.date(text: CatalogTime.text(date)) == truncated)
            #expect(CatalogTime.text(truncated) == CatalogTime.text(date))
        }
    }

    @Test func textSortsInTimeOrder() {
        let dates = (0..<200).map { Date(timeIntervalSince1970: Double($0 * 7_919) * 123.456 - 1_000_000) }
        #expect(dates.map(CatalogTime.text) == dates.sorted().map(CatalogTime.text))
        #expect(dates.map(CatalogTime.text).sorted() == dates.map(CatalogTime.text))
    }

    @Test(arguments: ["", "2026-11-21T10:15:30Z", "2026-11-21T10:15:30.123", "2026-13-21T10:15:30.123Z", "2026-11-21 10:15:30.123Z", "x"])
    func otherTextIsNotACatalogTime(_ text: String) {
        #expect(CatalogTime.date(text: text) == nil)
    }
}
