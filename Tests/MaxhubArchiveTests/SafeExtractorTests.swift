import Foundation
import MaxhubArchive
import MaxhubCore
import MaxhubTestSupport
import Testing

@Suite("SafeExtractor", .onTestThreads)
struct SafeExtractorTests {
    @Test("a packed archive extracts byte-identically, with the digests computed while writing", arguments: ArchiveCompression.allCases)
    func roundTrip(compression: ArchiveCompression) throws {
        let folder = try TestFolder()
        defer { folder.remove() }
        let root = try PackageFixture.make(in: folder)
        let archivePath = folder.path("package" + compression.fileSuffix)
        let packed = try PackageFixture.pack(root, to: archivePath, compression: compression).files

        let entries = try SafeExtractor().extract(archiveAt: archivePath, into: folder.path("out"))
        #expect(entries == (try ArchiveInspector().inspect(archiveAt: archivePath)))
        #expect(entries.map(\.path) == packed.map(\.path))
        for file in try PackageFileCollector(root: root).collect() {
            #expect(try folder.read("out/" + file.path) == folder.read("package/" + file.path), "\(file.path)")
            let attributes = try FileManager.default.attributesOfItem(atPath: folder.path("out/" + file.path))
            let mode = (attributes[.posixPermissions] as? Int) ?? 0
            #expect((mode & 0o111 != 0) == file.executable, "\(file.path)")
        }
        let manifest = try #require(packed.last)
        #expect(Digest.of(try folder.read("out/maxhub.yaml")) == manifest.digest)
    }

    @Test("a safe link inside the package is extracted as a link")
    func safeSymlink() throws {
        let folder = try TestFolder()
        defer { folder.remove() }
        let archivePath = folder.path("links.tar.zst")
        try makeHandMadeArchive(
            at: archivePath,
            [.file("b.txt", "target"), HandMadeEntry(path: "a/link", kind: .symlink("../b.txt"))],
            compression: .zstd
        )
        let entries = try SafeExtractor().extract(archiveAt: archivePath, into: folder.path("out"))
        #expect(entries.map(\.path) == ["b.txt", "a/link"])
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: folder.path("out/a/link")) == "../b.txt")
        #expect(try String(contentsOfFile: folder.path("out/a/link"), encoding: .utf8) == "target")
    }

    @Test("unsafe entries are refused, naming them, and nothing is left behind", arguments: UnsafeArchiveCase.all)
    func refusesUnsafe(unsafe: UnsafeArchiveCase) throws {
        let folder = try TestFolder()
        defer { folder.remove() }
        try folder.makeFolder("archives")
        try folder.makeFolder("parent")
        let archivePath = folder.path("archives/unsafe.tar.zst")
        try makeHandMadeArchive(at: archivePath, unsafe.entries, compression: .zstd)

        let error = #expect(throws: ArchiveError.self) {
            try SafeExtractor().extract(archiveAt: archivePath, into: folder.path("parent/out"))
        }
        #expect(error?.description.contains("\"\(unsafe.culprit)\"") == true, "\(String(describing: error))")
        #expect(try folder.contents("parent") == [], "the destination it created is removed again")
        #expect(try folder.contents() == ["archives", "parent"])
        #expect(!FileManager.default.fileExists(atPath: "/tmp/maxhub-evil.txt"))
    }

    @Test("a truncated archive leaves an existing empty destination empty")
    func truncated() throws {
        let folder = try TestFolder()
        defer { folder.remove() }
        let archivePath = folder.path("cut.tar.zst")
        try makeHandMadeArchive(
            at: archivePath,
            [.file("a.txt"), .file("big.bin", bytes: makeNoise(count: 2 << 20, seed: 9))],
            compression: .zstd
        )
        let bytes = try folder.read("cut.tar.zst")
        try folder.write("cut.tar.zst", Array(bytes[0..<(bytes.count / 2)]))
        try folder.makeFolder("out")

        let error = #expect(throws: ArchiveError.self) { try SafeExtractor().extract(archiveAt: archivePath, into: folder.path("out")) }
        #expect(error?.description.contains("\"big.bin\"") == true, "\(String(describing: error))")
        #expect(try folder.contents("out") == [])
    }

    @Test("archives over the limits and non-archives are refused before anything is written")
    func limitsAndGarbage() throws {
        let folder = try TestFolder()
        defer { folder.remove() }
        let archivePath = folder.path("big.tar.gz")
        let entries = [HandMadeEntry.file("small.txt"), .file("huge.bin", bytes: [UInt8](repeating: 0, count: 5000))]
        try makeHandMadeArchive(at: archivePath, entries, compression: .gzip)
        #expect(throws: ArchiveError.limitExceeded(entry: "huge.bin", .entrySize(4096))) {
            try SafeExtractor(limits: ArchiveLimits(maxEntrySize: 4096)).extract(archiveAt: archivePath, into: folder.path("out"))
        }
        #expect(!folder.exists("out"))

        let garbage = try folder.write("garbage.tar.zst", makeNoise(count: 10_000, seed: 3))
        #expect {
            try SafeExtractor().extract(archiveAt: garbage, into: folder.path("out"))
        } throws: { error in
            guard case .unreadableArchive(garbage, _)? = error as? ArchiveError else { return false }
            return true
        }
        #expect(!folder.exists("out"), "a bad archive does not even create the destination")
    }

    @Test("the destination must be new or empty")
    func destinationMustBeEmpty() throws {
        let folder = try TestFolder()
        defer { folder.remove() }
        let archivePath = folder.path("a.tar")
        try makeHandMadeArchive(at: archivePath, [.file("a.txt")])
        try folder.write("out/existing.txt", "keep me")
        #expect(throws: ArchiveError.destinationNotEmpty(folder.path("out"))) {
            try SafeExtractor().extract(archiveAt: archivePath, into: folder.path("out"))
        }
        #expect(try folder.read("out/existing.txt") == Array("keep me".utf8))

        try folder.makeFolder("empty")
        #expect(try SafeExtractor().extract(archiveAt: archivePath, into: folder.path("empty")).map(\.path) == ["a.txt"])
        #expect(throws: ArchiveError.cannotCreate(path: folder.path("no/such/out"), errno: ENOENT)) {
            try SafeExtractor().extract(archiveAt: archivePath, into: folder.path("no/such/out"))
        }
    }
}
