import Foundation
import MaxhubTestSupport
import Testing
@testable import MaxhubCore

/// The rules of SemVer 2.0.0 and node-semver's ranges, spelled out case by case.
@Suite(.onTestThreads) struct SemVerRulesTests {
    @Test func precedenceFollowsTheSemVerSpec() throws {
        let ordered = ["1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2", "1.0.0-beta.11",
                       "1.0.0-rc.1", "1.0.0", "1.0.1", "1.1.0", "2.0.0"]
        let versions = try ordered.map { try Version(parsing: $0) }
        for (lower, higher) in zip(versions, versions.dropFirst()) {
            #expect(lower < higher, "\(lower) < \(higher)")
            #expect(!(higher < lower))
        }
        #expect(try Version(parsing: "1.0.0-beta.100") > Version(parsing: "1.0.0-beta.99"), "numeric identifiers compare as numbers")
        #expect(try Version(parsing: "1.0.0-99999999999999999999") < Version(parsing: "1.0.0-100000000000000000000"))
    }

    @Test func buildMetadataIsIgnoredForPrecedenceButKept() throws {
        let a = try Version(parsing: "1.2.3+build.1")
        let b = try Version(parsing: "1.2.3+build.2")
        #expect(a == b)
        #expect(a.description == "1.2.3+build.1")
        #expect(Set([a, b]).count == 1)
    }

    @Test(arguments: ["1.2.3", "0.0.0", "10.20.30", "1.0.0-alpha-a.b-c-somethinglong+build.1-aef.1-its-okay",
                      "1.0.0-0A.is.legal", "1.2.3----RC-SNAPSHOT.12.9.1--.12+788", "2.0.0+build.1848", "1.0.0-rc.1+build.1"])
    func validVersionsRoundTrip(_ text: String) throws {
        #expect(try Version(parsing: text).description == text)
    }

    @Test(arguments: ["v1.2.3", " 1.2.3", "1.2.3 ", "1.2", "1.2.3.4", "01.1.1", "1.01.1", "1.1.01", "1.2.3-0123",
                      "1.2.3-0123.0123", "1.1.2+.123", "+invalid", "-invalid", "-invalid+invalid", "alpha", "1.2.3.DEV",
                      "1.2-SNAPSHOT", "1.2.31.2.3----RC-SNAPSHOT.12.09.1--..12+788", "9007199254740992.0.0", "1.2.3-ü"])
    func invalidVersionsAreErrors(_ text: String) {
        #expect(throws: VersionError.self) { try Version(parsing: text) }
    }

    @Test(arguments: [
        // (range, normalized as node-semver prints it)
        ("^1.2.3", ">=1.2.3 <2.0.0-0"), ("^0.2.3", ">=0.2.3 <0.3.0-0"), ("^0.0.3", ">=0.0.3 <0.0.4-0"),
        ("^1.2", ">=1.2.0 <2.0.0-0"), ("^0.0", "<0.1.0-0"), ("^1", ">=1.0.0 <2.0.0-0"),
        ("~1.2.3", ">=1.2.3 <1.3.0-0"), ("~1.2", ">=1.2.0 <1.3.0-0"), ("~1", ">=1.0.0 <2.0.0-0"), ("~>1.2", ">=1.2.0 <1.3.0-0"),
        ("1.x", ">=1.0.0 <2.0.0-0"), ("1.2.*", ">=1.2.0 <1.3.0-0"), ("*", "*"), ("", "*"), (">=0.0.0", "*"),
        ("1.2.3 - 2.3.4", ">=1.2.3 <=2.3.4"), ("1.2 - 2.3.4", ">=1.2.0 <=2.3.4"), ("1.2.3 - 2.3", ">=1.2.3 <2.4.0-0"),
        ("1.2.3 - 2", ">=1.2.3 <3.0.0-0"), (">1.2", ">=1.3.0"), ("<=1.2", "<1.3.0-0"), ("<1.2", "<1.2.0-0"),
        (">= 1.2.3", ">=1.2.3"), ("^1.2 || ~2.3.4", ">=1.2.0 <2.0.0-0||>=2.3.4 <2.4.0-0"), (">*", "<0.0.0-0"),
    ])
    func desugaringMatchesNodeSemver(_ range: String, _ normalized: String) throws {
        #expect(try VersionRange(parsing: range).normalized == normalized)
    }

    @Test func prereleasesNeedAComparatorOnTheSameTuple() throws {
        let range = try VersionRange(parsing: ">1.2.3-alpha.3")
        #expect(range.isSatisfied(by: "1.2.3-alpha.7"))
        #expect(!range.isSatisfied(by: "3.4.5-alpha.9"), "a prerelease of another tuple is left out")
        #expect(range.isSatisfied(by: "3.4.5-alpha.9", includePrerelease: true))
        #expect(range.isSatisfied(by: "3.4.5"))
        #expect(try !VersionRange(parsing: "^1.2").isSatisfied(by: "1.3.0-beta"))
        #expect(try VersionRange(parsing: "^1.2").isSatisfied(by: "1.3.0-beta", includePrerelease: true))
        #expect(try !VersionRange(parsing: "^1.2").isSatisfied(by: "2.0.0-beta", includePrerelease: true), "<2.0.0-0 holds")
        #expect(try !VersionRange(parsing: "*").isSatisfied(by: "1.0.0-rc.1"))
        #expect(try VersionRange(parsing: "*").isSatisfied(by: "1.0.0-rc.1", includePrerelease: true))
    }

    @Test func resolutionPicksTheHighestSatisfying() throws {
        let versions = try ["1.2.0", "1.10.0", "1.9.0", "2.0.0-beta.1", "1.10.0+other"].map { try Version(parsing: $0) }
        #expect(try VersionRange(parsing: "^1").highestSatisfying(versions)?.description == "1.10.0")
        #expect(try VersionRange(parsing: ">=1").highestSatisfying(versions, includePrerelease: true)?.description == "2.0.0-beta.1")
        #expect(try VersionRange(parsing: "^3").highestSatisfying(versions) == nil)
    }

    @Test(arguments: [
        (">=1.2 <<2", 8), ("1.2.3.4", 6), ("01.2.3", 1), ("1.2.3-", 7), ("^", 2), ("1 - ", 5), ("1.2.3a", 6),
        ("1 | 2", 3), ("1.2.3 - 2.3.4 - 5", 15), ("≥1.2", 1),
    ])
    func malformedRangesNameTheColumn(_ range: String, _ column: Int) {
        do {
            _ = try VersionRange(parsing: range)
            Issue.record("\"\(range)\" parsed")
        } catch {
            #expect(error.column == column, "\(error)")
            #expect(error.description.contains("at column \(column)"))
        }
    }

    @Test func garbageNeverCrashes() {
        let alphabet = Array("0123456789.-+xX*^~<>=|v abz\t")
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<3000 {
            let length = Int.random(in: 0...24, using: &generator)
            let text = String((0..<length).map { _ in alphabet.randomElement(using: &generator)! })
            let range = try? VersionRange(parsing: text)
            _ = range?.isSatisfied(by: "1.2.3")
            _ = try? Version(parsing: text)
        }
        #expect(throws: VersionRangeError.self) { try VersionRange(parsing: "^99999999999999999") }
        #expect(throws: VersionRangeError.self) { try VersionRange(parsing: String(repeating: "^1 ", count: 5000) + "<") }
    }
}
