import MaxhubTestSupport

/// Archives that `maxhub pack` would never write, made with libarchive's writer (it writes what it is told).
enum UnsafeArchive {
    static func withEntry(_ name: String, contents: String) throws -> [UInt8] {
        try makeHandMadeArchive([.file(name, contents)], compression: .gzip)
    }
}
