import Foundation
import MaxhubTestSupport
import Testing
@testable import MaxhubCore

/// `VersionRange`: node-semver's grammar and semantics, by hand and against node-semver's own answers
/// (Fixtures/semver/oracle.json, written by scripts/semver-oracle.js), and `grammarPattern` against the parser.
@Suite(.onTestThreads) struct VersionRangeTests {
    // MARK: Desugaring, rule by rule (expected values are node-semver 7.6.2's `Range.range`)

    @Test(arguments: [
        // (range, normalized, normalized with includePrerelease)
        ("^1.2.3", ">=1.2.3 <2.0.0-0", ">=1.2.3 <2.0.0-0"), ("^1.2", ">=1.2.0 <2.0.0-0", ">=1.2.0-0 <2.0.0-0"),
        ("^1", ">=1.0.0 <2.0.0-0", ">=1.0.0-0 <2.0.0-0"), ("^1.x", ">=1.0.0 <2.0.0-0", ">=1.0.0-0 <2.0.0-0"),
        ("^1.2.3-beta.2", ">=1.2.3-beta.2 <2.0.0-0", ">=1.2.3-beta.2 <2.0.0-0"), ("^*", "*", "*"),
        ("^ 1.2", ">=1.2.0 <2.0.0-0", ">=1.2.0-0 <2.0.0-0"), ("^v1.2", ">=1.2.0 <2.0.0-0", ">=1.2.0-0 <2.0.0-0"),
        // On 0.x the caret keeps the leftmost non-zero part.
        ("^0.2.3", ">=0.2.3 <0.3.0-0", ">=0.2.3-0 <0.3.0-0"), ("^0.2", ">=0.2.0 <0.3.0-0", ">=0.2.0-0 <0.3.0-0"),
        ("^0.0.3", ">=0.0.3 <0.0.4-0", ">=0.0.3-0 <0.0.4-0"), ("^0.0.3-beta", ">=0.0.3-beta <0.0.4-0", ">=0.0.3-beta <0.0.4-0"),
        ("^0.0", "<0.1.0-0", "<0.1.0-0"), ("^0.0.x", "<0.1.0-0", "<0.1.0-0"), ("^0", "<1.0.0-0", "<1.0.0-0"),
        ("^0.0.0", "<0.0.1-0", "<0.0.1-0"),
    ])
    func caret(_ range: String, _ normalized: String, _ normalizedIncludingPrerelease: String) throws {
        try expectDesugaring(range, normalized, normalizedIncludingPrerelease)
    }

    @Test(arguments: [
        // The tilde never puts -0 on its lower bound, even with includePrerelease.
        ("~1.2.3", ">=1.2.3 <1.3.0-0", ">=1.2.3 <1.3.0-0"), ("~1.2", ">=1.2.0 <1.3.0-0", ">=1.2.0 <1.3.0-0"),
        ("~1", ">=1.0.0 <2.0.0-0", ">=1.0.0 <2.0.0-0"), ("~0.2.3", ">=0.2.3 <0.3.0-0", ">=0.2.3 <0.3.0-0"),
        ("~0", "<1.0.0-0", ">=0.0.0 <1.0.0-0"), ("~0.0.0", "<0.1.0-0", ">=0.0.0 <0.1.0-0"),
        ("~1.2.3-beta.2", ">=1.2.3-beta.2 <1.3.0-0", ">=1.2.3-beta.2 <1.3.0-0"), ("~>1.2.3", ">=1.2.3 <1.3.0-0", ">=1.2.3 <1.3.0-0"),
        ("~> 1.2", ">=1.2.0 <1.3.0-0", ">=1.2.0 <1.3.0-0"), ("~*", "*", "*"),
    ])
    func tilde(_ range: String, _ normalized: String, _ normalizedIncludingPrerelease: String) throws {
        try expectDesugaring(range, normalized, normalizedIncludingPrerelease)
    }

