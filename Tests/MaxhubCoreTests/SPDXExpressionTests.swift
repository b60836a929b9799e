import Foundation
import MaxhubJSON
import MaxhubTestSupport
import Testing
@testable import MaxhubCore

/// What a `LicenseRef-`, `AdditionRef-` or `DocumentRef-` prefix must be followed by, in the errors.
private let nameRule = #"must be followed by one or more letters, digits, "." or "-""#

/// `SPDXExpression`: SPDX license expressions (Annex D) checked against the embedded SPDX License List.
@Suite(.onTestThreads) struct SPDXExpressionTests {
    // MARK: The embedded list

    @Test func theListHasAPlausibleSizeAndVersion() {
        #expect((500...2_000).contains(SPDXExpression.licenseIDs.count), "\(SPDXExpression.licenseIDs.count) license ids")
        #expect((40...400).contains(SPDXExpression.exceptionIDs.count), "\(SPDXExpression.exceptionIDs.count) exception ids")
        #expect(SPDXExpression.licenseListVersion.wholeMatch(of: /3\.[0-9]+/) != nil, "\(SPDXExpression.licenseListVersion)")
        #expect(SPDXExpression.licenseIDs.isDisjoint(with: SPDXExpression.exceptionIDs))
        // Case-insensitive matching needs ids that differ by more than case.
        #expect(SPDXExpression.licensesByLowercasedID.count == SPDXExpression.licenseIDs.count)
        #expect(SPDXExpression.exceptionsByLowercasedID.count == SPDXExpression.exceptionIDs.count)
    }

