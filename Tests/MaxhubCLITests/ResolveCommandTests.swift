import Foundation
import MaxhubTestSupport
import Testing

@Suite(.onTestThreads) struct ResolveCommandTests {
    @Test func printsTheHighestSatisfyingVersion() throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        let result = try cli.run("resolve", "^1.2", "--versions", "1.1.0,1.2.5,1.9.0,1.10.0-beta.1,2.0.0")
        #expect(result.status == 0)
        #expect(result.stdout == "1.9.0\n")
    }

    @Test func prereleasesNeedAComparatorOnTheSameTupleOrPre() throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        #expect(try cli.run("resolve", ">=1.2.0", "--versions", "1.2.0,1.3.0-beta.1").stdout == "1.2.0\n")
        #expect(try cli.run("resolve", ">=1.2.0", "--versions", "1.2.0,1.3.0-beta.1", "--pre").stdout == "1.3.0-beta.1\n")
        #expect(try cli.run("resolve", ">=1.3.0-alpha", "--versions", "1.2.0,1.3.0-beta.1").stdout == "1.3.0-beta.1\n")
    }

    @Test func noMatchExitsThreeWithOneLine() throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        let result = try cli.run("resolve", ">=3", "--versions", "1.0.0,2.0.0,not-a-version")
        #expect(result.status == 3)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.split(separator: "\n").count == 1)
        #expect(result.stderr.contains("no version satisfies"))
    }

    @Test func malformedRangeExitsTwoWithThePosition() throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        let result = try cli.run("resolve", ">=1.2 <<2", "--versions", "1.2.0")
        #expect(result.status == 2)
        #expect(result.stderr.contains("column"))
    }

    @Test func emptyRangeMeansAnyVersion() throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        #expect(try cli.run("resolve", "", "--versions", "0.1.0,3.0.0,2.0.0").stdout == "3.0.0\n")
    }

    @Test func jsonOutput() throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        let result = try cli.run("resolve", "~1.2", "--versions", "1.2.0,1.2.9,1.3.0", "--json")
        #expect(result.status == 0)
        let decoded = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        #expect(decoded?["resolved"] as? String == "1.2.9")
    }

    @Test func missingVersionsIsAUsageError() throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        #expect(try cli.run("resolve", "^1").status == 2)
    }
}