    @Test(arguments: [
        ("1.x", ">=1.0.0 <2.0.0-0", ">=1.0.0-0 <2.0.0-0"), ("1.2.x", ">=1.2.0 <1.3.0-0", ">=1.2.0-0 <1.3.0-0"),
        ("1.2.*", ">=1.2.0 <1.3.0-0", ">=1.2.0-0 <1.3.0-0"), ("1", ">=1.0.0 <2.0.0-0", ">=1.0.0-0 <2.0.0-0"),
        ("1.2", ">=1.2.0 <1.3.0-0", ">=1.2.0-0 <1.3.0-0"), ("=1.2", ">=1.2.0 <1.3.0-0", ">=1.2.0-0 <1.3.0-0"),
        ("1.x.3", ">=1.0.0 <2.0.0-0", ">=1.0.0-0 <2.0.0-0"), ("1.2.x-beta", ">=1.2.0 <1.3.0-0", ">=1.2.0-0 <1.3.0-0"),
        ("x", "*", "*"), ("*", "*", "*"), ("x.2.3", "*", "*"), ("", "*", "*"), ("  ", "*", "*"),
        (">1", ">=2.0.0", ">=2.0.0-0"), (">1.2", ">=1.3.0", ">=1.3.0-0"), (">=1.2", ">=1.2.0", ">=1.2.0-0"),
        ("<1.2", "<1.2.0-0", "<1.2.0-0"), ("<=1.2", "<1.3.0-0", "<1.3.0-0"), ("<=1", "<2.0.0-0", "<2.0.0-0"),
        (">*", "<0.0.0-0", "<0.0.0-0"), ("<*", "<0.0.0-0", "<0.0.0-0"), (">=*", "*", "*"), ("<=*", "*", "*"), ("=*", "*", "*"),
    ])
    func xRanges(_ range: String, _ normalized: String, _ normalizedIncludingPrerelease: String) throws {
        try expectDesugaring(range, normalized, normalizedIncludingPrerelease)
    }

    @Test(arguments: [
        ("1.2.3 - 2.3.4", ">=1.2.3 <=2.3.4", ">=1.2.3-0 <2.3.5-0"), ("1.2 - 2.3.4", ">=1.2.0 <=2.3.4", ">=1.2.0-0 <2.3.5-0"),
        ("1.2.3 - 2.3", ">=1.2.3 <2.4.0-0", ">=1.2.3-0 <2.4.0-0"), ("1.2.3 - 2", ">=1.2.3 <3.0.0-0", ">=1.2.3-0 <3.0.0-0"),
        ("1 - 2", ">=1.0.0 <3.0.0-0", ">=1.0.0-0 <3.0.0-0"), ("* - 2", "<3.0.0-0", "<3.0.0-0"), ("1.2.3 - *", ">=1.2.3", ">=1.2.3-0"),
        ("1.2.3-beta - 2.3.4-rc.1", ">=1.2.3-beta <=2.3.4-rc.1", ">=1.2.3-beta <=2.3.4-rc.1"),
        ("v1.2.3 - v2", ">=1.2.3 <3.0.0-0", ">=1.2.3-0 <3.0.0-0"),
        // node appends "-0" to the lower end as written; after build metadata it only lengthens the build.
        ("1.2.3+b - 2", ">=1.2.3 <3.0.0-0", ">=1.2.3 <3.0.0-0"),
    ])
    func hyphenRanges(_ range: String, _ normalized: String, _ normalizedIncludingPrerelease: String) throws {
        try expectDesugaring(range, normalized, normalizedIncludingPrerelease)
    }

