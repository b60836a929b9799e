import Foundation
import MaxhubCore
import MaxhubTestSupport
import Testing

@Suite("maxhub publish against a running hub", .onTestThreads)
struct PublishCommandTests {
    static func writePackage(version: String, weights: String, in harness: CLIHarness) throws -> String {
        let folder = harness.url("digits-\(version)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try """
            name: digits-classifier
            version: \(version)
            task: image-classification
            description: Handwritten digit classifier (8x8 grayscale).
            license: {code: Apache-2.0, weights: Apache-2.0, data: CC-BY-4.0}
            inputs: [{name: x, type: tensor}]
            outputs: [{name: y, type: tensor}]
            serving: {api: max, port: 5000, command: [python3, serve.py]}
            """.write(to: folder.appendingPathComponent("maxhub.yaml"), atomically: true, encoding: .utf8)
        try weights.write(to: folder.appendingPathComponent("model.onnx"), atomically: true, encoding: .utf8)
        return folder.path
    }

    static func uploads(_ hub: RunningHub) throws -> Int {
        let metrics = try Curl.run([hub.url + "/metrics"]).body
        let line = metrics.split(separator: "\n").first { $0.hasPrefix("maxhub_blob_uploads_total ") }
        return line.flatMap { Int($0.split(separator: " ").last ?? "") } ?? 0
    }

    @Test func publishAFolderThenItsArchiveWithoutSendingItTwice() throws {
        let harness = try CLIHarness()
        defer { harness.cleanUp() }
        let hub = try RunningHub(dataFolder: harness.url("hub").path)
        defer { hub.stop() }
        let admin = try #require(hub.printedAdminToken)
        let curator = try harness.run("token", "create", "--user", "carl", "--role", "curator", "--url", hub.url, "--token", admin)
            .stdout.trimmingCharacters(in: .newlines)
        let folder = try Self.writePackage(version: "1.0.0", weights: String(repeating: "w", count: 300_000), in: harness)
        // A pack is recorded only once its files' stamps are older than the clock's granularity.
        Thread.sleep(forTimeInterval: 0.3)

        let dry = try harness.run("publish", folder, "--dry-run", "--url", "http://127.0.0.1:1")
        #expect(dry.status == 0)
        #expect(dry.lines.last == "dry run: nothing was sent")

        let published = try harness.run("publish", folder, "--url", hub.url, "--token", curator)
        #expect(published.status == 0, "\(published.stderr)")
        #expect(published.lines.count == 3)
        #expect(published.lines.first == "digits-classifier@1.0.0")
        #expect(published.lines.last == "pending")
        let digest = published.lines[1]
        #expect(try Self.uploads(hub) == 1)

        // Publishing the folder again: the record of its pack gives the digest, the hub has the archive, so nothing
        // is packed or sent, and the version exists.
        let repeated = try harness.run("publish", folder, "--url", hub.url, "--token", curator)
        #expect(repeated.status == 1)
        #expect(repeated.stderr.contains("already published"), "\(repeated.stderr)")
        #expect(try Self.uploads(hub) == 1)

        // The same folder packs to the same bytes: the hub has them, so nothing is sent, and the version exists.
        let archive = harness.url("digits.tar.zst").path
        #expect(try harness.run("pack", folder, "--output", archive).lines.last == digest)
        let again = try harness.run("publish", archive, "--url", hub.url, "--token", curator)
        #expect(again.status == 1)
        #expect(again.stderr.contains("already published"))
        #expect(try Self.uploads(hub) == 1)

        let next = try Self.writePackage(version: "1.0.1", weights: String(repeating: "v", count: 300_000), in: harness)
        let json = try harness.run("publish", next, "--json", "--keep", "--url", hub.url, "--token", curator)
        let report = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        #expect(report?["version"] as? String == "1.0.1")
        #expect(report?["uploaded"] as? Bool == true)
        #expect(report?["state"] as? String == "pending")
        #expect(try Self.uploads(hub) == 2)
        let kept = harness.url("digits-classifier-1.0.1.tar.zst").path
        #expect(try harness.run("digest", kept).lines.last?.hasPrefix((report?["digest"] as? String ?? "?") + " ") == true, "--keep leaves the archive it sent")

        let reader = try harness.run("token", "create", "--user", "rob", "--role", "reader", "--url", hub.url, "--token", admin)
            .stdout.trimmingCharacters(in: .newlines)
        let third = try Self.writePackage(version: "1.0.2", weights: "x", in: harness)
        #expect(try harness.run("publish", third, "--url", hub.url, "--token", reader).status == 5)
        #expect(try harness.run("publish", harness.url("nowhere").path, "--url", hub.url, "--token", curator).status == 3)
    }
}
