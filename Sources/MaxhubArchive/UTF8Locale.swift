#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs libarchive calls with a UTF-8 `LC_CTYPE` on the current thread only.
///
/// libarchive converts entry names between the locale's charset and UTF-8 (pax headers are UTF-8).
/// Under the C locale a non-ASCII name fails that conversion and libarchive falls back to
/// `hdrcharset=BINARY`, so the same files would give different archives under different locales.
/// `uselocale` changes the calling thread alone and leaves the process locale untouched.
enum UTF8Locale {
    nonisolated(unsafe) private static let locale: locale_t? = {
        for name in ["C.UTF-8", "C.utf8", "en_US.UTF-8", "UTF-8"] {
            if let locale = newlocale(LC_CTYPE_MASK, name, nil) { return locale }
        }
        return nil
    }()

    static func run<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        guard let locale else { return try body() }
        let previous = uselocale(locale)
        defer { if let previous { uselocale(previous) } }
        return try body()
    }
}
