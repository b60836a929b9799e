import Foundation
import MaxhubArchive
import MaxhubCore
import MaxhubTestSupport
import Testing

/// The extractor following an archive that another thread is still writing, as `maxhub pull` does with a download.
@Suite("SafeExtractor following a growing file", .onTestThreads)
struct GrowingFileExtractionTests {
    /// Copies `source` to `target` in small pieces from another thread, publishing each piece, then finishes; or
    /// abandons the file after `abandonAfter` bytes.
    private static func copyInPieces(
        _ source: String, to target: String, growth: GrowingFile, piece: Int = 7_919, abandonAfter: Int? = nil
    ) -> Thread {
        let bytes = FileManager.default.contents(atPath: source) ?? Data()
        let thread = Thread {
            FileManager.default.createFile(atPath: target, contents: nil)
            guard let handle = FileHandle(forWritingAtPath: target) else { return growth.abandon("cannot open \(target)") }
            var written = 0
            while written < bytes.count {
                if let abandonAfter, written >= abandonAfter {
                    try? handle.close()
                    return growth.abandon("the connection was reset")
                }
                let end = min(written + piece, bytes.count)
                handle.write(bytes[written..<end])
                written = end
                growth.grew(to: Int64(written))
                if written / piece % 16 == 0 { usleep(1_000) }
            }
            try? handle.close()
            growth.finish()
        }
        thread.start()
        return thread
    }

    @Test("an archive written piece by piece extracts exactly as from the finished file", arguments: ArchiveCompression.allCases)
    func followsTheWriter(compression: ArchiveCompression) throws {
        let folder = try TestFolder()
        defer { folder.remove() }
        let root = try PackageFixture.make(in: folder)
        let archivePath = folder.path("package" + compression.fileSuffix)
        _ = try PackageFixture.pack(root, to: archivePath, compression: compression)

        let growth = GrowingFile()
        let growing = folder.path("growing.partial")
        _ = Self.copyInPieces(archivePath, to: growing, growth: growth)
        let followed = try SafeExtractor().extract(archiveAt: growing, into: folder.path("out"), following: growth)

        #expect(followed == (try ArchiveInspector().inspect(archiveAt: archivePath)))
        for file in try PackageFileCollector(root: root).collect() {
            #expect(try folder.read("out/" + file.path) == folder.read("package/" + file.path), "\(file.path)")
        }
    }

    @Test("an abandoned download stops the extractor with the writer's reason and leaves nothing behind")
    func abandoned() throws {
        let folder = try TestFolder()
        defer { folder.remove() }
        let root = try PackageFixture.make(in: folder)
        let archivePath = folder.path("package.tar.gz")
        _ = try PackageFixture.pack(root, to: archivePath, compression: .gzip)
        let size = try #require(FileManager.default.attributesOfItem(atPath: archivePath)[.size] as? Int)

        let growth = GrowingFile()
        _ = Self.copyInPieces(archivePath, to: folder.path("growing.partial"), growth: growth, piece: 512, abandonAfter: size / 2)
        let error = #expect(throws: ArchiveError.self) {
            try SafeExtractor().extract(archiveAt: folder.path("growing.partial"), into: folder.path("out"), following: growth)
        }
        #expect(error?.description.contains("the download stopped: the connection was reset") == true, "\(String(describing: error))")
        #expect(!FileManager.default.fileExists(atPath: folder.path("out")))
    }

    @Test("a reader waits for bytes it has not seen and sees the end only once the writer finishes")
    func availability() async throws {
        let growth = GrowingFile()
        growth.grew(to: 10)
        #expect(growth.waitForBytes(beyond: 0) == .available(10))
        growth.grew(to: 4)
        #expect(growth.waitForBytes(beyond: 9) == .available(10), "the length never shrinks")
        let waiter = Task.detached { growth.waitForBytes(beyond: 10) }
        try await Task.sleep(for: .milliseconds(50))
        growth.finish()
        #expect(await waiter.value == .end)
        growth.abandon("late")
        #expect(growth.waitForBytes(beyond: 10) == .abandoned("late"))
    }
}
