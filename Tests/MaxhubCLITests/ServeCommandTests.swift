import Foundation
import MaxhubCore
import MaxhubTestSupport
import Testing

@Suite("maxhub serve and maxhub token, as processes", .onTestThreads)
struct ServeCommandTests {
    @Test func firstStartMakesAnAdminTokenOnce() throws {
        let harness = try CLIHarness()
        defer { harness.cleanUp() }
        let data = harness.url("hub").path
        let hub = try RunningHub(dataFolder: data)
        let token = try #require(hub.printedAdminToken)
        #expect(token.hasPrefix("mxh_"))
        let file = data + "/admin.token"
        #expect(try String(contentsOfFile: file, encoding: .utf8) == token + "\n")
        let mode = try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int
        #expect(mode == 0o600)

        let created = try harness.run("token", "create", "--url", hub.url, "--token", token, "--user", "ada", "--role", "curator")
        #expect(created.status == 0)
        #expect(created.lines.count == 1)
        let secret = created.stdout.trimmingCharacters(in: .newlines)
        #expect(secret.hasPrefix("mxh_") && secret != token)
        let whoami = try Curl.run(["-H", "Authorization: Bearer \(secret)", hub.url + "/api/v1/whoami"])
        #expect(whoami.status == 200)
        #expect(whoami.body.contains("\"curator\""))

        let refused = try harness.run("token", "create", "--url", hub.url, "--token", secret, "--user", "eve", "--role", "admin")
        #expect(refused.status == 5)
        #expect(refused.stderr.contains("admin"))
        let unreachable = try harness.run("token", "create", "--url", "http://127.0.0.1:1", "--token", token, "--user", "x", "--role", "reader")
        #expect(unreachable.status == 1)
        #expect(unreachable.stderr.hasPrefix("error: cannot reach the hub"))

        // SIGTERM is a graceful stop; the next start keeps the tokens and makes no new admin token.
        #expect(hub.stop(signal: SIGTERM) == 0)
        let again = try RunningHub(dataFolder: data)
        defer { again.stop() }
        #expect(again.printedAdminToken == nil)
        #expect(try String(contentsOfFile: file, encoding: .utf8) == token + "\n")
        #expect(try Curl.run(["-H", "Authorization: Bearer \(secret)", again.url + "/api/v1/whoami"]).status == 200)
    }

    @Test func sigkillDuringUploadLeavesNoTrace() throws {
        let harness = try CLIHarness()
        defer { harness.cleanUp() }
        let data = harness.url("hub").path
        let hub = try RunningHub(dataFolder: data)
        let token = try #require(hub.printedAdminToken)

        // 48 MiB sent at 4 MiB/s: still going when the hub is killed.
        let blob = harness.url("blob.bin").path
        var bytes = [UInt8](repeating: 0, count: 48 << 20)
        for index in stride(from: 0, to: bytes.count, by: 4096) { bytes[index] = UInt8(truncatingIfNeeded: index >> 12) }
        FileManager.default.createFile(atPath: blob, contents: Data(bytes))
        let digest = Digest.of(bytes)
        let upload = Process()
        upload.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        upload.arguments = [
            "curl", "-s", "-o", "/dev/null", "--limit-rate", "4M", "-X", "POST", "-T", blob,
            "-H", "Authorization: Bearer \(token)", hub.url + "/api/v1/blobs/uploads?digest=\(digest)",
        ]
        try upload.run()
        let uploads = data + "/uploads"
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline && Self.bytesUnder(uploads) < 2 << 20 { Thread.sleep(forTimeInterval: 0.05) }
        #expect(Self.bytesUnder(uploads) >= 2 << 20, "the upload never reached the hub's disk")

        hub.stop(signal: SIGKILL)
        upload.waitUntilExit()
        #expect(Self.bytesUnder(uploads) > 0)

        let restarted = try RunningHub(dataFolder: data)
        defer { restarted.stop() }
        #expect(Self.bytesUnder(uploads) == 0)
        #expect(try Curl.run(["-I", "-H", "Authorization: Bearer \(token)", restarted.url + "/api/v1/blobs/\(digest)"]).status == 404)
        let blobs = (try? FileManager.default.subpathsOfDirectory(atPath: data + "/blobs")) ?? []
        #expect(!blobs.contains { $0.hasSuffix(digest.hex) })
        let models = try Curl.run([restarted.url + "/api/v1/models"])
        #expect(models.body.contains("\"total\":0"))

        // The same upload after the restart goes through whole.
        // curl asks for a go-ahead before a large body (Expect: 100-continue); the hub gives it at once.
        let retried = try Curl.run(["-i", "-X", "POST", "-T", blob, "-H", "Authorization: Bearer \(token)", restarted.url + "/api/v1/blobs/uploads?digest=\(digest)"])
        #expect(retried.status == 201)
        #expect(retried.body.hasPrefix("HTTP/1.1 100 Continue"))
    }

    @Test func resumableUploadSurvivesARestart() throws {
        let harness = try CLIHarness()
        defer { harness.cleanUp() }
        let data = harness.url("hub").path
        let hub = try RunningHub(dataFolder: data)
        let token = try #require(hub.printedAdminToken)
        let auth = ["-H", "Authorization: Bearer \(token)"]
        let bytes = (0..<1_000_000).map { UInt8(truncatingIfNeeded: $0 * 7) }
        let first = harness.url("first.bin").path
        let second = harness.url("second.bin").path
        FileManager.default.createFile(atPath: first, contents: Data(bytes[..<600_000]))
        FileManager.default.createFile(atPath: second, contents: Data(bytes[600_000...]))

        let started = try Curl.run(["-X", "POST"] + auth + [hub.url + "/api/v1/blobs/uploads"])
        #expect(started.status == 202)
        let status = try HubJSON.decoder().decode(UploadStatus.self, from: Data(started.body.utf8))
        let location = hub.url + "/api/v1/blobs/uploads/\(status.id)"
        #expect(try Curl.run(["-X", "PATCH", "--data-binary", "@\(first)", "-H", "Content-Range: 0-599999"] + auth + [location]).status == 202)
        hub.stop(signal: SIGKILL)

        let restarted = try RunningHub(dataFolder: data)
        defer { restarted.stop() }
        let resumedAt = restarted.url + "/api/v1/blobs/uploads/\(status.id)"
        let progress = try Curl.run(auth + [resumedAt])
        #expect(try HubJSON.decoder().decode(UploadStatus.self, from: Data(progress.body.utf8)).offset == 600_000)
        let finished = try Curl.run(["-X", "PUT", "--data-binary", "@\(second)"] + auth + ["\(resumedAt)?digest=\(Digest.of(bytes))"])
        #expect(finished.status == 201)
        #expect(try Curl.run(["-I"] + auth + [restarted.url + "/api/v1/blobs/\(Digest.of(bytes))"]).status == 200)
    }

    static func bytesUnder(_ folder: String) -> Int {
        guard let paths = try? FileManager.default.subpathsOfDirectory(atPath: folder) else { return 0 }
        return paths.reduce(0) { total, path in
            let attributes = try? FileManager.default.attributesOfItem(atPath: folder + "/" + path)
            guard attributes?[.type] as? FileAttributeType == .typeRegular else { return total }
            return total + ((attributes?[.size] as? Int) ?? 0)
        }
    }
}
