import Foundation
import MaxhubTestSupport
import Testing
@testable import MaxhubStore

/// `FullTextQuery`: user text becomes ANDed quoted prefix terms and nothing else.
@Suite(.onTestThreads) struct FullTextQueryTests {
    @Test(arguments: [
        ("digits", "\"digits\"*"),
        ("Digit classifier", "\"Digit\"* AND \"classifier\"*"),
        ("image-classification", "\"image\"* AND \"classification\"*"),
        ("\"AND\" OR (NEAR*)", "\"AND\"* AND \"OR\"* AND \"NEAR\"*"),
        ("name:bert^", "\"name\"* AND \"bert\"*"),
        ("café 8x8", "\"café\"* AND \"8x8\"*"),
    ])
    func wordsBecomeQuotedPrefixTerms(_ text: String, _ expected: String) {
        #expect(FullTextQuery.expression(for: text) == expected)
    }

    @Test(arguments: [nil, "", "   ", "\"", "*", "(", ")", "-", "\"\"*", "💥"] as [String?])
    func textWithoutWordsIsNoFilter(_ text: String?) {
        #expect(FullTextQuery.expression(for: text) == nil)
    }

    @Test func manyWordsAreCapped() {
        let expression = FullTextQuery.expression(for: (0..<100).map { "w\($0)" }.joined(separator: " "))
        #expect(expression?.components(separatedBy: " AND ").count == FullTextQuery.maximumWords)
    }
}
