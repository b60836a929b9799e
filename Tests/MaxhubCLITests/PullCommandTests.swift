import Foundation
import MaxhubCore
import MaxhubTestSupport
import Testing

@Suite("maxhub pull, verify, ls and rm against a running hub", .onTestThreads)
struct PullCommandTests {
    static func count(_ hub: RunningHub, status: Int) throws -> Int {
        let metrics = try Curl.run([hub.url + "/metrics"]).body
        let prefix = #"maxhub_http_requests_total{route="/api/v1/blobs/{digest}",method="GET",status="\#(status)"} "#
        let line = metrics.split(separator: "\n").first { $0.hasPrefix(prefix) }
        return line.flatMap { Int($0.split(separator: " ").last ?? "") } ?? 0
    }

    @Test func pullResumeCorruptionTrustAndOffline() throws {
        let harness = try CLIHarness()
        defer { harness.cleanUp() }
        let data = harness.url("hub").path
        let hub = try RunningHub(dataFolder: data)
        let admin = try #require(hub.printedAdminToken)
        func token(_ user: String, _ role: String) throws -> String {
            try harness.run("token", "create", "--user", user, "--role", role, "--url", hub.url, "--token", admin).stdout
                .trimmingCharacters(in: .newlines)
        }
        let curator = try token("carl", "curator")
        let reviewer = try token("rita", "reviewer")
        var weights = [UInt8](repeating: 0, count: 3 << 20)
        for index in weights.indices { weights[index] = UInt8(truncatingIfNeeded: (index &* 2_654_435_761) >> 13) }
        func publishApproved(_ version: String) throws -> String {
            let folder = try PublishCommandTests.writePackage(version: version, weights: "", in: harness)
            try Data(weights + Array(version.utf8)).write(to: URL(fileURLWithPath: folder + "/model.onnx"))
            let published = try harness.run("publish", folder, "--url", hub.url, "--token", curator)
            #expect(published.status == 0, "\(published.stderr)")
            #expect(try harness.run("review", "approve", "digits-classifier@\(version)", "--url", hub.url, "--token", reviewer).status == 0)
            return folder
        }
        let source = try publishApproved("1.0.0")
        let cache = harness.url("cache").path
        let common = ["--cache", cache, "--url", hub.url]

        // Into an empty cache: the files are the source's, byte for byte.
        let pulled = try harness.run(["pull", "digits-classifier@^1"] + common)
        #expect(pulled.status == 0, "\(pulled.stderr)")
        let path = try #require(pulled.lines.last)
        #expect(path == cache + "/packages/digits-classifier/1.0.0")
        #expect(FileManager.default.contents(atPath: path + "/model.onnx") == FileManager.default.contents(atPath: source + "/model.onnx"))
        #expect(try Self.count(hub, status: 200) == 1)

        // Cached: nothing is downloaded again.
        let again = try harness.run(["pull", "digits-classifier", "--json"] + common)
        #expect(again.stdout.contains(#""downloaded" : false"#))
        #expect(again.stdout.contains(#""extracted" : false"#))
        #expect(try Self.count(hub, status: 200) == 1)
        #expect(try harness.run(["verify", "digits-classifier@1.0.0", "--cache", cache]).status == 0)
        #expect(try harness.run(["ls", "--cache", cache]).lines == ["digits-classifier@1.0.0  \(path)"])

        // A download cut half-way continues with a ranged request.
        let digestLine = try harness.run("pack", source, "--output", harness.url("again.tar.zst").path).lines.last ?? ""
        let digest = try Digest(parsing: digestLine)
        let blob = cache + "/blobs/sha256/\(digest.hex.prefix(2))/\(digest.hex)"
        let archive = try #require(FileManager.default.contents(atPath: blob))
        #expect(try harness.run(["rm", "digits-classifier@1.0.0", "--cache", cache]).status == 0)
        try FileManager.default.removeItem(atPath: blob)
        try archive.prefix(archive.count / 2).write(to: URL(fileURLWithPath: cache + "/tmp/\(digest.hex).partial"))
        let resumed = try harness.run(["pull", "digits-classifier@1.0.0", "--json"] + common)
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(resumed.stdout.contains(#""resumed" : true"#))
        #expect(resumed.stdout.contains(#""extracted" : true"#))
        #expect(try Self.count(hub, status: 206) == 1)
        #expect(FileManager.default.contents(atPath: path + "/model.onnx") == FileManager.default.contents(atPath: source + "/model.onnx"))

        // Verify catches a changed file.
        try Data("tampered".utf8).write(to: URL(fileURLWithPath: path + "/model.onnx"))
        let tampered = try harness.run(["verify", "digits-classifier@1.0.0", "--cache", cache])
        #expect(tampered.status == 4)
        #expect(tampered.stderr.contains("model.onnx"))
        #expect(try harness.run(["rm", "digits-classifier@1.0.0", "--cache", cache]).status == 0)

        // A corrupted blob on the hub: the hub cuts the download short and quarantines it; exit 4, the digest named,
        // the cache as it was.
        _ = try publishApproved("1.1.0")
        let detail = try Curl.run([hub.url + "/api/v1/models/digits-classifier/versions/1.1.0"]).body
        let served = try HubJSON.decoder().decode(VersionDetail.self, from: Data(detail.utf8)).archive.digest
        let hubBlob = data + "/blobs/sha256/\(served.hex.prefix(2))/\(served.hex)"
        var bytes = try #require(FileManager.default.contents(atPath: hubBlob))
        bytes[bytes.count / 2] ^= 0xFF
        try bytes.write(to: URL(fileURLWithPath: hubBlob))
        let before = try FileManager.default.subpathsOfDirectory(atPath: cache).sorted()
        let corrupt = try harness.run(["pull", "digits-classifier@1.1.0"] + common)
        #expect(corrupt.status == 4)
        #expect(corrupt.stderr.contains("found its copy of \(served) damaged"), "\(corrupt.stderr)")
        #expect(try FileManager.default.subpathsOfDirectory(atPath: cache).sorted() == before)

        // Trust on first use: a different digest for a version already seen is refused unless told otherwise.
        let trustFile = cache + "/trust.json"
        let trust = try String(contentsOfFile: trustFile, encoding: .utf8)
        try trust.replacingOccurrences(of: digest.hex, with: String(repeating: "0", count: 64))
            .write(toFile: trustFile, atomically: true, encoding: .utf8)
        let refused = try harness.run(["pull", "digits-classifier@1.0.0"] + common)
        #expect(refused.status == 4)
        #expect(refused.stderr.contains("--trust-new"))
        #expect(try harness.run(["pull", "digits-classifier@1.0.0", "--trust-new"] + common).status == 0)

        // Offline: the cache alone answers.
        hub.stop()
        let offline = try harness.run(["pull", "digits-classifier@^1"] + common, environment: ["MAXHUB_OFFLINE": "1"])
        #expect(offline.status == 0)
        #expect(offline.lines.last == path)
        #expect(try harness.run(["pull", "digits-classifier@^2"] + common, environment: ["MAXHUB_OFFLINE": "1"]).status == 3)
        #expect(try harness.run(["pull", "digits-classifier@^1"] + common).status == 1)
    }
}
