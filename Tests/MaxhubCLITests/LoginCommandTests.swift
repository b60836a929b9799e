import Foundation
import MaxhubCore
import MaxhubTestSupport
import Testing

@Suite("maxhub login, the configuration file, and resolve against a running hub", .onTestThreads)
struct LoginCommandTests {
    @Test func tokensMayExpire() throws {
        let harness = try CLIHarness()
        defer { harness.cleanUp() }
        let hub = try RunningHub(dataFolder: harness.url("hub").path)
        defer { hub.stop() }
        let admin = try #require(hub.printedAdminToken)
        let create = ["token", "create", "--url", hub.url, "--token", admin, "--user", "ci", "--role", "reader", "--expires"]
        let made = try harness.run(create + ["30d", "--json"])
        #expect(made.status == 0, "\(made.stderr)")
        let info = try HubJSON.decoder().decode(TokenInfo.self, from: Data(made.stdout.utf8))
        #expect(abs((info.expiresAt ?? .distantPast).timeIntervalSince(info.createdAt) - 30 * 86400) < 1)
        let listed = try harness.run("token", "list", "--url", hub.url, "--token", admin)
        #expect(listed.stdout.contains("ci  reader  made ") && listed.stdout.contains("  expires \(HubJSON.format(info.expiresAt ?? Date()))"),
            "\(listed.stdout)")
        for bad in ["5x", "0d", "d", "-1h"] {
            let refused = try harness.run(create + [bad])
            #expect(refused.status == 2, "\(bad): \(refused.stderr)")
        }
    }

    @Test func loginSavesACheckedTokenThatLaterCommandsUse() throws {
        let harness = try CLIHarness()
        defer { harness.cleanUp() }
        let hub = try RunningHub(dataFolder: harness.url("hub").path)
        defer { hub.stop() }
        let admin = try #require(hub.printedAdminToken)
        let config = harness.url("config/maxhub/config.yaml").path

        // A refused token is not saved.
        let refused = try harness.run("login", "--url", hub.url, "--token", "mxh_not-a-real-token")
        #expect(refused.status == 5, "\(refused.stderr)")
        #expect(refused.stderr.hasPrefix("error: "))
        #expect(!FileManager.default.fileExists(atPath: config))
        #expect(try harness.run(["login", "--url", hub.url], input: "").status == 2, "no token at all is a usage error")

        // The token comes from standard input; the file is the owner's alone and keeps a cache setting.
        try harness.write("cache: \"\(harness.url("configured-cache").path)\"\n", to: "config/maxhub/config.yaml")
        let login = try harness.run(["login", "--url", hub.url], input: admin + "\n")
        #expect(login.status == 0, "\(login.stderr)")
        #expect(login.stdout == "logged in to \(hub.url) as admin (admin); saved in \(config)\n")
        let mode = try #require(FileManager.default.attributesOfItem(atPath: config)[.posixPermissions] as? Int)
        #expect(mode & 0o777 == 0o600)
        let saved = try harness.read("config/maxhub/config.yaml")
        #expect(saved.contains("url: \"\(hub.url)\""))
        #expect(saved.contains("token: \"\(admin)\""))
        #expect(saved.contains("cache: \"\(harness.url("configured-cache").path)\""))

        // Later commands read the file: an admin-only listing works with no flags and no environment.
        let tokens = try harness.run("token", "list")
        #expect(tokens.status == 0, "\(tokens.stderr)")
        #expect(tokens.stdout.contains("admin"))
        // The environment wins over the file, and a flag over the environment.
        #expect(try harness.run(["token", "list"], environment: ["MAXHUB_TOKEN": "mxh_revoked-or-never-issued"]).status == 5)
        #expect(try harness.run(["token", "list", "--token", admin], environment: ["MAXHUB_TOKEN": "mxh_nope"]).status == 0)
        #expect(try harness.run(["token", "list"], environment: ["MAXHUB_URL": "http://127.0.0.1:9"]).status == 1)

        // The file's cache is where pull puts packages, unless MAXHUB_CACHE says otherwise.
        let reviewer = try harness.run("token", "create", "--user", "rita", "--role", "reviewer").stdout.trimmingCharacters(in: .newlines)
        let package = try PublishCommandTests.writePackage(version: "1.0.0", weights: "weights", in: harness)
        #expect(try harness.run("publish", package).status == 0)
        #expect(try harness.run("review", "approve", "digits-classifier@1.0.0", "--token", reviewer).status == 0)
        let pulled = try harness.run("pull", "digits-classifier")
        #expect(pulled.status == 0, "\(pulled.stderr)")
        #expect(pulled.lines.last == harness.url("configured-cache/packages/digits-classifier/1.0.0").path)
        let elsewhere = try harness.run(["pull", "digits-classifier"], environment: ["MAXHUB_CACHE": harness.url("env-cache").path])
        #expect(elsewhere.lines.last == harness.url("env-cache/packages/digits-classifier/1.0.0").path)

        // A file readable by others gets a warning; a broken file is an error that names it.
        chmod(config, 0o644)
        #expect(try harness.run("token", "list").stderr.contains("readable by others"))
        try harness.write("url: [not, a, string]\n", to: "config/maxhub/config.yaml")
        let broken = try harness.run("token", "list")
        #expect(broken.status == 1)
        #expect(broken.stderr == "error: cannot read the configuration \(config): url: expected a string\n")
    }

    @Test func resolveAsksTheHubForApprovedVersions() throws {
        let harness = try CLIHarness()
        defer { harness.cleanUp() }
        let hub = try RunningHub(dataFolder: harness.url("hub").path)
        defer { hub.stop() }
        let admin = try #require(hub.printedAdminToken)
        let reviewer = try harness.run("token", "create", "--user", "rita", "--role", "reviewer", "--url", hub.url, "--token", admin)
            .stdout.trimmingCharacters(in: .newlines)
        for version in ["1.0.0", "1.1.0", "2.0.0-rc.1"] {
            let folder = try PublishCommandTests.writePackage(version: version, weights: "weights \(version)", in: harness)
            #expect(try harness.run("publish", folder, "--url", hub.url, "--token", admin).status == 0)
            if version != "1.1.0" {
                #expect(try harness.run("review", "approve", "digits-classifier@\(version)", "--url", hub.url, "--token", reviewer).status == 0)
            }
        }
        #expect(try harness.run("resolve", "digits-classifier", "--url", hub.url).stdout == "1.0.0\n", "1.1.0 is still pending")
        #expect(try harness.run("resolve", "digits-classifier@>=2.0.0-rc", "--url", hub.url).stdout == "2.0.0-rc.1\n")
        #expect(try harness.run("resolve", "digits-classifier@*", "--pre", "--url", hub.url).stdout == "2.0.0-rc.1\n")
        let json = try harness.run("resolve", "digits-classifier@~1.0", "--json", "--url", hub.url)
        let resolution = try HubJSON.decoder().decode(Resolution.self, from: Data(json.stdout.utf8))
        #expect(resolution.version.description == "1.0.0")
        #expect(resolution.state == .approved)
        #expect(try harness.run("resolve", "digits-classifier@^3", "--url", hub.url).status == 3)
        #expect(try harness.run("resolve", "nobody@^1", "--url", hub.url).status == 3)
        let offlineLooking = try harness.run("resolve", "^1.2", "--url", hub.url)
        #expect(offlineLooking.status == 2)
        #expect(offlineLooking.stderr.contains("pass --versions"))
        #expect(try harness.run("resolve", "^1.2", "--versions", "1.2.0,1.3.1,2.0.0").stdout == "1.3.1\n", "the offline form is unchanged")
    }
}
