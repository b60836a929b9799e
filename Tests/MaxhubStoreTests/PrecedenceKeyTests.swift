import Foundation
import MaxhubCore
import MaxhubTestSupport
import Testing
@testable import MaxhubStore

/// `PrecedenceKey`: the byte order of the keys must be `Version`'s precedence, exactly.
@Suite(.onTestThreads) struct PrecedenceKeyTests {
    @Test func theSpecExampleIsInOrder() throws {
        let ordered = try [
            "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0",
        ].map { PrecedenceKey(try Version(parsing: $0)) }
        for (lower, higher) in zip(ordered, ordered.dropFirst()) {
            #expect(lower < higher, "\(lower) < \(higher)")
        }
    }

    @Test func theKeyIsReadable() throws {
        let key = PrecedenceKey(try Version(parsing: "1.0.0-alpha.1+build"))
        #expect(key.text == "00000000000000000001.00000000000000000000.00000000000000000000-,$alpha,#0011!")
        #expect(PrecedenceKey(try Version(parsing: "12.3.4")).text == "00000000000000000012.00000000000000000003.00000000000000000004~")
    }

    @Test func buildMetadataPlaysNoPart() throws {
        #expect(PrecedenceKey(try Version(parsing: "1.0.0-rc.1+a")) == PrecedenceKey(try Version(parsing: "1.0.0-rc.1+b.2")))
        #expect(PrecedenceKey(try Version(parsing: "1.0.0+a")) == PrecedenceKey(try Version(parsing: "1.0.0")))
    }

    @Test func keyOrderIsPrecedenceOverEveryPair() throws {
        let versions = try Self.corpus()
        #expect(versions.count > 300)
        for a in versions {
            let keyA = PrecedenceKey(a)
            for b in versions {
                let keyB = PrecedenceKey(b)
                if (keyA < keyB) != (a < b) || (keyA == keyB) != (a == b) {
                    Issue.record("\(a) vs \(b): keys \(keyA) and \(keyB) disagree with precedence")
                    return
                }
            }
        }
    }

    @Test func keyOrderMatchesNodeSemverRanks() throws {
        // Tests/MaxhubCoreTests/Fixtures/semver/versions.json: node-semver's ranking of a corpus of versions.
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("MaxhubCoreTests/Fixtures/semver/versions.json")
        struct Corpus: Decodable {
            struct Entry: Decodable {
                let version: String
                let rank: Int
            }
            let valid: [Entry]
        }
        let corpus = try JSONDecoder().decode(Corpus.self, from: Data(contentsOf: url))
        #expect(corpus.valid.count > 50)
        let keyed = try corpus.valid.map { (key: PrecedenceKey(try Version(parsing: $0.version)), rank: $0.rank, text: $0.version) }
        for a in keyed {
            for b in keyed {
                #expect((a.key < b.key) == (a.rank < b.rank), "\(a.text) vs \(b.text)")
                #expect((a.key == b.key) == (a.rank == b.rank), "\(a.text) vs \(b.text)")
            }
        }
    }

    /// Hand-picked edge cases and a seeded random sample built from few enough parts that many pairs share prefixes.
    static func corpus() throws -> [Version] {
        var texts = [
            "0.0.0", "0.0.0-0", "0.0.1", "0.1.0", "1.0.0", "1.0.1", "1.1.0", "2.0.0", "10.0.0", "1.10.0", "1.2.10", "1.2.9",
            "9007199254740991.9007199254740991.9007199254740991", "9007199254740990.0.0",
            "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1",
            "1.0.0-0", "1.0.0-1", "1.0.0-9", "1.0.0-10", "1.0.0-99", "1.0.0-100", "1.0.0-999999999999999999999999999999",
            "1.0.0-1000000000000000000000000000000", "1.0.0-a", "1.0.0-A", "1.0.0-Z", "1.0.0-z", "1.0.0--", "1.0.0---", "1.0.0-0a",
            "1.0.0-a-", "1.0.0-a-b", "1.0.0-a.b", "1.0.0-a.-", "1.0.0-a.0", "1.0.0-a.0.0", "1.0.0-a.1", "1.0.0-ab", "1.0.0-a0",
            "1.0.0-1a", "1.0.0-1-", "1.0.0-alpha-1", "1.0.0-alpha.-1", "1.0.0-alpha.1.a", "1.0.0-alpha.a", "1.0.0-x.7.z.92",
            "1.0.0-rc.1+build.1", "1.0.0+20130313144700", "1.0.0-beta+exp.sha.5114f85", "1.0.0-0.3.7",
        ]
        var random = SeededRandom(seed: 2026)
        let numbers = ["0", "1", "2", "9", "10", "11", "100", "123456789012345678901234567890"]
        let words = ["a", "b", "aa", "ab", "alpha", "beta", "rc", "-", "a-", "-a", "Z", "z9", "0a", "x-y"]
        for _ in 0..<300 {
            var text = "\(random.pick(["0", "1", "2"])).\(random.pick(["0", "1", "10"])).\(random.pick(["0", "3"]))"
            let count = random.next(upTo: 5)
            if count > 0 {
                text += "-" + (0..<count).map { _ in random.next(upTo: 2) == 0 ? random.pick(numbers) : random.pick(words) }
                    .joined(separator: ".")
            }
            if random.next(upTo: 4) == 0 { text += "+b\(random.next(upTo: 3))" }
            texts.append(text)
        }
        return try texts.map { try Version(parsing: $0) }
    }
}

/// A small deterministic generator (SplitMix64), so that failures reproduce.
struct SeededRandom {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func next(upTo bound: Int) -> Int { Int(next() % UInt64(bound)) }

    mutating func pick<T>(_ items: [T]) -> T { items[next(upTo: items.count)] }
}
