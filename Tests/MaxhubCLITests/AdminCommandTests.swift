import Foundation
import MaxhubCore
import MaxhubTestSupport
import Testing

/// `maxhub admin fsck`, `gc` and `backup` on a real hub's data folder, while the hub serves it.
@Suite("maxhub admin fsck, gc and backup against a running hub", .onTestThreads)
struct AdminCommandTests {
    /// A hub with one package published by its admin; returns the hub, the admin token and the archive's digest.
    static func hubWithPackage(_ harness: CLIHarness, weights: String = String(repeating: "w", count: 400_000)) throws
        -> (RunningHub, admin: String, digest: String)
    {
        let hub = try RunningHub(dataFolder: harness.url("hub").path)
        let admin = try #require(hub.printedAdminToken)
        let folder = try PublishCommandTests.writePackage(version: "1.0.0", weights: weights, in: harness)
        let published = try harness.run("publish", folder, "--url", hub.url, "--token", admin)
        try #require(published.status == 0, "\(published.stderr)")
        return (hub, admin, published.lines[1])
    }

    static func blobPath(_ hub: RunningHub, _ digest: String) -> String {
        let hex = digest.dropFirst("sha256:".count)
        return "\(hub.dataFolder)/blobs/sha256/\(hex.prefix(2))/\(hex)"
    }

    /// Flips one byte in the middle of a stored blob, behind the hub's back.
    static func flipAByte(_ path: String) throws {
        let handle = try #require(FileHandle(forUpdatingAtPath: path))
        defer { try? handle.close() }
        let size = try handle.seekToEnd()
        try handle.seek(toOffset: size / 2)
        let byte = try #require(try handle.read(upToCount: 1)?.first)
        try handle.seek(toOffset: size / 2)
        try handle.write(contentsOf: [byte ^ 0x01])
    }

