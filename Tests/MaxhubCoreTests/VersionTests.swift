import Foundation
import MaxhubTestSupport
import Testing
@testable import MaxhubCore

/// `Version`: SemVer 2.0.0 parsing and precedence, by hand and against node-semver's answers
/// (Fixtures/semver/versions.json, written by scripts/semver-oracle.js).
@Suite(.onTestThreads) struct VersionTests {
    // MARK: Precedence

    @Test func precedenceFollowsTheExampleOfTheSpec() throws {
        // SemVer 2.0.0 §11.4, in order.
        let ordered = try [
            "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0",
        ].map(makeVersion)
        for (lower, higher) in zip(ordered, ordered.dropFirst()) {
            #expect(lower < higher, "\(lower) < \(higher)")
            #expect(!(higher < lower), "not \(higher) < \(lower)")
            #expect(lower != higher)
        }
        #expect(ordered.shuffled().sorted() == ordered)
    }

    @Test(arguments: [
        ("1.0.0", "2.0.0"), ("2.0.0", "2.1.0"), ("2.1.0", "2.1.1"), ("1.9.0", "1.10.0"), ("1.0.0-rc.1", "1.0.0"),
        ("1.0.0-2", "1.0.0-10"), ("1.0.0-beta.99", "1.0.0-beta.100"), ("1.0.0-99999999999999999999", "1.0.0-100000000000000000000"),
        ("1.0.0-999", "1.0.0-a"), ("1.0.0-1", "1.0.0-1a"), ("1.0.0-Z", "1.0.0-a"), ("1.0.0--", "1.0.0-0a"), ("1.0.0-a", "1.0.0-a.0"),
        ("1.0.0-a.b", "1.0.0-a.b.c"), ("1.0.0-alpha.9", "1.0.0-alpha.a"), ("1.0.0-b", "1.0.0-ba"), ("0.0.0-0", "0.0.0"),
        ("9007199254740990.0.0", "9007199254740991.0.0"),
    ])
    func precedence(_ lower: String, _ higher: String) throws {
        let (a, b) = (try makeVersion(lower), try makeVersion(higher))
        #expect(a < b)
        #expect(b > a)
        #expect(a != b)
    }

    @Test func buildMetadataIsKeptButIgnoredByPrecedenceEqualityAndHashing() throws {
        let a = try makeVersion("1.2.3-rc.1+build.1")
        let b = try makeVersion("1.2.3-rc.1+build.2")
        #expect(a == b)
        #expect(!(a < b) && !(b < a))
        #expect(Set([a, b]).count == 1)
        #expect(a.description == "1.2.3-rc.1+build.1")
        #expect(a.build == ["build", "1"])
        #expect(a.withoutBuild.description == "1.2.3-rc.1")
        #expect(a.release.description == "1.2.3")
        #expect(a.isPrerelease && !a.release.isPrerelease)
    }

    // MARK: Parsing

    @Test(arguments: [
        "0.0.0", "1.2.3", "10.20.30", "1.1.2-prerelease+meta", "1.1.2+meta", "1.1.2+meta-valid", "1.0.0-alpha", "1.0.0-beta",
        "1.0.0-alpha.beta", "1.0.0-alpha.beta.1", "1.0.0-alpha.1", "1.0.0-alpha0.valid", "1.0.0-alpha.0valid",
        "1.0.0-alpha-a.b-c-somethinglong+build.1-aef.1-its-okay", "1.0.0-rc.1+build.1", "2.0.0-rc.1+build.123", "1.2.3-beta",
        "10.2.3-DEV-SNAPSHOT", "1.2.3-SNAPSHOT-123", "2.0.0+build.1848", "2.0.1-alpha.1227", "1.0.0-alpha+beta",
        "1.2.3----RC-SNAPSHOT.12.9.1--.12+788", "1.2.3----R-S.12.9.1--.12+meta", "1.2.3----RC-SNAPSHOT.12.9.1--.12",
        "1.0.0+0.build.1-rc.10000aaa-kk-0.1", "1.0.0-0A.is.legal", "1.0.0+001", "1.0.0-0", "1.0.0--",
        "9007199254740991.9007199254740991.9007199254740991", "1.0.0-99999999999999999999999",
    ])
    func validVersionsRoundTrip(_ text: String) throws {
        let version = try Version(parsing: text)
        #expect(version.description == text)
        #expect(Version(text) == version)
        #expect(Version(text)?.description == text)
    }

