import Foundation

/// How the catalog keeps times: UTC, to the millisecond, as ISO 8601 text (`2026-11-21T10:15:30.123Z`), which sorts
/// in time order and reads well in the `sqlite3` shell.
///
/// A time is truncated to its millisecond on the way in (rounded down, never up), so a time read back from the catalog
/// equals `truncated(_:)` of the time written. Times are clamped to the years 0001 to 9999.
public enum CatalogTime {
    /// The time as the catalog will give it back: rounded down to the millisecond.
    public static func truncated(_ date: Date) -> Date {
        self.date(milliseconds: milliseconds(of: date))
    }

    /// The time as stored: `YYYY-MM-DDTHH:MM:SS.mmmZ`.
    public static func text(_ date: Date) -> String {
        let milliseconds = milliseconds(of: date)
        let seconds = milliseconds.floorDivided(by: 1000)
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
            Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1, Int(parts.tm_mday),
            Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec), Int(milliseconds - seconds * 1000)
        )
    }

    /// Reads a time written by `text(_:)`; nil for anything else.
    public static func date(text: String) -> Date? {
        let bytes = Array(text.utf8)
        guard bytes.count == 24, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"), bytes[10] == UInt8(ascii: "T"),
            bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"), bytes[19] == UInt8(ascii: "."),
            bytes[23] == UInt8(ascii: "Z"),
            let year = number(bytes[0..<4]), let month = number(bytes[5..<7]), let day = number(bytes[8..<10]),
            let hour = number(bytes[11..<13]), let minute = number(bytes[14..<16]), let second = number(bytes[17..<19]),
            let millisecond = number(bytes[20..<23]),
            (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 60
        else { return nil }
        var parts = tm()
        parts.tm_year = Int32(year - 1900)
        parts.tm_mon = Int32(month - 1)
        parts.tm_mday = Int32(day)
        parts.tm_hour = Int32(hour)
        parts.tm_min = Int32(minute)
        parts.tm_sec = Int32(second)
        let seconds = Int64(timegm(&parts))
        return self.date(milliseconds: seconds * 1000 + Int64(millisecond))
    }

    /// Milliseconds since 1970: the largest whole millisecond not after `date`.
    static func milliseconds(of date: Date) -> Int64 {
        let interval = min(max(date.timeIntervalSince1970, earliest), latest)
        var milliseconds = Int64((interval * 1000).rounded(.down))
        // Floating point can land one off either way; settle on the exact floor so that truncation is idempotent.
        while self.date(milliseconds: milliseconds) > date, milliseconds > Int64(earliest * 1000) { milliseconds -= 1 }
        while self.date(milliseconds: milliseconds + 1) <= date, milliseconds < Int64(latest * 1000) { milliseconds += 1 }
        return milliseconds
    }

    static func date(milliseconds: Int64) -> Date {
        Date(timeIntervalSince1970: Double(milliseconds) / 1000)
    }

    /// 0001-01-01T00:00:00.000Z and 9999-12-31T23:59:59.999Z.
    private static let earliest: TimeInterval = -62_135_596_800
    private static let latest: TimeInterval = 253_402_300_799.999

    private static func number(_ digits: ArraySlice<UInt8>) -> Int? {
        var value = 0
        for byte in digits {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return value
    }
}

extension Int64 {
    fileprivate func floorDivided(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}
