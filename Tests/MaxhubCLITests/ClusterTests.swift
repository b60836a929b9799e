import Foundation
import MaxhubCore
import MaxhubTestSupport
import Testing

/// Three `maxhub serve` replicas on one PostgreSQL database and one SeaweedFS bucket, both started by the tests: any
/// request may go to any replica.
@Suite("three replicas on one PostgreSQL and one S3 bucket", .onTestThreads)
struct ClusterTests {
    /// The replicas, and what starting another one over the same engines takes. One test uses it; its replicas start
    /// from tasks of their own.
    final class Cluster: @unchecked Sendable {
        let harness: CLIHarness
        let database: String
        let blobs: String
        let environment: [String: String]
        let redirect: Bool
        var replicas: [RunningHub] = []
        var admin = ""

        init(harness: CLIHarness, redirect: Bool = true) async throws {
            let postgres = try await PostgresServer.shared()
            let seaweed = try await SeaweedServer.shared()
            self.harness = harness
            database = postgres.url(database: try await postgres.makeDatabase())
            blobs = seaweed.location(bucket: try await seaweed.makeBucket())
            environment = seaweed.environment
            self.redirect = redirect
            // Started together on the empty catalog: each applies the migrations and looks for a first token at once.
            let cluster = self
            let started = await withTaskGroup(of: (Int, Result<RunningHub, any Error>).self) { group in
                for index in 0..<3 {
                    group.addTask {
                        do { return (index, .success(try await cluster.start(index))) } catch { return (index, .failure(error)) }
                    }
                }
                return await group.reduce(into: []) { $0.append($1) }.sorted { $0.0 < $1.0 }.map(\.1)
            }
            replicas = started.compactMap { try? $0.get() }
            for outcome in started { if case .failure(let error) = outcome { stop(); throw error } }
            let printed = replicas.compactMap(\.printedAdminToken)
            #expect(printed.count == 1, "exactly one replica made the first admin token")
            admin = try #require(printed.first)
        }

        /// Starts replica `index` over the shared engines, with a local folder of its own.
        func start(_ index: Int) async throws -> RunningHub {
            var arguments = ["--database", database, "--blobs", blobs]
            if !redirect { arguments.append("--blob-redirect=false") }
            return try await RunningHub.starting(dataFolder: harness.url("replica-\(index)-\(UUID().uuidString.prefix(8))").path,
                                  arguments: arguments, environment: environment)
        }

        func token(_ user: String, _ role: String) async throws -> String {
            try await harness.running("token", "create", "--user", user, "--role", role, "--url", replicas[0].url, "--token", admin).stdout
                .trimmingCharacters(in: .newlines)
        }

        func stop() { for replica in replicas { replica.stop(signal: SIGKILL) } }
    }

    @Test func publishOnOneApproveOnAnotherPullFromTheThirdAndRestart() async throws {
        let harness = try CLIHarness()
        defer { harness.cleanUp() }
        let cluster = try await Cluster(harness: harness)
        defer { cluster.stop() }
        let curator = try await cluster.token("carl", "curator")
        let reviewer = try await cluster.token("rita", "reviewer")
        let source = try PublishCommandTests.writePackage(version: "1.0.0", weights: "", in: harness)
        try Data(makeNoise(count: 2 << 20, seed: 41)).write(to: URL(fileURLWithPath: source + "/model.onnx"))

        let published = try await harness.running("publish", source, "--url", cluster.replicas[0].url, "--token", curator)
        #expect(published.status == 0, "\(published.stderr)")
        let approved = try await harness.running("review", "approve", "digits-classifier@1.0.0", "--url", cluster.replicas[1].url, "--token", reviewer)
        #expect(approved.status == 0, "\(approved.stderr)")
        let cache = harness.url("cache").path
        let pulled = try await harness.running("pull", "digits-classifier@1.0.0", "--cache", cache, "--url", cluster.replicas[2].url)
        #expect(pulled.status == 0, "\(pulled.stderr)")
        let path = try #require(pulled.lines.last)
        #expect(FileManager.default.contents(atPath: path + "/model.onnx") == FileManager.default.contents(atPath: source + "/model.onnx"))

        // Killed and started again on the same engines, with a new local folder: nothing is lost.
        cluster.replicas[0].stop(signal: SIGKILL)
        cluster.replicas[0] = try await cluster.start(0)
        let info = try await harness.running("info", "digits-classifier@1.0.0", "--json", "--url", cluster.replicas[0].url)
        #expect(info.stdout.contains(#""state" : "approved""#), "\(info.stdout)")
        let again = try await harness.running("pull", "digits-classifier@1.0.0", "--cache", harness.url("cache-2").path, "--url", cluster.replicas[0].url)
        #expect(again.status == 0, "\(again.stderr)")
        let audit = try await harness.running("audit", "--url", cluster.replicas[0].url, "--token", cluster.admin)
        #expect(audit.stdout.contains("publish") && audit.stdout.contains("approve"), "\(audit.stdout)")
        #expect(audit.stdout.components(separatedBy: "token.create").count - 1 == 3, "the first token, then two: \(audit.stdout)")
    }