    @Test(arguments: [
        ("", "it is empty"), ("1", "it has one number"), ("1.2", "it has two numbers"), ("1.2.3.4", "unexpected \".\" after \"1.2.3\""),
        ("01.1.1", "the major version \"01\" has a leading zero"), ("1.01.1", "the minor version \"01\" has a leading zero"),
        ("1.1.01", "the patch version \"01\" has a leading zero"), ("1.2.3-0123", "prerelease identifier \"0123\" has a leading zero"),
        ("1.2.3-0123.0123", "\"0123\" has a leading zero"), ("1.1.2+.123", "expected a build metadata identifier"),
        ("1.2.3-", "expected a prerelease identifier of [0-9A-Za-z-], found the end"), ("1.2.3+", "expected a build metadata identifier"),
        ("1.2.3-a..b", "found \".\""), ("+invalid", "expected the major version number, found \"+\""),
        ("-invalid", "found \"-\""), ("alpha", "found \"a\""), ("1.2.3.DEV", "unexpected \".\""), ("1.2-SNAPSHOT", "unexpected \"-\""),
        ("v1.2.3", "a \"v\" prefix is not part of a SemVer 2.0.0 version"), ("V1.2.3", "\"v\" prefix"),
        (" 1.2.3", "leading or trailing whitespace"), ("1.2.3\n", "leading or trailing whitespace"),
        ("9007199254740992.0.0", "the major version \"9007199254740992\" is larger than 9007199254740991"),
        ("0.99999999999999999999.0", "is larger than"), ("1.2.3-ü", "found \"ü\""), ("1.2.3+build_1", "unexpected \"_\""),
        ("1.2.3+a+b", "unexpected \"+\""), ("=1.2.3", "found \"=\""), ("1.x.3", "found \"x\""), ("１.２.３", "found \"１\""),
        ("1.2.3-" + String(repeating: "a", count: 251), "longer than 256 characters"),
    ])
    func invalidVersionsSayWhatIsWrong(_ text: String, _ reason: String) {
        #expect(throws: VersionError.self) { try Version(parsing: text) }
        do {
            _ = try Version(parsing: text)
        } catch {
            #expect(error.reason.contains(reason), "\(error)")
            #expect(error.description.hasPrefix("invalid version \""))
            #expect(error.text == text)
        }
        #expect(Version(text) == nil)
    }

    @Test func theLimitsAreNodeSemversLimits() throws {
        #expect(try Version(parsing: "9007199254740991.0.0").major == Version.maximumComponent)
        #expect(throws: VersionError.self) { try Version(parsing: "9007199254740992.0.0") }
        #expect(throws: VersionError.self) { try Version(parsing: "0.0.99999999999999999999999999999999") }
        let longest = "1.2.3-" + String(repeating: "a", count: 250)
        #expect(try Version(parsing: longest).description.count == Version.maximumLength)
        #expect(throws: VersionError.self) { try Version(parsing: longest + "a") }
    }

    @Test func partsAreCheckedLikeText() throws {
        #expect(try Version(major: 1, minor: 2, patch: 3, prerelease: ["rc", "1"], build: ["b"]).description == "1.2.3-rc.1+b")
        #expect(throws: VersionError.self) { try Version(major: -1, minor: 0, patch: 0) }
        #expect(throws: VersionError.self) { try Version(major: 1, minor: 0, patch: 0, prerelease: ["01"]) }
        #expect(throws: VersionError.self) { try Version(major: 1, minor: 0, patch: 0, prerelease: ["a.b"]) }
        #expect(throws: VersionError.self) { try Version(major: 1, minor: 0, patch: 0, build: [""]) }
        #expect(Version.PrereleaseIdentifier("01") == nil)
        #expect(Version.PrereleaseIdentifier("") == nil)
        #expect(Version.PrereleaseIdentifier("a.b") == nil)
        #expect(Version.PrereleaseIdentifier("10")?.isNumeric == true)
        #expect(Version.PrereleaseIdentifier("0a")?.isNumeric == false)
    }

