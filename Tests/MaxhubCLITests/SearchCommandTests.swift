import Foundation
import MaxhubCore
import MaxhubTestSupport
import Testing

@Suite("maxhub search and info against a running hub", .onTestThreads)
struct SearchCommandTests {
    @Test func searchAndInfoSeeWhatTheCallerMaySee() throws {
        let harness = try CLIHarness()
        defer { harness.cleanUp() }
        let hub = try RunningHub(dataFolder: harness.url("hub").path)
        defer { hub.stop() }
        let admin = try #require(hub.printedAdminToken)
        let reviewer = try harness.run("token", "create", "--user", "rita", "--role", "reviewer", "--url", hub.url, "--token", admin)
            .stdout.trimmingCharacters(in: .newlines)
        for version in ["1.0.0", "1.1.0"] {
            let folder = try PublishCommandTests.writePackage(version: version, weights: "weights \(version)", in: harness)
            #expect(try harness.run("publish", folder, "--url", hub.url, "--token", admin).status == 0)
        }
        #expect(try harness.run("review", "approve", "digits-classifier@1.0.0", "--url", hub.url, "--token", reviewer).status == 0)

        let found = try harness.run("search", "handwritten", "--url", hub.url)
        #expect(found.status == 0)
        #expect(found.lines == ["digits-classifier@1.0.0  image-classification  Apache-2.0  Handwritten digit classifier (8x8 grayscale)."])
        let page = try HubJSON.decoder().decode(
            ModelPage.self, from: Data(try harness.run("search", "--task", "image-classification", "--json", "--url", hub.url).stdout.utf8))
        #expect(page.total == 1)
        #expect(try harness.run("search", "nothing-like-it", "--url", hub.url).status == 3)
        // A reviewer sees the pending version as the latest.
        #expect(try harness.run("search", "digit", "--url", hub.url, "--token", reviewer).lines.first?.hasPrefix("digits-classifier@1.1.0") == true)

        let info = try harness.run("info", "digits-classifier", "--url", hub.url)
        #expect(info.status == 0)
        #expect(info.lines.first == "digits-classifier  latest 1.0.0  image-classification")
        #expect(info.lines.filter { $0.hasPrefix("  ") }.count == 1)
        let version = try harness.run("info", "digits-classifier@^1", "--url", hub.url)
        #expect(version.lines.first == "digits-classifier@1.0.0  approved")
        #expect(version.stdout.contains("serving:   max on port 5000"))
        #expect(try harness.run("info", "nobody", "--url", hub.url).status == 3)
        #expect(try harness.run("info", "digits-classifier@^2", "--url", hub.url).status == 3)
    }
}
