import Foundation
import MaxhubArchive
import MaxhubCore
import MaxhubTestSupport
import Testing

@Suite("ReproducibleArchiveWriter", .onTestThreads)
struct ReproducibleArchiveWriterTests {
    @Test("the same files give byte-identical archives whatever their times and group/other bits", arguments: ArchiveCompression.allCases)
    func reproducible(compression: ArchiveCompression) throws {
        let folder = try TestFolder()
        defer { folder.remove() }
        let root = try PackageFixture.make(in: folder)
        try folder.makeFolder("out")

        let first = try PackageFixture.pack(root, to: folder.path("out/first" + compression.fileSuffix), compression: compression)

        // Another day, another umask, another machine.
        let later = Date(timeIntervalSince1970: 1_700_000_000.123)
        for file in try PackageFileCollector(root: root).collect() {
            try FileManager.default.setAttributes([.modificationDate: later], ofItemAtPath: file.absolutePath)
        }
        try folder.chmod("package/README.md", 0o600)
        try folder.chmod("package/model/weights.bin", 0o664)
        try folder.chmod("package/bin/serve.sh", 0o700)

        let secondPath = folder.path("out/second" + compression.fileSuffix)
        let second = try PackageFixture.pack(root, to: secondPath, compression: compression)
        #expect(second.digest == first.digest)
        #expect(second.size == first.size)
        #expect(second.files == first.files)
        #expect(try folder.read("out/first" + compression.fileSuffix) == folder.read("out/second" + compression.fileSuffix))

        // The digest was computed while writing; it is the digest of the file on disk.
        let onDisk = try FileDigester.digest(ofFileAt: secondPath)
        #expect(onDisk.digest == second.digest)
        #expect(onDisk.size == second.size)

        var readme = try folder.read("package/README.md")
        readme[2] ^= 0x20
        try folder.write("package/README.md", readme)
        let third = try PackageFixture.pack(root, to: folder.path("out/third" + compression.fileSuffix), compression: compression)
        #expect(third.digest != first.digest)
    }