    @Test func theListHasKnownLicensesAndExceptionsDeprecatedOnesIncluded() {
        let licenses = [
            "0BSD", "AGPL-3.0-only", "Apache-2.0", "BSD-2-Clause", "BSD-3-Clause", "CC-BY-4.0", "CC-BY-NC-4.0", "CC-BY-SA-4.0",
            "CC0-1.0", "CDLA-Permissive-2.0", "GPL-2.0-only", "GPL-2.0-or-later", "GPL-3.0-only", "LGPL-2.1-or-later", "MIT",
            "MPL-2.0", "ODbL-1.0", "OpenMDW-1.0", "Unlicense",
            // Deprecated, still valid.
            "GPL-2.0", "GPL-2.0+", "LGPL-2.1+", "GPL-2.0-with-classpath-exception", "wxWindows",
        ]
        for id in licenses { #expect(SPDXExpression.licenseIDs.contains(id), "\(id)") }
        for id in ["Classpath-exception-2.0", "LLVM-exception", "Bison-exception-2.2", "GCC-exception-3.1", "Nokia-Qt-exception-1.1"] {
            #expect(SPDXExpression.exceptionIDs.contains(id), "\(id)")
        }
    }

    /// Licenses common on model hubs that the SPDX License List does not have (as of the embedded version): a package
    /// under one of them needs a `LicenseRef-`. If a list update adds one, move it to the test above.
    @Test(arguments: ["OpenRAIL", "OpenRAIL-M", "CreativeML-OpenRAIL-M", "BigScience-OpenRAIL-M", "Llama-2", "Llama-3", "Gemma"])
    func modelLicensesOutsideTheListNeedALicenseRef(_ id: String) throws {
        #expect(!SPDXExpression.licenseIDs.contains(id))
        #expect(throws: SPDXExpressionError.unknownLicense(id, suggestion: nil)) { try SPDXExpression(parsing: id) }
        #expect(try makeExpression("LicenseRef-\(id)").licenseIDs == ["LicenseRef-\(id)"])
    }

    // MARK: Simple expressions

    @Test(arguments: [
        "Apache-2.0", "MIT", "BSD-3-Clause", "CC-BY-4.0", "CC-BY-SA-4.0", "GPL-2.0-only", "GPL-2.0-or-later", "LGPL-2.1+", "GPL-2.0",
        "CC0-1.0", "OpenMDW-1.0", "CDLA-Permissive-2.0", "Unlicense", "0BSD",
    ])
    func listedLicensesParseAsThemselves(_ id: String) throws {
        let expression = try makeExpression(id)
        #expect(expression.normalized == id)
        #expect(expression.description == id)
        #expect(expression.licenseIDs == [id])
        #expect(expression.exceptionIDs == [])
    }

    @Test(arguments: [
        ("apache-2.0", "Apache-2.0"), ("mit", "MIT"), ("mIt", "MIT"), ("APACHE-2.0", "Apache-2.0"), ("bsd-3-clause", "BSD-3-Clause"),
        ("gpl-2.0-OR-LATER", "GPL-2.0-or-later"), ("lgpl-2.1+", "LGPL-2.1+"), ("cc-by-sa-4.0", "CC-BY-SA-4.0"), ("openmdw-1.0", "OpenMDW-1.0"),
        ("WXWINDOWS", "wxWindows"),
    ])
    func idsMatchWithoutRegardToCaseAndNormalizeToTheListsCasing(_ text: String, _ canonical: String) throws {
        let expression = try makeExpression(text)
        #expect(expression.normalized == canonical)
        #expect(expression.licenseIDs == [canonical])
        #expect(expression == (try makeExpression(canonical)))
    }

    @Test func aPlusMeansThisVersionOrLaterAndIsNotPartOfTheId() throws {
        let apache = try makeExpression("apache-2.0+")
        #expect(apache.normalized == "Apache-2.0+")
        #expect(apache.licenseIDs == ["Apache-2.0"])
        // GPL-2.0+ and LGPL-2.1+ are (deprecated) ids of their own.
        #expect(try makeExpression("GPL-2.0+").licenseIDs == ["GPL-2.0+"])
        #expect(try makeExpression("lgpl-2.1+").licenseIDs == ["LGPL-2.1+"])
        #expect(try makeExpression("GPL-2.0-only+").normalized == "GPL-2.0-only+")
    }

    @Test(arguments: [
        "LicenseRef-Proprietary-Weights", "LicenseRef-23", "LicenseRef-MIT-Style-1", "LicenseRef-llama.3.1",
        "DocumentRef-spdx-tool-1.2:LicenseRef-MIT-Style-2",
    ])
    func licenseRefsAreAlwaysAccepted(_ text: String) throws {
        let expression = try makeExpression(text)
        #expect(expression.normalized == text)
        #expect(expression.licenseIDs == [text])
    }

    @Test func referencesCompareWithoutRegardToTheCaseOfTheirNamesButKeepIt() throws {
        let upper = try makeExpression("LicenseRef-Name OR MIT")
        let lower = try makeExpression("LicenseRef-name or mit")
        #expect(upper == lower)
        #expect(Set([upper, lower]).count == 1)
        #expect(lower.normalized == "LicenseRef-name OR MIT")
        #expect(upper != (try makeExpression("LicenseRef-Other OR MIT")))
    }

    // MARK: Compound expressions

    @Test(arguments: [
        ("MIT OR Apache-2.0", "MIT OR Apache-2.0"),
        ("MIT AND Apache-2.0 AND BSD-3-Clause", "MIT AND Apache-2.0 AND BSD-3-Clause"),
        ("GPL-2.0-only WITH Classpath-exception-2.0", "GPL-2.0-only WITH Classpath-exception-2.0"),
        ("(MIT OR Apache-2.0) AND CC-BY-4.0", "(MIT OR Apache-2.0) AND CC-BY-4.0"),
        ("MIT AND (LGPL-2.1-or-later OR BSD-3-Clause)", "MIT AND (LGPL-2.1-or-later OR BSD-3-Clause)"),
        (" ( mit  or apache-2.0 ) ", "MIT OR Apache-2.0"),
        ("mit and apache-2.0", "MIT AND Apache-2.0"),
        ("gpl-2.0-or-later with bison-exception-2.2", "GPL-2.0-or-later WITH Bison-exception-2.2"),
        ("GPL-2.0+ WITH classpath-EXCEPTION-2.0", "GPL-2.0+ WITH Classpath-exception-2.0"),
        ("((MIT))", "MIT"),
        ("(MIT) AND (Apache-2.0)", "MIT AND Apache-2.0"),
        ("MIT AND(Apache-2.0 OR BSD-2-Clause)", "MIT AND (Apache-2.0 OR BSD-2-Clause)"),
        ("MIT\tOR\nApache-2.0", "MIT OR Apache-2.0"),
        ("((MIT OR Apache-2.0)) AND CC0-1.0", "(MIT OR Apache-2.0) AND CC0-1.0"),
        ("(GPL-2.0-only WITH Classpath-exception-2.0)", "GPL-2.0-only WITH Classpath-exception-2.0"),
        ("LicenseRef-Custom WITH Classpath-exception-2.0", "LicenseRef-Custom WITH Classpath-exception-2.0"),
        ("GPL-3.0-or-later WITH AdditionRef-model-use", "GPL-3.0-or-later WITH AdditionRef-model-use"),
        ("GPL-3.0-or-later WITH DocumentRef-d:AdditionRef-x", "GPL-3.0-or-later WITH DocumentRef-d:AdditionRef-x"),
        ("Apache-2.0 WITH LLVM-exception OR MIT", "Apache-2.0 WITH LLVM-exception OR MIT"),
        ("(MIT OR (Apache-2.0 AND (BSD-2-Clause OR 0BSD)))", "MIT OR (Apache-2.0 AND (BSD-2-Clause OR 0BSD))"),
    ])
    func compoundExpressionsNormalize(_ text: String, _ normalized: String) throws {
        let expression = try makeExpression(text)
        #expect(expression.normalized == normalized)
        // The normalized form is a fixed point.
        #expect(try makeExpression(normalized).normalized == normalized)
        #expect(try makeExpression(normalized) == expression)
    }

    @Test(arguments: [
        ("MIT OR Apache-2.0 AND BSD-3-Clause", "[MIT OR [Apache-2.0 AND BSD-3-Clause]]"),
        ("MIT AND Apache-2.0 OR BSD-3-Clause", "[[MIT AND Apache-2.0] OR BSD-3-Clause]"),
        ("MIT OR GPL-2.0-only WITH Classpath-exception-2.0 AND 0BSD", "[MIT OR [{GPL-2.0-only WITH Classpath-exception-2.0} AND 0BSD]]"),
        ("(MIT OR Apache-2.0) AND BSD-3-Clause", "[([MIT OR Apache-2.0]) AND BSD-3-Clause]"),
        ("MIT AND Apache-2.0 AND 0BSD OR Unlicense OR CC0-1.0", "[[MIT AND Apache-2.0 AND 0BSD] OR Unlicense OR CC0-1.0]"),
        ("Apache-2.0+ WITH LLVM-exception", "{Apache-2.0+ WITH LLVM-exception}"),
    ])
    func withBindsTighterThanAndAndAndTighterThanOr(_ text: String, _ structure: String) throws {
        #expect(Self.structure(of: try makeExpression(text).root) == structure)
    }

    @Test func theLongestAcceptedTextsParseEvenWhenDeeplyNested() throws {
        let longest = "LicenseRef-" + String(repeating: "a", count: SPDXExpression.maximumLength - "LicenseRef-".count)
        #expect(try makeExpression(longest).normalized == longest)
        let depth = (SPDXExpression.maximumLength - 3) / 2
        let nested = String(repeating: "(", count: depth) + "MIT" + String(repeating: ")", count: depth)
        #expect(try makeExpression(nested).normalized == "MIT")
        let nestedOperations = String(repeating: "(MIT OR ", count: 25) + "0BSD" + String(repeating: ")", count: 25)
        #expect(try makeExpression(nestedOperations).licenseIDs == ["MIT", "0BSD"])
        #expect(throws: SPDXExpressionError.tooLong(maximum: 256)) { try SPDXExpression(parsing: longest + "b") }
    }

    @Test func licenseAndExceptionIdsAreListedOnceInOrderOfAppearance() throws {
        let expression = try makeExpression(
            "MIT OR (mit AND Apache-2.0+) OR GPL-2.0-only WITH Classpath-exception-2.0 OR LicenseRef-X OR GPL-2.0-only WITH LLVM-exception"
        )
        #expect(expression.licenseIDs == ["MIT", "Apache-2.0", "GPL-2.0-only", "LicenseRef-X"])
        #expect(expression.exceptionIDs == ["Classpath-exception-2.0", "LLVM-exception"])
    }

    // MARK: Agreement with the manifest schema and corpus

    /// Every real expression that the schema's `spdx` pattern admits parses, and normalizes to itself.
    @Test func expressionsThatTheSchemaPatternAdmitsParse() throws {
        let schema = try JSONValue(json: Data(ManifestSchema.text.utf8))
        let pattern = try #require(schema["$defs"]?["spdx"]?["pattern"]?.stringValue)
        let regex = try Regex(pattern)
        let samples = [
            "Apache-2.0", "MIT OR Apache-2.0", "GPL-2.0-only WITH Classpath-exception-2.0", "LicenseRef-Proprietary-Weights",
            "GPL-2.0+", "Apache-2.0+", "(MIT OR Apache-2.0) AND CC-BY-4.0", "MIT AND (Apache-2.0 OR BSD-3-Clause)",
            "((MIT))", "(MIT) AND (Apache-2.0)", "MIT OR Apache-2.0 AND BSD-2-Clause", "0BSD", "CC-BY-NC-SA-4.0",
            "Apache-2.0 WITH LLVM-exception", "(GPL-3.0-or-later WITH GCC-exception-3.1 OR MIT) AND CC0-1.0",
            "GPL-3.0-or-later WITH AdditionRef-model-use",
        ]
        for sample in samples {
            #expect(sample.wholeMatch(of: regex) != nil, "the pattern refuses \(sample)")
            let expression = try SPDXExpression(parsing: sample)
            #expect(expression.normalized.wholeMatch(of: regex) != nil, "the pattern refuses \(expression.normalized)")
        }
    }

    @Test func everyLicenseInTheValidManifestsParses() throws {
        let valid = ManifestCorpusTests.fixtures.filter { $0.group == "valid" }
        #expect(!valid.isEmpty)
        var seen: Set<String> = []
        for fixture in valid {
            let license = try #require(try fixture.document()["license"], "\(fixture.testDescription)")
            for part in ["code", "weights", "data"] {
                let text = try #require(license[part]?.stringValue, "\(fixture.testDescription) license.\(part)")
                seen.insert(text)
                let expression = try SPDXExpression(parsing: text)
                #expect(expression.normalized == text, "\(fixture.testDescription) license.\(part)")
            }
        }
        #expect(seen.isSuperset(of: ["MIT OR Apache-2.0", "LicenseRef-Proprietary-Weights", "GPL-2.0-only WITH Classpath-exception-2.0"]))
        #expect(throws: SPDXExpressionError.unknownLicense("Apache 2.0", suggestion: "Apache-2.0")) {
            try SPDXExpression(parsing: "Apache 2.0 license!")
        }
    }