    @Test func codableAsAString() throws {
        let version = try makeVersion("1.2.3-rc.1+build.5")
        let data = try JSONEncoder().encode(["version": version])
        #expect(String(decoding: data, as: UTF8.self) == #"{"version":"1.2.3-rc.1+build.5"}"#)
        let decoded = try JSONDecoder().decode([String: Version].self, from: data)
        #expect(decoded["version"]?.description == "1.2.3-rc.1+build.5")
        do {
            _ = try JSONDecoder().decode([String: Version].self, from: Data(#"{"version":"v1.2"}"#.utf8))
            Issue.record("v1.2 decoded")
        } catch {
            #expect("\(error)".contains("invalid version \"v1.2\""))
        }
    }

    @Test func garbageNeverTraps() {
        var generator = SeededGenerator(seed: 7)
        let alphabet = Array("0123456789.-+xXvV aZz_~^*|\u{0}\n\u{FF10}é")
        for _ in 0..<5000 {
            let text = String((0..<Int.random(in: 0...20, using: &generator)).map { _ in alphabet.randomElement(using: &generator) ?? "0" })
            if let version = try? Version(parsing: text) {
                #expect(version.description == text)
            }
        }
        #expect(throws: VersionError.self) { try Version(parsing: String(repeating: "9", count: 1_000_000)) }
    }

    // MARK: node-semver

    struct NodeVersions: Decodable {
        struct Valid: Decodable { var version: String; var rank: Int }
        struct Invalid: Decodable, CustomTestStringConvertible, Sendable {
            var version: String
            var node: Bool
            var testDescription: String { "\"\(version)\"" }
        }

        var semver: String
        var valid: [Valid]
        var invalid: [Invalid]
    }

    static let node: NodeVersions = {
        guard let url = Bundle.module.url(forResource: "Fixtures/semver/versions", withExtension: "json"),
            let data = try? Data(contentsOf: url),
            let versions = try? JSONDecoder().decode(NodeVersions.self, from: data)
        else { return NodeVersions(semver: "missing", valid: [], invalid: []) }
        return versions
    }()

    @Test func precedenceAgreesWithNodeSemverOnEveryPair() throws {
        #expect(Self.node.valid.count >= 100)
        let versions = try Self.node.valid.map { try makeVersion($0.version) }
        var disagreements: [String] = []
        for (a, expectedA) in zip(versions, Self.node.valid) {
            #expect(a.description == expectedA.version)
            for (b, expectedB) in zip(versions, Self.node.valid) {
                let node = expectedA.rank < expectedB.rank ? "<" : expectedA.rank > expectedB.rank ? ">" : "=="
                let ours = a < b ? "<" : b < a ? ">" : "=="
                if ours != node || (a == b) != (node == "==") { disagreements.append("\(a) \(ours) \(b), node: \(node)") }
                if a == b { #expect(a.hashValue == b.hashValue) }
            }
        }
        #expect(disagreements.isEmpty, "\(disagreements.prefix(20))")
    }

    @Test(arguments: node.invalid)
    func stringsMaxhubRefusesAsVersions(_ expected: NodeVersions.Invalid) {
        #expect(throws: VersionError.self) { try Version(parsing: expected.version) }
        if expected.node {
            // node-semver trims whitespace and takes a "v"; SemVer 2.0.0 does not.
            let text = expected.version.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(text.hasPrefix("v") || text != expected.version, "node accepts \(expected.testDescription) for another reason")
        }
    }
}

private func makeVersion(_ text: String) throws -> Version { try Version(parsing: text) }

extension VersionTests {
    /// A small deterministic generator (SplitMix64) so that random inputs repeat from run to run.
    struct SeededGenerator: RandomNumberGenerator {
        private var state: UInt64

        init(seed: UInt64) { state = seed }

        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }
}
