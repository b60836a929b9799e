import Foundation
import MaxhubArchive
import MaxhubCore
import MaxhubTestSupport
import Testing

@Suite("ArchiveInspector", .onTestThreads)
struct ArchiveInspectorTests {
    @Test("a packed archive lists every file with its size, digest and mode", arguments: ArchiveCompression.allCases)
    func roundTrip(compression: ArchiveCompression) throws {
        let folder = try TestFolder()
        defer { folder.remove() }
        let root = try PackageFixture.make(in: folder)
        let archivePath = folder.path("package" + compression.fileSuffix)
        let packed = try PackageFixture.pack(root, to: archivePath, compression: compression).files

        let entries = try ArchiveInspector().inspect(archiveAt: archivePath)
        #expect(entries.map(\.path) == packed.map(\.path))
        for (entry, file) in zip(entries, packed) {
            #expect(entry.kind == .file)
            #expect(entry.size == file.size)
            #expect(entry.digest == file.digest)
            #expect(entry.mode == (file.executable ? 0o755 : 0o644))
        }
        for entry in entries where entry.path != "maxhub.yaml" {
            let source = try FileDigester.digest(ofFileAt: root + "/" + entry.path)
            #expect(entry.digest == source.digest, "\(entry.path)")
            #expect(entry.size == source.size, "\(entry.path)")
        }
    }