    @Test(arguments: [
        // `>=0.0.0` (`>=0.0.0-0` with prereleases) is any version, but only when written exactly so.
        (">=0.0.0", "*", ">=0.0.0"), (">=0.0.0-0", ">=0.0.0-0", "*"), (">=v0.0.0", ">=0.0.0", ">=0.0.0"),
        // A set no version satisfies, duplicates, ANY among others, and alternatives.
        ("<0.0.0-0", "<0.0.0-0", "<0.0.0-0"), ("<0", "<0.0.0-0", "<0.0.0-0"), (">=1.2.3 <1.2.3", ">=1.2.3 <1.2.3", ">=1.2.3 <1.2.3"),
        ("1.2.3 || <0.0.0-0", "1.2.3", "1.2.3"), (">* || <x", "<0.0.0-0", "<0.0.0-0"), ("^1 || *", "*", "*"),
        ("1.2.3 1.2.3+b", "1.2.3", "1.2.3"), ("* 1.2.3 x", "1.2.3", "1.2.3"), (">= 1.2.3", ">=1.2.3", ">=1.2.3"),
        ("=v1.2.3", "1.2.3", "1.2.3"), ("1.2.3 ||", "*", "*"), ("||", "*", "*"),
        ("^1.2 || ~2.3.4 || 3.x", ">=1.2.0 <2.0.0-0||>=2.3.4 <2.4.0-0||>=3.0.0 <4.0.0-0",
         ">=1.2.0-0 <2.0.0-0||>=2.3.4 <2.4.0-0||>=3.0.0-0 <4.0.0-0"),
    ])
    func cleanUp(_ range: String, _ normalized: String, _ normalizedIncludingPrerelease: String) throws {
        try expectDesugaring(range, normalized, normalizedIncludingPrerelease)
    }

    private func expectDesugaring(_ text: String, _ normalized: String, _ normalizedIncludingPrerelease: String) throws {
        let range = try VersionRange(parsing: text)
        #expect(range.normalized == normalized)
        #expect(range.description == normalized)
        #expect(range.normalizedIncludingPrerelease == normalizedIncludingPrerelease)
        #expect(range.text == text)
    }

    // MARK: Satisfaction and the prerelease rule

    @Test(arguments: [
        // (range, version, satisfied, satisfied with includePrerelease)
        (">=1.2.3-beta.2", "1.2.3-beta.3", true, true), (">=1.2.3-beta.2", "1.2.4-beta", false, true), (">=1.2.3-beta.2", "1.2.4", true, true),
        ("^1.2.3-beta.2", "1.2.3-beta.1", false, false), ("^1.2.3-beta.2", "1.2.3-rc", true, true), ("^1.2.3-beta.2", "1.9.0-rc", false, true),
        ("^1.2", "1.2.0-rc.1", false, true), ("^1.2", "2.0.0-rc.1", false, false), ("~1.2", "1.2.0-rc.1", false, false),
        ("~1.2", "1.2.5-rc.1", false, true), ("1.2.3 - 2.3.4", "2.3.4-rc.1", false, true), ("1.2.3 - 2.3.4", "2.3.5-0", false, false),
        ("1.2.3 - 2", "1.2.3-alpha", false, true), ("1.2.3+b - 2", "1.2.3-alpha", false, false), ("*", "1.0.0-rc.1", false, true),
        ("", "1.0.0-rc.1", false, true), ("<2.0.0", "2.0.0-rc.1", false, true), ("<2", "2.0.0-rc.1", false, false),
        ("1.2.3-beta.2 || >=2", "1.2.3-beta.2", true, true), ("1.2.3-beta.2 || >=2", "2.1.0-beta", false, true),
        ("=1.2.3", "1.2.3+build", true, true), (">1.2.3-alpha.3", "3.4.5-alpha.9", false, true), (">1.2.3-alpha.3", "1.2.3-alpha.7", true, true),
        ("<0.0.0-0", "0.0.0-0", false, false), (">=0.0.0", "0.0.0-alpha", false, false), (">=0.0.0-0", "0.0.0-alpha", true, true),
        ("^0.0.3", "0.0.4", false, false), ("^0.0.3", "0.0.3", true, true), ("^0.2.3", "0.2.9", true, true), ("^0.2.3", "0.3.0", false, false),
        ("^0.0", "0.0.9", true, true), ("^0.0", "0.1.0", false, false), ("~0.2.3", "0.2.9", true, true), ("1.x", "1.99.0", true, true),
        ("1.x", "2.0.0", false, false), (">=1.2.3 <1.2.4-0", "1.2.4-0", false, false), ("<1.2.4-0 >=1.2.3", "1.2.3-rc.1", false, false),
        ("1.2.3-rc.1 <1.2.3", "1.2.3-rc.1", true, true),
    ])
    func satisfaction(_ range: String, _ version: String, _ plain: Bool, _ withPrereleases: Bool) throws {
        let parsed = try VersionRange(parsing: range)
        #expect(parsed.isSatisfied(by: version) == plain)
        #expect(parsed.isSatisfied(by: try Version(parsing: version)) == plain)
        #expect(parsed.isSatisfied(by: version, includePrerelease: true) == withPrereleases)
    }