    @Test("entries keep only the executable bit, and the manifest comes last")
    func packedFiles() throws {
        let folder = try TestFolder()
        defer { folder.remove() }
        let root = try PackageFixture.make(in: folder)
        let packed = try PackageFixture.pack(root, to: folder.path("package.tar.zst"), compression: .zstd).files

        #expect(packed.map(\.path) == [
            "README.md", "bin/serve.sh", "deep/" + String(repeating: "nested-folder/", count: 6) + "file-with-a-long-name.txt",
            "donn\u{e9}es/mod\u{e8}le-\u{e9}.txt", "empty.txt", PackageFixture.longName, "model/weights.bin", "maxhub.yaml",
        ])
        #expect(packed.filter(\.executable).map(\.path) == ["bin/serve.sh"])
        let weights = try #require(packed.first { $0.path == "model/weights.bin" })
        let expected = try FileDigester.digest(ofFileAt: folder.path("package/model/weights.bin"))
        #expect(weights.digest == expected.digest)
        #expect(weights.size == expected.size)
        // The archive was written inside the folder it packs, and left itself out.
        #expect(!packed.contains { $0.path.hasSuffix(".tar.zst") })
    }

    @Test("gzip output carries no timestamp and no file name; zstd output is a zstd frame")
    func compressionHeaders() throws {
        let folder = try TestFolder()
        defer { folder.remove() }
        for compression in ArchiveCompression.allCases {
            let writer = try ReproducibleArchiveWriter(writingTo: folder.path("a" + compression.fileSuffix), compression: compression)
            _ = try writer.addData(Array("hello\n".utf8), as: "a.txt")
            _ = try writer.finish()
        }
        let gzip = try folder.read("a.tar.gz")
        #expect(Array(gzip[0..<3]) == [0x1f, 0x8b, 0x08])
        #expect(gzip[3] == 0, "no FNAME or other optional fields")
        #expect(Array(gzip[4..<8]) == [0, 0, 0, 0], "MTIME is zero")
        let zstd = try folder.read("a.tar.zst")
        #expect(Array(zstd[0..<4]) == [0x28, 0xb5, 0x2f, 0xfd])
    }

    @Test("entries must come in byte order, once each, before the trailer")
    func ordering() throws {
        let folder = try TestFolder()
        defer { folder.remove() }
        let writer = try ReproducibleArchiveWriter(writingTo: folder.path("a.tar.zst"), compression: .zstd)
        _ = try writer.addData([1], as: "b/c.txt")
        #expect(throws: ArchiveError.entryOutOfOrder(entry: "a.txt", previous: "b/c.txt")) {
            try writer.addData([2], as: "a.txt")
        }
        #expect(throws: ArchiveError.duplicateEntry("b/c.txt")) { try writer.addData([2], as: "b/c.txt") }
        // Byte order, not String order: "b/c.txt" < "b0" because "/" (0x2f) < "0" (0x30); "Z" (0x5a) < "a" (0x61).
        _ = try writer.addData([3], as: "b0")
        _ = try writer.addData([4], as: "c/Z.txt")
        _ = try writer.addData([5], as: "c/a.txt")
        _ = try writer.addTrailer([6], as: "maxhub.yaml")
        let afterTrailer = ArchiveError.entryAfterTrailer(entry: "z.txt", trailer: "maxhub.yaml")
        #expect(throws: afterTrailer) { try writer.addData([7], as: "z.txt") }
        #expect(afterTrailer.description.contains("\"z.txt\""))
        #expect(throws: ArchiveError.duplicateEntry("c/a.txt")) { try writer.addTrailer([8], as: "c/a.txt") }
        _ = try writer.finish()
        #expect(throws: ArchiveError.writerClosed(archive: folder.path("a.tar.zst"))) { try writer.finish() }

        let paths = try ArchiveInspector().inspect(archiveAt: folder.path("a.tar.zst")).map(\.path)
        #expect(paths == ["b/c.txt", "b0", "c/Z.txt", "c/a.txt", "maxhub.yaml"])
    }

    @Test(
        "entry paths must be canonical and relative",
        arguments: ["", "/abs.txt", "./a.txt", "a//b.txt", "a/", "../x", "a/../b", "a\\b", "C:/x", "a\u{0}b"]
    )
    func invalidPaths(path: String) throws {
        let folder = try TestFolder()
        defer { folder.remove() }
        let writer = try ReproducibleArchiveWriter(writingTo: folder.path("a.tar.zst"), compression: .zstd)
        #expect {
            try writer.addData([1], as: path)
        } throws: { error in
            guard case .invalidEntryPath(path, _)? = error as? ArchiveError else { return false }
            return true
        }
        // A refused path writes nothing: the writer goes on.
        _ = try writer.addData([1], as: "ok.txt")
        _ = try writer.finish()
    }

    @Test("a writer dropped without finish leaves no file behind, and an error abandons it")
    func cleanup() throws {
        let folder = try TestFolder()
        defer { folder.remove() }
        try folder.write("source.bin", makeNoise(count: 3000, seed: 1))
        do {
            let writer = try ReproducibleArchiveWriter(writingTo: folder.path("dropped.tar.zst"), compression: .zstd)
            _ = try writer.addFile(at: folder.path("source.bin"), as: "source.bin")
            #expect(try folder.contents().count == 2, "the temp file exists while writing")
        }
        #expect(try folder.contents() == ["source.bin"])

        // A file that cannot be packed is refused before its entry starts.
        try FileManager.default.createSymbolicLink(atPath: folder.path("link"), withDestinationPath: "source.bin")
        let writer = try ReproducibleArchiveWriter(writingTo: folder.path("kept.tar.gz"), compression: .gzip)
        #expect(throws: ArchiveError.unsupportedFileType(path: folder.path("link"), kind: "symbolic link")) {
            try writer.addFile(at: folder.path("link"), as: "link")
        }
        #expect(throws: ArchiveError.cannotOpen(path: folder.path("missing"), errno: ENOENT)) {
            try writer.addFile(at: folder.path("missing"), as: "missing")
        }
        _ = try writer.addFile(at: folder.path("source.bin"), as: "source.bin")
        _ = try writer.finish()
        #expect(try folder.contents() == ["kept.tar.gz", "link", "source.bin"])
    }

    #if os(Linux)
    @Test("a file that grows while it is read abandons the archive")
    func fileChangedWhileReading() throws {
        // Files under /proc report size 0 and then yield bytes: a file that grew after its header was written.
        let folder = try TestFolder()
        defer { folder.remove() }
        let writer = try ReproducibleArchiveWriter(writingTo: folder.path("a.tar.zst"), compression: .zstd)
        _ = try writer.addData([1], as: "a.txt")
        #expect(throws: ArchiveError.fileChangedWhileReading(path: "/proc/self/status", expectedSize: 0, actualSize: nil)) {
            try writer.addFile(at: "/proc/self/status", as: "status")
        }
        #expect(try folder.contents() == [], "the temp file is gone")
        #expect(throws: ArchiveError.writerClosed(archive: folder.path("a.tar.zst"))) { try writer.addData([2], as: "b.txt") }
        #expect(throws: ArchiveError.writerClosed(archive: folder.path("a.tar.zst"))) { try writer.finish() }
    }
    #endif

    @Test("the archive lists with GNU tar as owner 0/0 at the epoch")
    func systemTarLists() throws {
        let tar = "/usr/bin/tar"
        guard FileManager.default.isExecutableFile(atPath: tar) else { return }
        let folder = try TestFolder()
        defer { folder.remove() }
        let root = try PackageFixture.make(in: folder)
        for compression in ArchiveCompression.allCases {
            let archivePath = folder.path("listed" + compression.fileSuffix)
            let packed = try PackageFixture.pack(root, to: archivePath, compression: compression)
            let listed = try ToolRun.run(
                tar, [compression == .zstd ? "--zstd" : "--gzip", "-tvf", archivePath], environment: ["LC_ALL": "C.UTF-8", "TZ": "UTC"])
            let listing = listed.stdout
            let warnings = listed.stderr
            #expect(listed.status == 0, "\(warnings)")
            #expect(warnings.isEmpty)
            let lines = listing.split(separator: "\n")
            #expect(lines.count == packed.files.count)
            for line in lines {
                #expect(line.contains(" 0/0 "), "\(line)")
                #expect(line.contains("1970-01-01 00:00"), "\(line)")
            }
            #expect(lines.contains { $0.hasPrefix("-rwxr-xr-x") && $0.hasSuffix("bin/serve.sh") })
            #expect(lines.contains { $0.hasPrefix("-rw-r--r--") && $0.hasSuffix(PackageFixture.longName) })
            #expect(lines.contains { $0.hasSuffix(PackageFixture.longPath) })
            #expect(lines.contains { $0.hasSuffix(PackageFixture.unicodePath) })
        }
    }
}