    @Test("./ prefixes are dropped and the root folder entry is skipped; folders and safe links are listed")
    func normalizesPaths() throws {
        let folder = try TestFolder()
        defer { folder.remove() }
        let archivePath = folder.path("dots.tar")
        try makeHandMadeArchive(at: archivePath, [
            HandMadeEntry(path: "./", kind: .directory),
            .file("./a.txt", "a"),
            HandMadeEntry(path: "./sub/", kind: .directory),
            .file("./sub/b.txt", "bb"),
            HandMadeEntry(path: "sub/link", kind: .symlink("../b.txt")),
            HandMadeEntry(path: "sub/up", kind: .symlink("..")),
        ])
        let entries = try ArchiveInspector().inspect(archiveAt: archivePath)
        #expect(entries == [
            InspectedEntry(path: "a.txt", kind: .file, size: 1, digest: Digest.of(Array("a".utf8)), mode: 0o644),
            InspectedEntry(path: "sub", kind: .directory, size: 0, mode: 0o755),
            InspectedEntry(path: "sub/b.txt", kind: .file, size: 2, digest: Digest.of(Array("bb".utf8)), mode: 0o644),
            InspectedEntry(path: "sub/link", kind: .symlink, size: 0, linkTarget: "../b.txt", mode: 0o777),
            InspectedEntry(path: "sub/up", kind: .symlink, size: 0, linkTarget: "..", mode: 0o777),
        ])
    }

    @Test("an archive made by GNU tar from a folder lists with its folders and without ./")
    func gnuTarArchive() throws {
        let tar = "/usr/bin/tar"
        guard FileManager.default.isExecutableFile(atPath: tar) else { return }
        let folder = try TestFolder()
        defer { folder.remove() }
        try folder.write("pkg/a.txt", "a")
        try folder.write("pkg/sub/run.sh", "#!/bin/sh\n", mode: 0o755)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tar)
        process.arguments = ["--zstd", "--sort=name", "-cf", folder.path("gnu.tar.zst"), "-C", folder.path("pkg"), "."]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)

        let entries = try ArchiveInspector().inspect(archiveAt: folder.path("gnu.tar.zst"))
        #expect(entries.map(\.path) == ["a.txt", "sub", "sub/run.sh"])
        #expect(entries.map(\.kind) == [.file, .directory, .file])
        #expect(entries[2].isExecutable)
        #expect(entries[2].digest == Digest.of(Array("#!/bin/sh\n".utf8)))
    }

    @Test("unsafe entries are refused with an error naming them", arguments: UnsafeArchiveCase.all)
    func refusesUnsafe(unsafe: UnsafeArchiveCase) throws {
        let folder = try TestFolder()
        defer { folder.remove() }
        let archivePath = folder.path("unsafe.tar.gz")
        try makeHandMadeArchive(at: archivePath, unsafe.entries, compression: .gzip)
        let error = #expect(throws: ArchiveError.self) { try ArchiveInspector().inspect(archiveAt: archivePath) }
        #expect(error?.description.contains("\"\(unsafe.culprit)\"") == true, "\(String(describing: error))")
    }

    @Test("the error reads as one sentence naming the entry")
    func errorSentence() throws {
        let folder = try TestFolder()
        defer { folder.remove() }
        let archivePath = folder.path("passwd.tar")
        try makeHandMadeArchive(at: archivePath, [.file("../etc/passwd")])
        #expect(throws: ArchiveError.unsafeEntry("../etc/passwd", .leavesPackage)) {
            try ArchiveInspector().inspect(archiveAt: archivePath)
        }
        let sentence = ArchiveError.unsafeEntry("../etc/passwd", .leavesPackage).description
        #expect(sentence == "unsafe archive entry \"../etc/passwd\": path leaves the package")
    }

    @Test("a truncated archive is refused naming the entry cut short", arguments: [HandMadeCompression.none, .gzip, .zstd])
    func truncated(compression: HandMadeCompression) throws {
        let folder = try TestFolder()
        defer { folder.remove() }
        let archivePath = folder.path("cut.tar")
        try makeHandMadeArchive(
            at: archivePath,
            [.file("a.txt"), .file("big.bin", bytes: makeNoise(count: 2 << 20, seed: 7))],
            compression: compression
        )
        let bytes = try folder.read("cut.tar")
        try folder.write("cut.tar", Array(bytes[0..<(bytes.count / 2)]))

        let error = #expect(throws: ArchiveError.self) { try ArchiveInspector().inspect(archiveAt: archivePath) }
        #expect(error?.description.contains("\"big.bin\"") == true, "\(String(describing: error))")
    }

    @Test("a file that is not a tar archive is a clear error naming it")
    func notAnArchive() throws {
        let folder = try TestFolder()
        defer { folder.remove() }
        let path = try folder.write("notes.txt", String(repeating: "just some text, not a tar archive\n", count: 40))
        let error = #expect(throws: ArchiveError.self) { try ArchiveInspector().inspect(archiveAt: path) }
        guard case .unreadableArchive(path, let message)? = error else {
            Issue.record("unexpected \(String(describing: error))")
            return
        }
        #expect(!message.isEmpty)
        #expect(error?.description.hasPrefix("cannot read archive \(path): ") == true)

        let empty = try folder.write("empty.tar.zst", [])
        #expect(throws: ArchiveError.self) { try ArchiveInspector().inspect(archiveAt: empty) }
        let missing = folder.path("missing.tar")
        #expect(throws: ArchiveError.cannotOpen(path: missing, errno: ENOENT)) {
            try ArchiveInspector().inspect(archiveAt: missing)
        }
    }

    @Test("limits on entry size, total size and entry count name the entry that goes over")
    func limits() throws {
        let folder = try TestFolder()
        defer { folder.remove() }
        let archivePath = folder.path("big.tar.zst")
        try makeHandMadeArchive(
            at: archivePath,
            [.file("a.txt", bytes: [UInt8](repeating: 1, count: 600)), .file("b.txt", bytes: [UInt8](repeating: 2, count: 600)), .file("c.txt")],
            compression: .zstd
        )
        #expect(throws: ArchiveError.limitExceeded(entry: "a.txt", .entrySize(500))) {
            try ArchiveInspector(limits: ArchiveLimits(maxEntrySize: 500)).inspect(archiveAt: archivePath)
        }
        #expect(throws: ArchiveError.limitExceeded(entry: "b.txt", .totalSize(1000))) {
            try ArchiveInspector(limits: ArchiveLimits(maxTotalSize: 1000)).inspect(archiveAt: archivePath)
        }
        #expect(throws: ArchiveError.limitExceeded(entry: "c.txt", .entryCount(2))) {
            try ArchiveInspector(limits: ArchiveLimits(maxEntryCount: 2)).inspect(archiveAt: archivePath)
        }
        let roomy = ArchiveLimits(maxTotalSize: 1204, maxEntryCount: 3, maxEntrySize: 600)
        #expect(try ArchiveInspector(limits: roomy).inspect(archiveAt: archivePath).count == 3)
        #expect(ArchiveError.limitExceeded(entry: "b.txt", .totalSize(1000)).description.contains("\"b.txt\""))
    }
}
