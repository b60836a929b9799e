import Foundation
import MaxhubCore
import MaxhubTestSupport
import Testing

@Suite("maxhub review, yank, audit and token, against a running hub", .onTestThreads)
struct ReviewCommandTests {
    /// Publishes a small package with `maxhub publish`, as a curator would.
    static func publish(version: String, token: String, hub: RunningHub, harness: CLIHarness) throws {
        let folder = try PublishCommandTests.writePackage(version: version, weights: "weights \(version)", in: harness)
        let published = try harness.run("publish", folder, "--url", hub.url, "--token", token)
        #expect(published.status == 0, "\(published.stderr)")
    }

    @Test func aReviewFromQueueToAuditTrail() throws {
        let harness = try CLIHarness()
        defer { harness.cleanUp() }
        let hub = try RunningHub(dataFolder: harness.url("hub").path)
        defer { hub.stop() }
        let admin = try #require(hub.printedAdminToken)
        func maxhub(_ token: String, _ arguments: String...) throws -> CLIHarness.Result {
            try harness.run(arguments + ["--url", hub.url, "--token", token])
        }
        let curator = try maxhub(admin, "token", "create", "--user", "carl", "--role", "curator").stdout.trimmingCharacters(in: .newlines)
        let reviewer = try maxhub(admin, "token", "create", "--user", "rita", "--role", "reviewer").stdout.trimmingCharacters(in: .newlines)
        try Self.publish(version: "1.0.0", token: curator, hub: hub, harness: harness)
        try Self.publish(version: "1.1.0", token: curator, hub: hub, harness: harness)

        let list = try maxhub(reviewer, "review", "list")
        #expect(list.status == 0)
        #expect(list.lines.map { String($0.prefix(24)) } == ["digits-classifier@1.0.0 ", "digits-classifier@1.1.0 "])
        #expect(list.lines.first?.contains("published by carl") == true)
        let queue = try HubJSON.decoder().decode(ReviewQueue.self, from: Data(try maxhub(reviewer, "review", "list", "--json").stdout.utf8))
        #expect(queue.versions.count == 2)

        let show = try maxhub(reviewer, "review", "show", "digits-classifier@1.0.0")
        #expect(show.status == 0)
        #expect(show.stdout.contains("declared:    code Apache-2.0, weights Apache-2.0, data CC-BY-4.0"))
        #expect(show.stdout.contains("published:   by carl"))
        #expect(show.stdout.contains("  model.onnx  "))

        #expect(try maxhub(curator, "review", "approve", "digits-classifier@1.0.0").status == 5)
        let approved = try maxhub(reviewer, "review", "approve", "digits-classifier@1.0.0", "--weights-license", "CC-BY-NC-4.0", "--note", "non-commercial weights")
        #expect(approved.status == 0)
        #expect(approved.stdout == "approved digits-classifier@1.0.0: code Apache-2.0, weights CC-BY-NC-4.0, data CC-BY-4.0\n")
        let unknownLicense = try maxhub(reviewer, "review", "approve", "digits-classifier@1.1.0", "--code-license", "Apache2")
        #expect(unknownLicense.status == 1)
        #expect(unknownLicense.stderr.contains("license.code"))
        #expect(try maxhub(reviewer, "review", "reject", "digits-classifier@1.1.0", "--note", "data license unclear").status == 0)
        let again = try maxhub(reviewer, "review", "reject", "digits-classifier@1.1.0", "--note", "again")
        #expect(again.status == 1)
        #expect(again.stderr.contains("is rejected"))
        #expect(try maxhub(reviewer, "review", "reject", "digits-classifier@1.1.0").status == 2)
        #expect(try maxhub(reviewer, "review", "show", "digits-classifier@9.9.9").status == 3)

        #expect(try maxhub(curator, "yank", "digits-classifier@1.0.0", "--reason", "wrong labels").status == 0)
        #expect(try maxhub(curator, "yank", "digits-classifier@1.0.0", "--undo").status == 5)
        let restored = try maxhub(admin, "yank", "digits-classifier@1.0.0", "--undo")
        #expect(restored.stdout == "restored digits-classifier@1.0.0 (approved)\n")

        let audit = try maxhub(admin, "audit", "--subject", "digits-classifier")
        #expect(audit.status == 0)
        #expect(audit.lines.map { $0.split(separator: " ", omittingEmptySubsequences: true)[3] } == [
            "version.publish", "version.publish", "version.approve", "version.reject", "version.yank", "version.unyank",
        ])
        #expect(try maxhub(reviewer, "audit").status == 5)

        let tokens = try maxhub(admin, "token", "list", "--json")
        let listed = try HubJSON.decoder().decode([TokenInfo].self, from: Data(tokens.stdout.utf8))
        let carl = try #require(listed.first { $0.user == "carl" })
        #expect(try maxhub(admin, "token", "revoke", "\(carl.id)").stdout == "revoked token \(carl.id) of carl\n")
        #expect(try maxhub(curator, "yank", "digits-classifier@1.0.0").status == 5)
    }
}
