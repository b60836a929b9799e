import Foundation
import MaxhubCore
import MaxhubTestSupport
import Testing

@Suite("maxhub serve with its blobs in an S3 bucket (SeaweedFS)", .onTestThreads)
struct ServeOnS3Tests {
    @Test func publishPullAndResumeThroughTheStore() async throws {
        let server = try await SeaweedServer.shared()
        let bucket = try await server.makeBucket()
        let harness = try CLIHarness()
        defer { harness.cleanUp() }
        let data = harness.url("hub").path
        let location = server.location(bucket: bucket)
        let hub = try await RunningHub.starting(dataFolder: data, arguments: ["--blobs", location], environment: server.environment)
        defer { hub.stop() }
        let admin = try #require(hub.printedAdminToken)
        func token(_ user: String, _ role: String) async throws -> String {
            try await harness.running("token", "create", "--user", user, "--role", role, "--url", hub.url, "--token", admin).stdout
                .trimmingCharacters(in: .newlines)
        }
        let curator = try await token("carl", "curator")
        let reviewer = try await token("rita", "reviewer")
        let source = try PublishCommandTests.writePackage(version: "1.0.0", weights: "", in: harness)
        try Data(makeNoise(count: 3 << 20, seed: 31)).write(to: URL(fileURLWithPath: source + "/model.onnx"))
        let published = try await harness.running("publish", source, "--url", hub.url, "--token", curator)
        #expect(published.status == 0, "\(published.stderr)")
        #expect(try await harness.running("review", "approve", "digits-classifier@1.0.0", "--url", hub.url, "--token", reviewer).status == 0)
        let digest = try Digest(parsing: try await harness.running("pack", source, "--output", harness.url("p.tar.zst").path).lines.last ?? "")

        // The archive is in the bucket, and nowhere under the data folder.
        #expect(try await server.curl("GET", "/\(bucket)/blobs/sha256/\(digest.hex)").status == 200)
        #expect(!FileManager.default.fileExists(atPath: data + "/blobs/sha256/\(digest.hex.prefix(2))/\(digest.hex)"))

        // A download is sent to a presigned URL of the store, which anyone may read for a while.
        let redirect = try await Curl.running(["-o", "/dev/null", "-D", "-", hub.url + "/api/v1/blobs/\(digest)"])
        #expect(redirect.status == 307)
        let locationLine = redirect.body.split(whereSeparator: \.isNewline).first { $0.lowercased().hasPrefix("location:") }
        let url = String(try #require(locationLine).dropFirst("location:".count)).trimmingCharacters(in: .whitespaces)
        #expect(url.hasPrefix("\(server.endpoint)/\(bucket)/blobs/sha256/\(digest.hex)?"), "\(url)")
        #expect(url.contains("X-Amz-Signature="))
        #expect(try await Curl.running(["-o", "/dev/null", url]).status == 200)

        // maxhub pull follows it, verifies, and resumes a cut download with a range the store answers.
        let cache = harness.url("cache").path
        let common = ["--cache", cache, "--url", hub.url]
        let pulled = try await harness.running(["pull", "digits-classifier@1.0.0"] + common)
        #expect(pulled.status == 0, "\(pulled.stderr)")
        let path = try #require(pulled.lines.last)
        #expect(FileManager.default.contents(atPath: path + "/model.onnx") == FileManager.default.contents(atPath: source + "/model.onnx"))
        let blob = cache + "/blobs/sha256/\(digest.hex.prefix(2))/\(digest.hex)"
        let archive = try #require(FileManager.default.contents(atPath: blob))
        #expect(try await harness.running(["rm", "digits-classifier@1.0.0", "--cache", cache]).status == 0)
        try FileManager.default.removeItem(atPath: blob)
        try archive.prefix(archive.count / 2).write(to: URL(fileURLWithPath: cache + "/tmp/\(digest.hex).partial"))
        let resumed = try await harness.running(["pull", "digits-classifier@1.0.0", "--json"] + common)
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(resumed.stdout.contains(#""resumed" : true"#), "\(resumed.stdout)")
        #expect(FileManager.default.contents(atPath: path + "/model.onnx") == FileManager.default.contents(atPath: source + "/model.onnx"))

        // With --blob-redirect=false, a second hub on the same catalog and bucket streams the blob itself.
        let streaming = try await RunningHub.starting(
            dataFolder: data, arguments: ["--blobs", location, "--blob-redirect=false"], environment: server.environment)
        defer { streaming.stop() }
        let through = try await Curl.running(["-o", harness.url("through").path, streaming.url + "/api/v1/blobs/\(digest)"])
        #expect(through.status == 200)
        #expect(FileManager.default.contents(atPath: harness.url("through").path) == archive)
    }

    @Test func aStoreTheHubCannotUseStopsItWithOneLine() async throws {
        let server = try await SeaweedServer.shared()
        let bucket = try await server.makeBucket()
        let harness = try CLIHarness()
        defer { harness.cleanUp() }
        let cases: [(location: String, environment: [String: String], says: String)] = [
            (server.location(bucket: bucket), ["AWS_ACCESS_KEY_ID": server.accessKey, "AWS_SECRET_ACCESS_KEY": "wrong"],
             "SignatureDoesNotMatch"),
            (server.location(bucket: "no-such-bucket-here"), server.environment, "NoSuchBucket"),
            ("s3://\(bucket)?endpoint=http://127.0.0.1:9", server.environment, "cannot be reached"),
            (server.location(bucket: bucket), ["AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": ""],
             "needs AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"),
            ("s3://b", server.environment, "bad blob store location s3://b"),
        ]
        for (index, bad) in cases.enumerated() {
            let result = try await harness.running(
                ["serve", "--data", harness.url("hub-\(index)").path, "--port", "0", "--blobs", bad.location],
                environment: bad.environment)
            #expect(result.status != 0, "\(bad.location)")
            let lines = result.stderr.split(separator: "\n")
            #expect(lines.count == 1, "\(result.stderr)")
            #expect(result.stderr.contains("cannot start the hub: "), "\(result.stderr)")
            #expect(result.stderr.contains(bad.says), "\(result.stderr)")
            #expect(!result.stdout.contains("listening"))
        }
    }
}
