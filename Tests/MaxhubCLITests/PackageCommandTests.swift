import Foundation
import MaxhubTestSupport
import Testing

/// `maxhub init`, `validate`, `pack` and `inspect`, run as a user runs them.
@Suite(.onTestThreads) struct PackageCommandTests {
    /// An initialised package with a few files, including a nested one and an executable.
    func makePackage(_ cli: CLIHarness, name: String = "digits-classifier") throws -> String {
        #expect(try cli.run("init", name).status == 0)
        try cli.write("weights-v1\n", to: "\(name)/model.onnx")
        try cli.write("0\n1\n2\n", to: "\(name)/labels.txt")
        try cli.write("x,y\n1,2\n", to: "\(name)/eval/test.csv")
        try cli.write("print('serve')\n", to: "\(name)/serve.py")
        chmod(cli.url("\(name)/serve.py").path, 0o755)
        return name
    }

    @Test func initWritesAValidSkeletonAndNeverOverwrites() throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        #expect(try cli.run("init", "acme/sentiment", "--task", "text-classification").status == 0)
        let validate = try cli.run("validate", "sentiment")
        #expect(validate.status == 0, "\(validate.stderr)")
        #expect(try cli.read("sentiment/maxhub.yaml").contains("name: acme/sentiment"))
        let again = try cli.run("init", "acme/sentiment")
        #expect(again.status == 1)
        #expect(again.stderr.contains("already exists"))
    }

    @Test func initRejectsBadNamesAndTasksAsUsageErrors() throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        #expect(try cli.run("init", "Not A Name").status == 2)
        #expect(try cli.run("init", "ok-name", "--task", "mind-reading").status == 2)
    }

    @Test func packIsReproducibleAndFillsInFiles() throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        let name = try makePackage(cli)
        let first = try cli.run("pack", name, "-o", "a.tar.zst")
        #expect(first.status == 0, "\(first.stderr)")
        let digest = try #require(first.lines.last)
        #expect(digest.hasPrefix("sha256:") && digest.count == 71)
        let manifestText = try cli.read("\(name)/maxhub.yaml")
        #expect(manifestText.contains("- {path: model.onnx, size: 11, sha256: "))
        #expect(manifestText.contains("# maxhub package manifest."), "comments are kept")

        // Same folder, new mtimes and another output path: the same bytes.
        sleep(1)
        try cli.write("weights-v1\n", to: "\(name)/model.onnx")
        let second = try cli.run("pack", name, "-o", "b.tar.zst")
        #expect(second.lines.last == digest)
        #expect(try Data(contentsOf: cli.url("a.tar.zst")) == Data(contentsOf: cli.url("b.tar.zst")))

        // One changed byte changes the digest.
        try cli.write("weights-v2\n", to: "\(name)/model.onnx")
        let third = try cli.run("pack", name, "-o", "c.tar.zst")
        #expect(third.status == 0)
        #expect(third.lines.last != digest)

        let gzip = try cli.run("pack", "--gzip", name, "-o", "d.tar.gz")
        #expect(gzip.status == 0)
        #expect(try cli.run("pack", "--gzip", name, "-o", "e.tar.gz").lines.last == gzip.lines.last)
    }

    @Test func defaultOutputNameAndJSON() throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        let name = try makePackage(cli)
        let result = try cli.run("pack", name, "--json")
        #expect(result.status == 0)
        #expect(FileManager.default.fileExists(atPath: cli.url("digits-classifier-0.1.0.tar.zst").path))
        let report = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        #expect((report?["files"] as? [Any])?.count == 5)
        #expect((report?["digest"] as? String)?.hasPrefix("sha256:") == true)
    }

    @Test func packingInsideThePackageLeavesEarlierArchivesOut() throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        let name = try makePackage(cli)
        let folder = CLIHarness(directory: cli.url(name))
        #expect(try folder.run("pack").status == 0)
        var text = try cli.read("\(name)/maxhub.yaml")
        text = text.replacingOccurrences(of: "version: 0.1.0", with: "version: 0.2.0")
        try cli.write(text, to: "\(name)/maxhub.yaml")
        let second = try folder.run("pack", "--json")
        #expect(second.status == 0, "\(second.stderr)")
        #expect(!second.stdout.contains("digits-classifier-0.1.0.tar.zst"))
        #expect(FileManager.default.fileExists(atPath: cli.url("\(name)/digits-classifier-0.2.0.tar.zst").path))
        #expect(try folder.run("validate").status == 0)
    }

    @Test func noUpdateLeavesTheManifestFileAlone() throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        let name = try makePackage(cli)
        let before = try cli.read("\(name)/maxhub.yaml")
        let result = try cli.run("pack", "--no-update", name, "-o", "a.tar.zst")
        #expect(result.status == 0)
        #expect(try cli.read("\(name)/maxhub.yaml") == before)
        #expect(try cli.run("inspect", "a.tar.zst").status == 0, "the archive still carries the filled-in manifest")
    }

    @Test func inspectRefusesAnArchiveOverMaxSize() throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        let name = try makePackage(cli)
        #expect(try cli.run("pack", name, "-o", "a.tar.zst").status == 0)
        #expect(try cli.run("inspect", "a.tar.zst", "--max-size", "100000").status == 0)
        let result = try cli.run("inspect", "a.tar.zst", "--max-size", "100")
        #expect(result.status == 4)
        #expect(result.stderr.contains("a.tar.zst"))
    }

    @Test func validateChecksEveryListedFile() throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        let name = try makePackage(cli)
        #expect(try cli.run("pack", name, "-o", "a.tar.zst").status == 0)
        #expect(try cli.run("validate", name).status == 0)

        try cli.write("weights-vX\n", to: "\(name)/model.onnx")
        try cli.write("new\n", to: "\(name)/extra.bin")
        try FileManager.default.removeItem(at: cli.url("\(name)/labels.txt"))
        let result = try cli.run("validate", name)
        #expect(result.status == 4)
        #expect(result.stderr.contains("model.onnx: checksum mismatch: expected sha256:"))
        #expect(result.stderr.contains("extra.bin: not listed in files:"))
        #expect(result.stderr.contains("labels.txt: listed in files: but missing"))
    }

    @Test func validateListsEveryManifestProblem() throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        let name = try makePackage(cli)
        var text = try cli.read("\(name)/maxhub.yaml")
        text = text.replacingOccurrences(of: "shape: [1, 4]", with: "shape: one-by-four")
        text = text.replacingOccurrences(of: "port: 5000", with: "port: 70000")
        try cli.write(text, to: "\(name)/maxhub.yaml")
        let result = try cli.run("validate", name)
        #expect(result.status == 1)
        #expect(result.stderr.contains("inputs[0].shape: expected array"))
        #expect(result.stderr.contains("serving.port"))
    }

    @Test func packRefusesAnInvalidManifestAndMissingReferencedFiles() throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        let name = try makePackage(cli)
        try FileManager.default.removeItem(at: cli.url("\(name)/README.md"))
        let result = try cli.run("pack", name, "-o", "a.tar.zst")
        #expect(result.status == 1)
        #expect(result.stderr.contains("readme: \"README.md\" is not in the package folder"))
        #expect(!FileManager.default.fileExists(atPath: cli.url("a.tar.zst").path))
    }

    @Test func packRefusesSymlinks() throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        let name = try makePackage(cli)
        try FileManager.default.createSymbolicLink(atPath: cli.url("\(name)/link").path, withDestinationPath: "/etc/passwd")
        let result = try cli.run("pack", name, "-o", "a.tar.zst")
        #expect(result.status == 1)
        #expect(result.stderr.contains("link"))
    }

    @Test func inspectListsEntriesAndChecksThemAgainstTheManifest() throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        let name = try makePackage(cli)
        let packed = try cli.run("pack", name, "-o", "a.tar.zst")
        let result = try cli.run("inspect", "a.tar.zst")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("model.onnx"))
        #expect(result.stdout.contains("eval/test.csv"))
        #expect(result.lines.last?.hasSuffix(packed.lines.last ?? "-") == true)
        let json = try cli.run("inspect", "a.tar.zst", "--json")
        let report = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        #expect((report?["entries"] as? [Any])?.count == 6)
        #expect(report?["manifest"] as? String == "digits-classifier@0.1.0")
    }

    @Test func inspectRefusesAnArchiveWhoseManifestDisagreesWithItsEntries() throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        let zeros = String(repeating: "0", count: 64)
        let manifest = try cli.read(try makePackage(cli) + "/maxhub.yaml") + """
            files:
              - {path: README.md, size: 999, sha256: "\(zeros)"}
              - {path: model.onnx, size: 3, sha256: "\(zeros)"}
              - {path: missing.bin, size: 1, sha256: "\(zeros)"}

            """
        try makeHandMadeArchive(at: cli.url("bad.tar").path, [
            .file("README.md", "# card\n"), .file("extra.bin", "x"), .file("model.onnx", "abc"), .file("maxhub.yaml", manifest),
        ])
        let result = try cli.run("inspect", "bad.tar")
        #expect(result.status == 4)
        #expect(result.stderr.contains("README.md: size 7 bytes, files: says 999"))
        #expect(result.stderr.contains("model.onnx: checksum mismatch: expected sha256:\(zeros), got sha256:ba7816bf"))
        #expect(result.stderr.contains("extra.bin: in the archive but not in files:"))
        #expect(result.stderr.contains("missing.bin: listed in files: but not in the archive"))
    }

    @Test(arguments: [
        ("absolute", HandMadeEntry.file("/etc/evil", "x"), "/etc/evil"),
        ("dotdot", HandMadeEntry.file("a/../../evil", "x"), "a/../../evil"),
        ("escaping symlink", HandMadeEntry(path: "link", kind: .symlink("../../etc/passwd")), "link"),
        ("hard link", HandMadeEntry(path: "hard", kind: .hardlink("model.onnx")), "hard"),
        ("fifo", HandMadeEntry(path: "pipe", kind: .fifo), "pipe"),
        ("device", HandMadeEntry(path: "tty", kind: .characterDevice), "tty"),
    ])
    func inspectRefusesUnsafeEntriesNamingThem(_ name: String, _ entry: HandMadeEntry, _ entryName: String) throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        try makeHandMadeArchive(at: cli.url("unsafe.tar").path, [.file("model.onnx", "abc"), entry])
        let result = try cli.run("inspect", "unsafe.tar")
        #expect(result.status == 4, "\(name)")
        #expect(result.stderr.contains("\"\(entryName)\""), "\(name): \(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1)
    }

    @Test func inspectOfAMissingOrCorruptFile() throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        #expect(try cli.run("inspect", "nope.tar.zst").status == 3)
        try cli.write("not an archive at all", to: "junk.tar.zst")
        let junk = try cli.run("inspect", "junk.tar.zst")
        #expect(junk.status == 4)
        #expect(junk.stderr.contains("junk.tar.zst"))
    }

    @Test func digestMatchesSha256sum() throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        try cli.write("abc", to: "abc.txt")
        let result = try cli.run("digest", "abc.txt")
        #expect(result.stdout == "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad  3  abc.txt\n")
        #expect(try cli.run("digest", "missing.txt").status == 1)
    }
}