    static func age(_ path: String, days: Double) throws {
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-days * 86400)], ofItemAtPath: path)
    }

    @Test func fsckNamesACorruptBlobQuarantinesItAndAnUploadRepairsIt() throws {
        let harness = try CLIHarness()
        defer { harness.cleanUp() }
        let (hub, admin, digest) = try Self.hubWithPackage(harness)
        defer { hub.stop() }
        let data = hub.dataFolder

        let clean = try harness.run("admin", "fsck", "--data", data)
        #expect(clean.status == 0, "\(clean.stdout)\(clean.stderr)")
        #expect(clean.lines.last?.hasPrefix("checked 1 blob (") == true, "\(clean.stdout)")
        #expect(clean.lines.last?.hasSuffix("0 corrupt, 0 missing, 0 used by nothing; catalog integrity: ok") == true, "\(clean.stdout)")

        let blob = Self.blobPath(hub, digest)
        let original = try Data(contentsOf: URL(fileURLWithPath: blob))
        try Self.flipAByte(blob)
        let found = try harness.run("admin", "fsck", "--data", data)
        #expect(found.status == 4)
        #expect(found.lines.first?.hasPrefix("corrupt: \(digest) (") == true, "\(found.stdout)")
        #expect(found.lines.first?.hasSuffix("used by digits-classifier@1.0.0") == true, "\(found.stdout)")
        #expect(FileManager.default.fileExists(atPath: blob), "without --repair nothing moves")

        let repaired = try harness.run("admin", "fsck", "--data", data, "--repair")
        #expect(repaired.status == 4)
        #expect(repaired.lines.first?.hasSuffix("quarantined at \(data)/quarantine/sha256/\(digest.dropFirst(7))") == true, "\(repaired.stdout)")
        #expect(!FileManager.default.fileExists(atPath: blob))
        // The hub answers the quarantined digest as missing, and fsck names the version left without its archive.
        #expect(try Curl.run(["-I", "-H", "Authorization: Bearer \(admin)", "\(hub.url)/api/v1/blobs/\(digest)"]).status == 404)
        let missing = try harness.run("admin", "fsck", "--data", data)
        #expect(missing.status == 4)
        #expect(missing.lines.first == "missing: \(digest), used by digits-classifier@1.0.0", "\(missing.stdout)")

        // An upload of the right bytes repairs it.
        let archive = harness.url("archive.tar.zst").path
        try original.write(to: URL(fileURLWithPath: archive))
        let upload = try Curl.run([
            "-X", "POST", "-T", archive, "-H", "Authorization: Bearer \(admin)", "\(hub.url)/api/v1/blobs/uploads?digest=\(digest)",
        ])
        #expect(upload.status == 201, "\(upload.body)")
        #expect(try harness.run("admin", "fsck", "--data", data).status == 0)
        #expect(try Data(contentsOf: URL(fileURLWithPath: blob)) == original)
    }

    @Test func aWholeReadOfARottenBlobIsNeverAnsweredWhole() throws {
        let harness = try CLIHarness()
        defer { harness.cleanUp() }
        let (hub, admin, digest) = try Self.hubWithPackage(harness)
        defer { hub.stop() }
        let blob = Self.blobPath(hub, digest)
        let size = try #require(try FileManager.default.attributesOfItem(atPath: blob)[.size] as? Int)
        try Self.flipAByte(blob)

        // The hub hashes what it sends and withholds the last chunk: curl gets less than Content-Length promised.
        let output = harness.url("download").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["curl", "-s", "-o", output, "-H", "Authorization: Bearer \(admin)", "\(hub.url)/api/v1/blobs/\(digest)"]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 18, "curl: partial file")
        let received = (try? FileManager.default.attributesOfItem(atPath: output)[.size] as? Int) ?? 0
        #expect(received < size)
        // From then on the digest is missing, so a publish sends the bytes again.
        #expect(try Curl.run(["-I", "-H", "Authorization: Bearer \(admin)", "\(hub.url)/api/v1/blobs/\(digest)"]).status == 404)
        #expect(FileManager.default.fileExists(atPath: "\(hub.dataFolder)/quarantine/sha256/\(digest.dropFirst(7))"))
        // A range read is not a whole read: it is served as stored (and HEAD answers 404 now, so it is a 404 too).
        #expect(try Curl.run(["-H", "Range: bytes=0-9", "-H", "Authorization: Bearer \(admin)", "\(hub.url)/api/v1/blobs/\(digest)"]).status == 404)
    }

    @Test func gcRemovesOnlyOldBlobsAndUploadsThatNoVersionUses() throws {
        let harness = try CLIHarness()
        defer { harness.cleanUp() }
        let (hub, admin, digest) = try Self.hubWithPackage(harness)
        defer { hub.stop() }
        let data = hub.dataFolder

        // An orphan: uploaded, never published (a kill between upload and publish, or a publish race's loser).
        let orphanFile = harness.url("orphan.bin").path
        try Data(repeating: 7, count: 300_000).write(to: URL(fileURLWithPath: orphanFile))
        let orphan = try harness.run("digest", orphanFile).stdout.split(separator: " ").first.map(String.init) ?? ""
        let uploaded = try Curl.run([
            "-X", "POST", "-T", orphanFile, "-H", "Authorization: Bearer \(admin)", "\(hub.url)/api/v1/blobs/uploads?digest=\(orphan)",
        ])
        try #require(uploaded.status == 201, "\(uploaded.body) \(orphan)")
        // An abandoned resumable upload.
        let started = try Curl.run(["-i", "-X", "POST", "-H", "Authorization: Bearer \(admin)", "\(hub.url)/api/v1/blobs/uploads"])
        #expect(started.status == 202)
        let uploads = "\(data)/uploads/resumable"
        let abandoned = try #require(try FileManager.default.contentsOfDirectory(atPath: uploads).first)

        // Just stored: the default grace (24 h) keeps everything.
        let fresh = try harness.run("admin", "gc", "--data", data)
        #expect(fresh.status == 0, "\(fresh.stderr)")
        #expect(fresh.lines == ["removed 0 blobs (0 B) and 0 uploads (0 B) older than 24h"])

        // Two days old: the orphan and the upload go, the published archive stays however old it is.
        try Self.age(Self.blobPath(hub, orphan), days: 2)
        try Self.age(Self.blobPath(hub, digest), days: 2)
        try Self.age("\(uploads)/\(abandoned)", days: 2)
        let dry = try harness.run("admin", "gc", "--data", data, "--dry-run")
        #expect(dry.lines.first == "would remove blob \(orphan) (300.0 kB)", "\(dry.stdout)")
        #expect(dry.lines.contains("would remove upload \(abandoned) (0 B)"), "\(dry.stdout)")
        #expect(FileManager.default.fileExists(atPath: Self.blobPath(hub, orphan)))

        // A curator asking for the orphan before a publish renews its grace.
        #expect(try Curl.run(["-I", "-H", "Authorization: Bearer \(admin)", "\(hub.url)/api/v1/blobs/\(orphan)"]).status == 200)
        #expect(try harness.run("admin", "gc", "--data", data, "--dry-run").lines.first == "would remove upload \(abandoned) (0 B)")
        try Self.age(Self.blobPath(hub, orphan), days: 2)

        let collected = try harness.run("admin", "gc", "--data", data, "--grace", "1h")
        #expect(collected.status == 0)
        #expect(collected.lines.last == "removed 1 blob (300.0 kB) and 1 upload (0 B) older than 1h", "\(collected.stdout)")
        #expect(!FileManager.default.fileExists(atPath: Self.blobPath(hub, orphan)))
        #expect(try FileManager.default.contentsOfDirectory(atPath: uploads).isEmpty)
        #expect(try harness.run("admin", "fsck", "--data", data).status == 0)
        let kept = try Curl.run(["-o", "/dev/null", "-H", "Authorization: Bearer \(admin)", "\(hub.url)/api/v1/blobs/\(digest)"])
        #expect(kept.status == 200)
    }

    @Test func aBackupMadeWhileTheHubServesIsAHubOfItsOwn() throws {
        let harness = try CLIHarness()
        defer { harness.cleanUp() }
        let (hub, admin, _) = try Self.hubWithPackage(harness)
        defer { hub.stop() }
        let reviewer = try harness.run("token", "create", "--user", "rita", "--role", "reviewer", "--url", hub.url, "--token", admin)
            .stdout.trimmingCharacters(in: .newlines)
        #expect(try harness.run("review", "approve", "digits-classifier@1.0.0", "--url", hub.url, "--token", reviewer).status == 0)

        let destination = harness.url("backup").path
        let backup = try harness.run("admin", "backup", destination, "--data", hub.dataFolder)
        #expect(backup.status == 0, "\(backup.stderr)")
        #expect(backup.lines.last?.hasPrefix("backed up the catalog and 1 blob (") == true, "\(backup.stdout)")
        #expect(try harness.run("admin", "backup", destination, "--data", hub.dataFolder).stderr.contains("is not empty"))
        #expect(try harness.run("admin", "fsck", "--data", destination).status == 0)

        // The original keeps changing; the copy is the catalog as it was.
        #expect(try harness.run("yank", "digits-classifier@1.0.0", "--url", hub.url, "--token", admin).status == 0)
        let restored = try RunningHub(dataFolder: destination)
        defer { restored.stop() }
        #expect(restored.printedAdminToken == nil, "the copy has its tokens")
        let info = try harness.run("info", "digits-classifier@1.0.0", "--json", "--url", restored.url, "--token", reviewer)
        #expect(info.status == 0 && info.stdout.contains("\"approved\""), "\(info.stdout)\(info.stderr)")
        let pulled = try harness.run("pull", "digits-classifier", "--url", restored.url, "--cache", harness.url("cache").path)
        #expect(pulled.status == 0, "\(pulled.stderr)")
        #expect(try harness.run("admin", "fsck", "--data", harness.url("nowhere").path).status == 3)
    }
}