    @Test func jsonCarriesTheNormalizedText() throws {
        let expression = try makeExpression("(mit or apache-2.0)")
        let data = try JSONEncoder().encode([expression])
        #expect(String(decoding: data, as: UTF8.self) == #"["MIT OR Apache-2.0"]"#)
        #expect(try JSONDecoder().decode([SPDXExpression].self, from: data) == [expression])
        do {
            _ = try JSONDecoder().decode([SPDXExpression].self, from: Data(#"["Apache2"]"#.utf8))
            Issue.record("decoded an unknown license")
        } catch let DecodingError.dataCorrupted(context) {
            #expect(context.debugDescription == #"unknown SPDX license "Apache2"; did you mean "Apache-2.0"?"#)
        }
    }

    // MARK: Errors

    @Test(arguments: [
        ("", SPDXExpressionError.empty),
        (" \t ", .empty),
        (String(repeating: "M", count: 257), .tooLong(maximum: 256)),
        // Unknown ids, with a suggestion when one is close.
        ("Apache2", .unknownLicense("Apache2", suggestion: "Apache-2.0")),
        ("Apache 2.0", .unknownLicense("Apache 2.0", suggestion: "Apache-2.0")),
        ("MIT OR apache_2.0", .unknownLicense("apache_2.0", suggestion: "Apache-2.0")),
        ("CC-BY-4", .unknownLicense("CC-BY-4", suggestion: "CC-BY-4.0")),
        ("MTI", .unknownLicense("MTI", suggestion: "MIT")),
        ("MIT++", .unknownLicense("MIT++", suggestion: "MIT")),
        ("GPL-2.0-orlater", .unknownLicense("GPL-2.0-orlater", suggestion: "GPL-2.0-or-later")),
        ("Frobnicate-1.0", .unknownLicense("Frobnicate-1.0", suggestion: nil)),
        ("MIT/Apache-2.0", .unknownLicense("MIT/Apache-2.0", suggestion: nil)),
        ("GPL-2.0-only WITH Classpath-exception", .unknownException("Classpath-exception", suggestion: "Classpath-exception-2.0")),
        ("GPL-2.0-only WITH Frobnicate-exception", .unknownException("Frobnicate-exception", suggestion: nil)),
        // Ids of the wrong kind.
        ("Classpath-exception-2.0", .exceptionUsedAsLicense("Classpath-exception-2.0")),
        ("MIT AND llvm-exception", .exceptionUsedAsLicense("LLVM-exception")),
        ("AdditionRef-x", .exceptionUsedAsLicense("AdditionRef-x")),
        ("GPL-2.0-only WITH mit", .licenseUsedAsException("MIT")),
        ("GPL-2.0-only WITH LicenseRef-x", .licenseUsedAsException("LicenseRef-x")),
        // Not a decision.
        ("NONE", .undecided("NONE")),
        ("noassertion", .undecided("NOASSERTION")),
        ("MIT OR NOASSERTION", .undecided("NOASSERTION")),
        // References.
        ("LicenseRef-", .invalidReference("LicenseRef-", column: 1, reason: "LicenseRef- \(nameRule)")),
        ("MIT OR LicenseRef-a_b", .invalidReference("LicenseRef-a_b", column: 8, reason: "LicenseRef- \(nameRule)")),
        ("LicenseRef-x+", .invalidReference("LicenseRef-x+", column: 1, reason: "LicenseRef- \(nameRule)")),
        ("licenseref-x", .invalidReference("licenseref-x", column: 1, reason: "the prefix must be written LicenseRef-")),
        (
            "DocumentRef-doc",
            .invalidReference("DocumentRef-doc", column: 1, reason: #"a DocumentRef- must be followed by ":LicenseRef-" and a name"#)
        ),
        ("DocumentRef-:LicenseRef-x", .invalidReference("DocumentRef-:LicenseRef-x", column: 1, reason: "DocumentRef- \(nameRule)")),
        ("DocumentRef-d:MIT", .invalidReference("DocumentRef-d:MIT", column: 1, reason: #"expected LicenseRef- after "DocumentRef-d:""#)),
        ("MIT WITH additionref-x", .invalidReference("additionref-x", column: 10, reason: "the prefix must be written AdditionRef-")),
        // Operators.
        ("MIT AND", .missingLicense(after: "AND", column: 8)),
        ("MIT or", .missingLicense(after: "or", column: 7)),
        ("MIT AND OR Apache-2.0", .missingLicense(after: "AND", column: 9)),
        ("MIT OR (", .missingLicense(after: "(", column: 9)),
        ("()", .missingLicense(after: "(", column: 2)),
        ("MIT AND ()", .missingLicense(after: "(", column: 10)),
        ("AND MIT", .leadingOperator("AND", column: 1)),
        ("with MIT", .leadingOperator("with", column: 1)),
        ("MIT WITH", .missingException(after: "WITH", column: 9)),
        ("MIT WITH AND Apache-2.0", .missingException(after: "WITH", column: 10)),
        ("MIT WITH (Classpath-exception-2.0)", .missingException(after: "WITH", column: 10)),
        ("MIT And Apache-2.0", .operatorCase("And", column: 5)),
        ("MIT OR Apache-2.0 wITH LLVM-exception", .operatorCase("wITH", column: 19)),
        ("MIT Apache-2.0", .missingOperator(after: "MIT", found: "Apache-2.0", column: 5)),
        ("MIT (Apache-2.0)", .missingOperator(after: "MIT", found: "(", column: 5)),
        ("Apache-2.0 +", .missingOperator(after: "Apache-2.0", found: "+", column: 12)),
        ("(MIT OR 0BSD) Apache-2.0", .missingOperator(after: ")", found: "Apache-2.0", column: 15)),
        (
            "MIT WITH Classpath-exception-2.0 WITH LLVM-exception",
            .missingOperator(after: "Classpath-exception-2.0", found: "WITH", column: 34)
        ),
        ("(MIT OR Apache-2.0) WITH Classpath-exception-2.0", .withAfterParenthesis(column: 21)),
        // Parentheses.
        ("(MIT", .unbalancedParenthesis(column: 1)),
        ("MIT)", .unbalancedParenthesis(column: 4)),
        (")MIT", .unbalancedParenthesis(column: 1)),
        ("((MIT)", .unbalancedParenthesis(column: 1)),
        ("(MIT OR (Apache-2.0)", .unbalancedParenthesis(column: 1)),
        ("MIT OR Apache-2.0)", .unbalancedParenthesis(column: 18)),
        ("(MIT OR Apache-2.0))", .unbalancedParenthesis(column: 20)),
    ])
    func invalidExpressionsAreRefusedWithTheFirstProblem(_ text: String, _ expected: SPDXExpressionError) {
        #expect(throws: expected) { try SPDXExpression(parsing: text) }
    }

    @Test(arguments: [
        ("Apache2", #"unknown SPDX license "Apache2"; did you mean "Apache-2.0"?"#),
        (
            "Frobnicate-1.0",
            #"unknown SPDX license "Frobnicate-1.0"; "#
                + "for a license not on the SPDX License List \(SPDXExpression.licenseListVersion), write LicenseRef-Frobnicate-1.0"
        ),
        ("MIT/Apache-2.0", #"unknown SPDX license "MIT/Apache-2.0""#),
        ("GPL-2.0-only WITH Classpath-exception", #"unknown SPDX exception "Classpath-exception"; did you mean "Classpath-exception-2.0"?"#),
        (
            "GPL-2.0-only WITH Foo",
            #"unknown SPDX exception "Foo"; "#
                + "for an exception not on the SPDX License List \(SPDXExpression.licenseListVersion), write AdditionRef-Foo"
        ),
        ("MIT AND", #"expected a license after "AND" at column 8"#),
        ("MIT WITH", #"expected an exception after "WITH" at column 9"#),
        ("AND MIT", #"expected a license before "AND" at column 1"#),
        ("MIT Apache-2.0", #"expected AND or OR between "MIT" and "Apache-2.0" at column 5"#),
        ("(MIT", "unbalanced parenthesis at column 1"),
        ("NONE", "NONE is not accepted: name the license, with a LicenseRef- id if it is not on the SPDX License List"),
        ("Classpath-exception-2.0", #""Classpath-exception-2.0" is an exception, not a license; write it after a license and WITH"#),
        ("MIT WITH MIT", #""MIT" is a license, not an exception; only an SPDX exception or an AdditionRef- may follow WITH"#),
        ("MIT And X", #"operator "And" at column 5 must be all upper case or all lower case"#),
        ("(MIT OR 0BSD) WITH Y", "WITH at column 15 must follow a single license, not a parenthesized expression"),
        ("", "the license expression is empty"),
        (String(repeating: "x", count: 300), "the license expression is longer than 256 characters"),
        ("LicenseRef-", #"invalid reference "LicenseRef-" at column 1: LicenseRef- "# + nameRule),
    ])
    func errorsReadAsOneSentence(_ text: String, _ sentence: String) {
        do {
            let expression = try SPDXExpression(parsing: text)
            Issue.record("parsed \(text) as \(expression)")
        } catch {
            #expect(error.description == sentence)
            #expect(!error.description.contains("\n"))
        }
    }

    @Test func editDistanceCountsInsertionsDeletionsSubstitutionsAndSwaps() {
        func distance(_ a: String, _ b: String) -> Int { SPDXExpression.editDistance(Array(a.utf8), Array(b.utf8)) }
        #expect(distance("", "") == 0)
        #expect(distance("", "mit") == 3)
        #expect(distance("mit", "mit") == 0)
        #expect(distance("mti", "mit") == 1)
        #expect(distance("apache2", "apache20") == 1)
        #expect(distance("kitten", "sitting") == 3)
        #expect(distance("ca", "abc") == 3)
    }

    // MARK: Helpers

    func makeExpression(_ text: String) throws -> SPDXExpression { try SPDXExpression(parsing: text) }

    /// The tree fully bracketed: `[a AND b]`, `[a OR b]`, `{license WITH exception}`, and `(…)` for the parentheses kept.
    static func structure(of node: SPDXExpression.Node) -> String {
        switch node {
        case .license(let license): text(of: license)
        case .with(let license, let addition): "{\(text(of: license)) WITH \(text(of: addition))}"
        case .and(let operands): "[" + operands.map(structure(of:)).joined(separator: " AND ") + "]"
        case .or(let operands): "[" + operands.map(structure(of:)).joined(separator: " OR ") + "]"
        case .group(let inner): "(\(structure(of: inner)))"
        }
    }

    static func text(of license: SPDXExpression.License) -> String {
        switch license {
        case .listed(let id, let orLater): orLater ? id + "+" : id
        case .reference(let document, let name): (document.map { "DocumentRef-\($0):" } ?? "") + "LicenseRef-" + name
        }
    }

    static func text(of addition: SPDXExpression.Addition) -> String {
        switch addition {
        case .listed(let id): id
        case .reference(let document, let name): (document.map { "DocumentRef-\($0):" } ?? "") + "AdditionRef-" + name
        }
    }
}
