import Foundation
import MaxhubArchive
import MaxhubTestSupport
import Testing

@Suite("PackageFileCollector", .onTestThreads)
struct PackageFileCollectorTests {
    @Test("files come sorted by UTF-8 bytes, with hidden files, the root manifest and empty folders left out")
    func sortedAndHidden() throws {
        let folder = try TestFolder()
        defer { folder.remove() }
        for path in ["b.txt", "B.txt", "a.txt", "a/b.txt", "a-b.txt", "é.txt", "sub/maxhub.yaml", "maxhub.yaml"] {
            try folder.write("pkg/" + path, path)
        }
        try folder.write("pkg/run.sh", "#!/bin/sh\n", mode: 0o750)
        for hidden in [".git/config", ".DS_Store", "sub/.hidden/x.txt", "sub/.env", ".maxhubignore"] {
            try folder.write("pkg/" + hidden, "hidden")
        }
        try folder.makeFolder("pkg/empty/also-empty")

        let files = try PackageFileCollector(root: folder.path("pkg")).collect()
        #expect(files.map(\.path) == ["B.txt", "a-b.txt", "a.txt", "a/b.txt", "b.txt", "run.sh", "sub/maxhub.yaml", "é.txt"])
        #expect(files.filter(\.executable).map(\.path) == ["run.sh"])
        #expect(files.allSatisfy { $0.absolutePath == folder.path("pkg/" + $0.path) })
        #expect(files.first { $0.path == "a/b.txt" }?.size == 7)
    }

    @Test(".maxhubignore: comments, base-name patterns, path patterns and folder patterns")
    func ignoreRules() throws {
        let folder = try TestFolder()
        defer { folder.remove() }
        try folder.write("pkg/.maxhubignore", """
            # scratch files anywhere
            *.tmp
              *.log   \r
            /data/raw/*
            cache/
            notes/draft?.md

            """)
        let kept = ["model.onnx", "data/clean.csv", "data/rawness.csv", "cache.txt", "notes/final.md", "notes/draft10.md", "src/cache.py"]
        let ignored = [
            "x.tmp", "deep/er/y.tmp", "run.log", "data/raw/a.csv", "data/raw/sub/b.csv", "cache/blob", "src/cache/blob", "notes/draft1.md",
        ]
        for path in kept + ignored { try folder.write("pkg/" + path, path) }

        let files = try PackageFileCollector(root: folder.path("pkg")).collect()
        #expect(files.map(\.path) == kept.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
    }

    @Test("negated patterns are refused rather than misread")
    func negation() throws {
        let folder = try TestFolder()
        defer { folder.remove() }
        try folder.write("pkg/.maxhubignore", "*.bin\n!keep.bin\n")
        #expect {
            try PackageFileCollector(root: folder.path("pkg")).collect()
        } throws: { error in
            guard case .invalidIgnorePattern(_, 2, "!keep.bin", _)? = error as? ArchiveError else { return false }
            return true
        }
    }

    @Test("symlinks and fifos are refused with their path; ignored ones do not matter")
    func specialFiles() throws {
        let folder = try TestFolder()
        defer { folder.remove() }
        try folder.write("pkg/a.txt", "a")
        try folder.makeFolder("pkg/sub")
        try FileManager.default.createSymbolicLink(atPath: folder.path("pkg/sub/link.txt"), withDestinationPath: "../a.txt")
        #expect(throws: ArchiveError.unsupportedFileType(path: folder.path("pkg/sub/link.txt"), kind: "symbolic link")) {
            try PackageFileCollector(root: folder.path("pkg")).collect()
        }
        let error = ArchiveError.unsupportedFileType(path: folder.path("pkg/sub/link.txt"), kind: "symbolic link")
        #expect(error.description.contains(folder.path("pkg/sub/link.txt")))

        try folder.write("pkg/.maxhubignore", "link.txt\n")
        #expect(try PackageFileCollector(root: folder.path("pkg")).collect().map(\.path) == ["a.txt"])

        #expect(mkfifo(folder.path("pkg/pipe"), 0o644) == 0)
        #expect(throws: ArchiveError.unsupportedFileType(path: folder.path("pkg/pipe"), kind: "fifo")) {
            try PackageFileCollector(root: folder.path("pkg")).collect()
        }
        // Hidden special files are skipped before they are looked at.
        try FileManager.default.removeItem(atPath: folder.path("pkg/pipe"))
        try FileManager.default.createSymbolicLink(atPath: folder.path("pkg/.venv"), withDestinationPath: "/usr")
        #expect(try PackageFileCollector(root: folder.path("pkg")).collect().map(\.path) == ["a.txt"])
    }

    @Test("excluded paths, such as the archive being written inside the package, are left out")
    func excluded() throws {
        let folder = try TestFolder()
        defer { folder.remove() }
        try folder.write("pkg/a.txt", "a")
        try folder.write("pkg/dist/pkg-1.0.0.tar.zst", "old archive")
        let collector = PackageFileCollector(
            root: folder.path("pkg"),
            excluding: [folder.path("pkg/dist/pkg-1.0.0.tar.zst"), folder.path("pkg/not-yet-written.tar.zst")]
        )
        #expect(try collector.collect().map(\.path) == ["a.txt"])
    }
}