    @Test func invalidVersionStringsNeverSatisfy() throws {
        let range = try VersionRange(parsing: "*")
        for text in ["", "v1.2.3", "1.2", " 1.2.3", "1.2.3.4", "x", String(repeating: "1", count: 100_000), "\u{0}"] {
            #expect(!range.isSatisfied(by: text))
            #expect(!range.isSatisfied(by: text, includePrerelease: true))
        }
    }

    @Test func highestSatisfyingKeepsTheFirstOfEqualPrecedence() throws {
        let versions = try ["1.2.0", "1.10.0+first", "1.9.0", "1.10.0+second", "2.0.0-beta.1", "1.10.0"].map { try Version(parsing: $0) }
        #expect(try VersionRange(parsing: "^1").highestSatisfying(versions)?.description == "1.10.0+first")
        #expect(try VersionRange(parsing: ">=1").highestSatisfying(versions)?.description == "1.10.0+first")
        #expect(try VersionRange(parsing: ">=1").highestSatisfying(versions, includePrerelease: true)?.description == "2.0.0-beta.1")
        #expect(try VersionRange(parsing: "<1.9").highestSatisfying(versions)?.description == "1.2.0")
        #expect(try VersionRange(parsing: "^3").highestSatisfying(versions) == nil)
        #expect(VersionRange.any.highestSatisfying([Version]()) == nil)
    }

    @Test func theAnyRange() throws {
        #expect(VersionRange.any == (try VersionRange(parsing: "*")))
        #expect(VersionRange.any == (try VersionRange(parsing: "")))
        #expect(VersionRange.any.description == "*")
        #expect(VersionRange.any.isSatisfied(by: "9007199254740991.0.0"))
        #expect(!VersionRange.any.isSatisfied(by: "1.0.0-rc.1"))
        #expect(VersionRange.any.isSatisfied(by: "1.0.0-rc.1", includePrerelease: true))
    }

    @Test func equalityIsSameDesugaringWithAndWithoutPrereleases() throws {
        #expect(try VersionRange(parsing: "^1.2") == VersionRange(parsing: "^1.2.x"))
        #expect(try VersionRange(parsing: "^1.2") == VersionRange(parsing: "^v1.2"))
        #expect(try VersionRange(parsing: "~1.2") == VersionRange(parsing: ">=1.2.0 <1.3.0-0"))
        #expect(try VersionRange(parsing: "^1.2") != VersionRange(parsing: ">=1.2.0 <2.0.0-0"), "they differ on 1.2.0-rc.1 with prereleases")
        #expect(try Set(["1.x", "1", "1.X.*", "=1", "^1.2"].map { try VersionRange(parsing: $0) }).count == 2)
    }