    @Test func aFormFromOneReplicaIsTakenByAnother() async throws {
        let harness = try CLIHarness()
        defer { harness.cleanUp() }
        let cluster = try await Cluster(harness: harness)
        defer { cluster.stop() }
        let cookie = "maxhub_session=\(cluster.admin)"
        var forms: [String] = []
        for replica in cluster.replicas {
            let page = try await Curl.running(["-H", "Cookie: \(cookie)", replica.url + "/"])
            #expect(page.status == 200)
            let field = try #require(page.body.firstMatch(of: /name="csrf" value="([^"]+)"/), "\(page.body.prefix(500))")
            forms.append(String(field.1))
        }
        #expect(Set(forms).count == 1, "every replica signs forms with the catalog's one web secret")
        let target = cluster.replicas[2].url
        let signedOut = try await Curl.running([
            "-X", "POST", "-H", "Cookie: \(cookie)", "-H", "Origin: \(target)", "--data-urlencode", "csrf=\(forms[0])", target + "/logout",
        ])
        #expect(signedOut.status == 303, "\(signedOut.body)")
        let forged = try await Curl.running([
            "-X", "POST", "-H", "Cookie: \(cookie)", "-H", "Origin: \(target)", "--data-urlencode", "csrf=x\(forms[0])", target + "/logout",
        ])
        #expect(forged.status == 403)
    }

