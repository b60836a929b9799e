import Foundation
import Testing
@testable import MaxhubCore

/// `Version` and `VersionRange` against node-semver's own answers (Fixtures/semver/oracle.json,
/// written by scripts/semver-oracle.js): validity, normalized form, satisfaction with and without
/// prereleases, and the highest satisfying version, for every range against every version.
@Suite struct SemVerOracleTests {
    struct Oracle: Decodable {
        struct Case: Decodable, CustomTestStringConvertible, Sendable {
            var range: String
            var valid: Bool
            var stricter: String?
            var normalized: String?
            var satisfies: String?
            var satisfiesPre: String?
            var max: String?
            var maxPre: String?
            var testDescription: String { "\"\(range)\"" }
        }

        var semver: String
        var versions: [String]
        var sorted: [String]
        var invalidVersions: [String]
        var cases: [Case]
    }

    static let oracle: Oracle = {
        guard let url = Bundle.module.url(forResource: "Fixtures/semver/oracle", withExtension: "json"),
            let data = try? Data(contentsOf: url),
            let oracle = try? JSONDecoder().decode(Oracle.self, from: data)
        else { return Oracle(semver: "missing", versions: [], sorted: [], invalidVersions: [], cases: []) }
        return oracle
    }()

    @Test func theOracleIsLarge() {
        #expect(Self.oracle.cases.count >= 400)
        #expect(Self.oracle.cases.filter { !$0.valid }.count >= 40)
        #expect(Self.oracle.versions.count >= 40)
    }

    @Test(arguments: oracle.cases)
    func rangeAgreesWithNodeSemver(_ expected: Oracle.Case) throws {
        let versions = try Self.oracle.versions.map { try Version(parsing: $0) }
        if let reason = expected.stricter {
            #expect(throws: VersionRangeError.self, "deliberately stricter than node: \(reason)") {
                try VersionRange(parsing: expected.range)
            }
            return
        }
        guard expected.valid else {
            #expect(throws: VersionRangeError.self) { try VersionRange(parsing: expected.range) }
            return
        }
        let range = try VersionRange(parsing: expected.range)
        #expect(range.normalized == expected.normalized)
        let plain = String(versions.map { range.isSatisfied(by: $0) ? "1" : "0" })
        let pre = String(versions.map { range.isSatisfied(by: $0, includePrerelease: true) ? "1" : "0" })
        #expect(plain == expected.satisfies, "versions: \(Self.oracle.versions)")
        #expect(pre == expected.satisfiesPre, "with prereleases; versions: \(Self.oracle.versions)")
        #expect(range.highestSatisfying(versions)?.description == expected.max)
        #expect(range.highestSatisfying(versions, includePrerelease: true)?.description == expected.maxPre)
    }

    @Test(arguments: oracle.cases)
    func grammarPatternAcceptsExactlyWhatTheParserAccepts(_ expected: Oracle.Case) throws {
        let pattern = try NSRegularExpression(pattern: VersionRange.grammarPattern)
        let text = expected.range
        let matches = pattern.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
        let parses = (try? VersionRange(parsing: text)) != nil
        #expect(matches == parses)
    }

    @Test func precedenceMatchesNodeSemverSort() throws {
        let sorted = try Self.oracle.versions.map { try Version(parsing: $0) }.sorted()
        #expect(sorted.map(\.description) == Self.oracle.sorted)
    }

    @Test(arguments: oracle.invalidVersions)
    func invalidVersionsAreRejectedAndNeverSatisfy(_ text: String) {
        #expect(throws: VersionError.self) { try Version(parsing: text) }
        #expect(!VersionRange.any.isSatisfied(by: text))
    }
}