    @Test func codableKeepsTheTextAsWritten() throws {
        let range = try VersionRange(parsing: ">=1.16 <2")
        let data = try JSONEncoder().encode([range])
        #expect(String(decoding: data, as: UTF8.self) == #"[">=1.16 <2"]"#)
        let decoded = try JSONDecoder().decode([VersionRange].self, from: data)
        #expect(decoded.first?.text == ">=1.16 <2")
        #expect(decoded.first == range)
        do {
            _ = try JSONDecoder().decode([VersionRange].self, from: Data(#"[">=1.2 <<2"]"#.utf8))
            Issue.record("decoded a malformed range")
        } catch {
            #expect("\(error)".contains("column 8"))
        }
    }

    // MARK: Errors

    @Test(arguments: [
        (">=1.2 <<2", 8, "unexpected \"<\""), ("1.2.3.4", 6, "unexpected \".\""), ("01.2.3", 1, "\"01\" has a leading zero"),
        ("1.02.3", 3, "\"02\" has a leading zero"), ("1.2.3-", 7, "expected a prerelease identifier"), ("^", 2, "found the end of the range"),
        ("~>", 3, "found the end of the range"), (">=", 3, "expected a version number"), ("1 - ", 5, "found the end of the range"),
        (" - 2", 2, "unexpected \"-\""), ("1.2.3a", 6, "unexpected \"a\""), ("1 | 2", 3, "alternatives are separated by \"||\""),
        ("1.2.3 - 2.3.4 - 5", 15, "a hyphen range has two ends"), (">=1 - 2", 5, "a hyphen range is two bare versions"),
        ("1.2-beta", 4, "a prerelease follows all three numbers"), ("1-2", 2, "unexpected \"-\""), ("≥1.2", 1, "unexpected \"≥\""),
        ("1.2.3-01", 7, "prerelease identifier \"01\" has a leading zero"), ("1.2.3+", 7, "expected a build identifier"),
        ("1.2.3 – 2", 7, "unexpected \"–\""), ("ünïcode", 1, "unexpected \"ü\""), ("1.2.3\n", 6, "unexpected U+000A"),
        ("\u{A0}1.2.3", 1, "only spaces and tabs"), ("^1.2 ||| 2", 8, "unexpected \"|\""), ("1.2.3 - 2 3", 11, "stands alone"),
        ("1000000000000000", 1, "more than 15 digits"), (">==1.2", 3, "unexpected \"=\""), ("vv1", 2, "unexpected \"v\""),
        ("1.2.3*", 6, "unexpected \"*\""), ("1 - =2", 5, "unexpected \"=\""), ("v 1", 2, "unexpected \" \""),
        ("é1.2.3", 1, "unexpected \"é\""), ("🙂 1", 1, "unexpected \"🙂\""), ("1.2.3 🙂", 7, "unexpected \"🙂\""),
        (String(repeating: "1.2.3 ", count: 50), 257, "longer than 256 characters"),
    ])
    func malformedRangesNameTheColumn(_ text: String, _ column: Int, _ reason: String) {
        do {
            let range = try VersionRange(parsing: text)
            Issue.record("\"\(text)\" parsed as \(range)")
        } catch {
            #expect(error.column == column, "\(error)")
            #expect(error.reason.contains(reason), "\(error)")
            #expect(error.text == text)
            #expect(error.description == "invalid range \"\(text)\": \(error.reason) at column \(column)")
        }
    }

    @Test func theErrorReadsAsOneSentence() {
        #expect(throws: VersionRangeError(text: ">=1.2 <<2", column: 8, reason: "unexpected \"<\"")) {
            try VersionRange(parsing: ">=1.2 <<2")
        }
        let error = VersionRangeError(text: ">=1.2 <<2", column: 8, reason: "unexpected \"<\"")
        #expect(error.description == #"invalid range ">=1.2 <<2": unexpected "<" at column 8"#)
    }

    @Test func garbageAndHugeInputNeverTrap() throws {
        var generator = VersionTests.SeededGenerator(seed: 2026)
        let alphabet = Array("0123456789.-+xX*^~<>=|v abz\t\n\u{0}é🙂")
        for _ in 0..<10_000 {
            let length = Int.random(in: 0...32, using: &generator)
            let text = String((0..<length).map { _ in alphabet.randomElement(using: &generator) ?? " " })
            let parsed = try? VersionRange(parsing: text)
            _ = parsed?.isSatisfied(by: "1.2.3")
            _ = parsed?.normalized
        }
        for text in [
            "^999999999999999", "~999999999999999.999999999999999", ">999999999999999.999999999999999.999999999999999",
            "<=999999999999999.999999999999999", "1.2.3-99999999999999999999999999999999", String(repeating: "9", count: 10_000),
            String(repeating: "||", count: 128), String(repeating: "^1 ", count: 5000) + "<", String(repeating: "🙂", count: 300),
        ] {
            let parsed = try? VersionRange(parsing: text)
            _ = parsed?.isSatisfied(by: "999999999999999.0.0", includePrerelease: true)
            _ = parsed?.highestSatisfying([try? Version(parsing: "1.2.3")].compactMap { $0 })
        }
        #expect(try VersionRange(parsing: "^999999999999999").normalized == ">=999999999999999.0.0 <1000000000000000.0.0-0")
        #expect(try VersionRange(parsing: String(repeating: "||", count: 128)).normalized == "*")
        #expect(throws: VersionRangeError.self) { try VersionRange(parsing: String(repeating: "||", count: 128) + " ") }
    }

    // MARK: node-semver, range by range

    struct Oracle: Decodable {
        struct Case: Decodable, Sendable, CustomTestStringConvertible {
            var range: String
            var origin: String
            var valid: Bool
            var stricter: String?
            var stricterClass: String?
            var normalized: String?
            var normalizedPre: String?
            var satisfies: String?
            var satisfiesPre: String?
            var max: String?
            var maxPre: String?
            var testDescription: String { "\(origin) \(range.debugDescription)" }
        }

        var semver: String
        var grammarPattern: String
        var stricterClasses: [String: String]
        var versions: [String]
        var cases: [Case]
    }

    static let oracle: Oracle = {
        guard let url = Bundle.module.url(forResource: "Fixtures/semver/oracle", withExtension: "json"),
            let data = try? Data(contentsOf: url),
            let oracle = try? JSONDecoder().decode(Oracle.self, from: data)
        else { return Oracle(semver: "missing", grammarPattern: "", stricterClasses: [:], versions: [], cases: []) }
        return oracle
    }()

    @Test func theCorpusIsLargeAndVaried() {
        let cases = Self.oracle.cases
        #expect(Self.oracle.semver.hasPrefix("7."))
        #expect(cases.count >= 2000)
        #expect(cases.filter { $0.valid && $0.stricter == nil }.count * Self.oracle.versions.count * 2 >= 100_000)
        #expect(cases.filter { !$0.valid }.count >= 500)
        #expect(Self.oracle.stricterClasses.count <= 6, "keep the exceptions few")
        #expect(Set(cases.compactMap(\.stricterClass)) == Set(Self.oracle.stricterClasses.keys))
    }

    @Test(arguments: oracle.cases)
    func agreesWithNodeSemver(_ expected: Oracle.Case) throws {
        if let reason = expected.stricter {
            #expect(expected.valid, "only ranges node accepts are listed as stricter")
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
        let versions = try Self.oracle.versions.map { try Version(parsing: $0) }
        #expect(range.normalized == expected.normalized)
        #expect(range.normalizedIncludingPrerelease == expected.normalizedPre)
        let plain = String(versions.map { range.isSatisfied(by: $0) ? "1" : "0" })
        let pre = String(versions.map { range.isSatisfied(by: $0, includePrerelease: true) ? "1" : "0" })
        #expect(plain == expected.satisfies)
        #expect(pre == expected.satisfiesPre)
        #expect(range.highestSatisfying(versions)?.description == expected.max)
        #expect(range.highestSatisfying(versions, includePrerelease: true)?.description == expected.maxPre)
        // The normalized form means the same without prereleases.
        // (unless it holds a bound of 16 digits, which ranges may not spell)
        if let reparsed = try? VersionRange(parsing: range.normalized) {
            #expect(String(versions.map { reparsed.isSatisfied(by: $0) ? "1" : "0" }) == expected.satisfies)
        }
    }

    // MARK: grammarPattern

    /// Every range of the corpus, plus strings aimed at the pattern's edges: line ends, the length limit, NUL.
    static let patternProbes: [String] = {
        var probes = oracle.cases.map(\.range)
        for base in ["1.2.3", "^1.2 || ~2", "", " ", "1 - 2"] {
            probes += [base + "\n", base + "\r\n", base + "\r", "\n" + base, base + "\u{2028}", base + "\u{85}", base + "\u{0}", base + "\u{B}"]
        }
        let filler = "1.2.3 "
        for length in [250, 255, 256, 257, 300] {
            let text = String(String(repeating: filler, count: length / filler.count + 1).prefix(length))
            probes += [text, "1" + String(repeating: " ", count: length - 1), String(repeating: " ", count: length)]
        }
        probes += ["1.2.3-" + String(repeating: "a", count: 250), "1.2.3-" + String(repeating: "a", count: 251)]
        probes += ["999999999999999", "1000000000000000", "1.999999999999999.x", "x.1000000000000000", "1.2.3-1000000000000000000"]
        return probes
    }()

    @Test func theFixtureHoldsTheSamePattern() {
        #expect(Self.oracle.grammarPattern == VersionRange.grammarPattern, "run scripts/semver-oracle.js after changing the grammar")
    }

    @Test func grammarPatternMatchesExactlyWhatTheParserAccepts() throws {
        let pattern = try NSRegularExpression(pattern: VersionRange.grammarPattern)
        var disagreements: [String] = []
        for text in Self.patternProbes {
            let matches = pattern.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
            let parses = (try? VersionRange(parsing: text)) != nil
            if matches != parses { disagreements.append("\(text.debugDescription): pattern \(matches), parser \(parses)") }
        }
        #expect(Self.patternProbes.count >= 2500)
        #expect(disagreements.isEmpty, "\(disagreements.prefix(20))")
    }

    @Test(.enabled(if: Self.python != nil, "needs python3"))
    func pythonReAgreesWithTheParser() throws {
        let python = try #require(Self.python)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("maxhub-semver-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appendingPathComponent("probes.json")
        let payload: [String: Any] = ["pattern": VersionRange.grammarPattern, "probes": Self.patternProbes]
        try JSONSerialization.data(withJSONObject: payload).write(to: input)
        let script = """
            import json, re, sys
            data = json.load(open(sys.argv[1], encoding="utf-8"))
            pattern = re.compile(data["pattern"])
            print(json.dumps([pattern.search(text) is not None for text in data["probes"]]))
            """
        let output = try RepositoryLayout.run(python, ["-c", script, input.path])
        let verdicts = try JSONDecoder().decode([Bool].self, from: output)
        try #require(verdicts.count == Self.patternProbes.count)
        var disagreements: [String] = []
        for (text, matches) in zip(Self.patternProbes, verdicts) where matches != ((try? VersionRange(parsing: text)) != nil) {
            disagreements.append("\(text.debugDescription): python \(matches)")
        }
        #expect(disagreements.isEmpty, "\(disagreements.prefix(20))")
    }

    /// `MAXHUB_PYTHON`, the repository's `.venv`, or a `python3` on the PATH; only the standard library is used.
    static let python: String? = {
        if let configured = try? RepositoryLayout.python() { return configured }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/python3" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()
}