    @Test func racingPublishesOverTheReplicasMakeOneVersion() async throws {
        let harness = try CLIHarness()
        defer { harness.cleanUp() }
        let cluster = try await Cluster(harness: harness)
        defer { cluster.stop() }
        let curator = try await cluster.token("carl", "curator")
        let source = try PublishCommandTests.writePackage(version: "3.0.0", weights: String(repeating: "w", count: 50_000), in: harness)
        let outcomes = try await withThrowingTaskGroup(of: CLIHarness.Result.self) { group in
            for index in 0..<32 {
                let url = cluster.replicas[index % 3].url
                group.addTask {
                    try await harness.running(["publish", source, "--url", url, "--token", curator],
                                              environment: ["XDG_CACHE_HOME": harness.url("cache-\(index)").path])
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let created = outcomes.filter { $0.status == 0 }
        #expect(created.count == 1, "\(outcomes.map { $0.stderr })")
        #expect(outcomes.filter { $0.status != 0 }.allSatisfy { $0.stderr.contains("already") }, "\(outcomes.map { $0.stderr })")
        let versions = try await harness.running("info", "digits-classifier", "--json", "--url", cluster.replicas[1].url, "--token", curator)
        #expect(versions.stdout.components(separatedBy: #""version" : "3.0.0""#).count == 2, "\(versions.stdout)")
    }

    @Test func aResumableUploadTakesItsChunksOnAnyReplica() async throws {
        let harness = try CLIHarness()
        defer { harness.cleanUp() }
        let cluster = try await Cluster(harness: harness)
        defer { cluster.stop() }
        let curator = try await cluster.token("carl", "curator")
        let bytes = makeNoise(count: 3_000_000, seed: 42)
        let digest = Digest.of(bytes)
        let auth = ["-H", "Authorization: Bearer \(curator)"]
        let started = try await Curl.running(["-X", "POST", "-D", "-", "-o", "/dev/null"] + auth + [cluster.replicas[0].url + "/api/v1/blobs/uploads"])
        #expect(started.status == 202)
        let locationLine = started.body.split(whereSeparator: \.isNewline).first { $0.lowercased().hasPrefix("location:") }
        let location = String(try #require(locationLine).dropFirst("location:".count)).trimmingCharacters(in: .whitespaces)
        let cuts = [0, 1_000_000, 2_200_000, bytes.count]
        for index in 0..<3 {
            let chunk = harness.url("chunk-\(index)")
            try Data(bytes[cuts[index]..<cuts[index + 1]]).write(to: chunk)
            let patched = try await Curl.running(
                ["-X", "PATCH", "--data-binary", "@\(chunk.path)", "-H", "Content-Type: application/octet-stream",
                 "-H", "Content-Range: \(cuts[index])-\(cuts[index + 1] - 1)"] + auth
                    + [cluster.replicas[(index + 1) % 3].url + location])
            #expect(patched.status == 202, "chunk \(index) on replica \((index + 1) % 3): \(patched.body)")
        }
        let status = try await Curl.running(auth + [cluster.replicas[2].url + location])
        #expect(status.body.contains("\(bytes.count)"), "\(status.body)")
        let finished = try await Curl.running(["-X", "PUT"] + auth + [cluster.replicas[0].url + location + "?digest=\(digest)"])
        #expect(finished.status == 201, "\(finished.body)")
        let head = try await Curl.running(["-I"] + auth + [cluster.replicas[1].url + "/api/v1/blobs/\(digest)"])
        #expect(head.status == 200)
        #expect(head.body.lowercased().contains("content-length: \(bytes.count)"))
    }

    @Test func aReplicaKilledMidDownloadIsResumedThroughAnother() async throws {
        let harness = try CLIHarness()
        defer { harness.cleanUp() }
        let cluster = try await Cluster(harness: harness, redirect: false)
        defer { cluster.stop() }
        let curator = try await cluster.token("carl", "curator")
        let reviewer = try await cluster.token("rita", "reviewer")
        let source = try PublishCommandTests.writePackage(version: "2.0.0", weights: "", in: harness)
        try Data(makeNoise(count: 24 << 20, seed: 43)).write(to: URL(fileURLWithPath: source + "/model.onnx"))
        #expect(try await harness.running("publish", source, "--url", cluster.replicas[0].url, "--token", curator).status == 0)
        #expect(try await harness.running("review", "approve", "digits-classifier@2.0.0", "--url", cluster.replicas[1].url, "--token", reviewer).status == 0)
        let digest = try Digest(parsing: try await harness.running("pack", source, "--output", harness.url("p.tar.zst").path).lines.last ?? "")

        // A slow download streamed through replica 0, which is killed half-way.
        let cache = harness.url("cache").path
        try FileManager.default.createDirectory(atPath: cache + "/tmp", withIntermediateDirectories: true)
        let partial = cache + "/tmp/\(digest.hex).partial"
        let download = Process()
        download.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        download.arguments = ["-s", "--limit-rate", "4M", "-o", partial, cluster.replicas[0].url + "/api/v1/blobs/\(digest)"]
        try download.run()
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline, ((try? FileManager.default.attributesOfItem(atPath: partial)[.size] as? Int) ?? 0) < 4 << 20 {
            try await Task.sleep(for: .milliseconds(50))
        }
        cluster.replicas[0].stop(signal: SIGKILL)
        download.waitUntilExit()
        let kept = (try? FileManager.default.attributesOfItem(atPath: partial)[.size] as? Int) ?? 0
        #expect(download.terminationStatus != 0, "the download was cut")
        #expect(kept > 0 && kept < 24 << 20, "\(kept) bytes arrived")

        let resumed = try await harness.running(["pull", "digits-classifier@2.0.0", "--json", "--cache", cache, "--url", cluster.replicas[2].url])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(resumed.stdout.contains(#""resumed" : true"#), "\(resumed.stdout)")
        let path = cache + "/packages/digits-classifier/2.0.0"
        #expect(FileManager.default.contents(atPath: path + "/model.onnx") == FileManager.default.contents(atPath: source + "/model.onnx"))
    }

    @Test func theAdminCommandsLookAfterTheSharedEngines() async throws {
        let harness = try CLIHarness()
        defer { harness.cleanUp() }
        let cluster = try await Cluster(harness: harness)
        defer { cluster.stop() }
        let seaweed = try await SeaweedServer.shared()
        let bucket = String(cluster.blobs.dropFirst("s3://".count).prefix { $0 != "?" })
        let curator = try await cluster.token("carl", "curator")
        let source = try PublishCommandTests.writePackage(version: "4.0.0", weights: String(repeating: "w", count: 20_000), in: harness)
        let published = try await harness.running("publish", source, "--url", cluster.replicas[0].url, "--token", curator)
        #expect(published.status == 0, "\(published.stderr)")
        let archive = try Digest(parsing: try await harness.running("pack", source, "--output", harness.url("p.tar.zst").path).lines.last ?? "")
        let stores = ["--data", harness.url("admin").path, "--database", cluster.database, "--blobs", cluster.blobs]
        func admin(_ arguments: String...) async throws -> CLIHarness.Result {
            try await harness.running(["admin"] + arguments + stores, environment: cluster.environment)
        }

        let clean = try await admin("fsck")
        #expect(clean.status == 0, "\(clean.stderr)")
        #expect(clean.stdout.contains("checked 1 blob") && clean.stdout.contains("catalog integrity: ok"), "\(clean.stdout)")

        // A blob no version uses, put straight into the bucket: collected once past the grace.
        let orphan = Array("bytes no version uses".utf8)
        try Data(orphan).write(to: harness.url("orphan"))
        let put = try await seaweed.curl("PUT", "/\(bucket)/blobs/sha256/\(Digest.of(orphan).hex)", upload: harness.url("orphan").path)
        #expect(put.status == 200, "\(put.body)")
        try await Task.sleep(for: .milliseconds(1500))
        let dry = try await admin("gc", "--grace", "1s", "--dry-run")
        #expect(dry.lines.first == "would remove blob \(Digest.of(orphan)) (21 B)", "\(dry.stdout)")
        let collected = try await admin("gc", "--grace", "1s")
        #expect(collected.status == 0 && collected.stdout.contains("removed 1 blob"), "\(collected.stdout) \(collected.stderr)")
        #expect(try await seaweed.curl("HEAD", "/\(bucket)/blobs/sha256/\(Digest.of(orphan).hex)").status == 404)
        #expect(try await seaweed.curl("HEAD", "/\(bucket)/blobs/sha256/\(archive.hex)").status == 200, "the archive a version uses stays")

        // A backup is pg_dump's snapshot; restored into a new database, a hub on it serves the same catalog.
        let destination = harness.url("backup").path
        let backup = try await admin("backup", destination)
        #expect(backup.status == 0, "\(backup.stderr)")
        #expect(backup.stdout.contains("the blobs stay in"), "\(backup.stdout)")
        let postgres = try await PostgresServer.shared()
        let restored = try await postgres.makeDatabase()
        try await postgres.restore(destination + "/catalog.pgdump", into: restored)
        let hub = try await RunningHub.starting(
            dataFolder: harness.url("restored").path, arguments: ["--database", postgres.url(database: restored), "--blobs", cluster.blobs],
            environment: cluster.environment)
        let info = try await harness.running("info", "digits-classifier", "--json", "--url", hub.url, "--token", curator)
        try await hub.stopping()
        #expect(info.status == 0 && info.stdout.contains(#""state" : "pending""#), "\(info.stdout) \(info.stderr)")

        // A changed archive: named with the version that uses it, quarantined by --repair, then missing.
        try Data("not the archive".utf8).write(to: harness.url("rotten"))
        let rot = try await seaweed.curl("PUT", "/\(bucket)/blobs/sha256/\(archive.hex)", upload: harness.url("rotten").path)
        #expect(rot.status == 200, "\(rot.body)")
        let found = try await admin("fsck")
        #expect(found.status == 4)
        #expect(found.stdout.contains("corrupt: \(archive)") && found.stdout.contains("used by digits-classifier@4.0.0"), "\(found.stdout)")
        let repaired = try await admin("fsck", "--repair")
        #expect(repaired.stdout.contains("quarantined at quarantine/sha256/\(archive.hex)"), "\(repaired.stdout)")
        let missing = try await admin("fsck")
        #expect(missing.status == 4 && missing.stdout.contains("missing: \(archive), used by digits-classifier@4.0.0"), "\(missing.stdout)")

        let unreachable = try await harness.running(
            ["admin", "fsck", "--data", harness.url("admin").path, "--database", "postgres://maxhub@127.0.0.1:1/none"])
        #expect(unreachable.status != 0 && unreachable.stderr.contains("cannot open the catalog"), "\(unreachable.stderr)")
    }
}
