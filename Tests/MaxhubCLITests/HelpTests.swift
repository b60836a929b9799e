import Foundation
import MaxhubTestSupport
import Testing

/// Every command's help reads as prose: its overview and discussion carry no runs of spaces left by joined lines.
@Suite(.onTestThreads) struct HelpTests {
    static let commands: [[String]] = [
        ["init"], ["validate"], ["pack"], ["inspect"], ["resolve"], ["digest"], ["serve"], ["login"], ["publish"], ["pull"],
        ["search"], ["info"], ["verify"], ["run"], ["ps"], ["stop"], ["ls"], ["rm"], ["token", "create"], ["token", "list"],
        ["token", "revoke"], ["review", "list"], ["review", "show"], ["review", "approve"], ["review", "reject"], ["yank"],
        ["audit"],
    ]

    @Test(arguments: commands)
    func helpIsProse(_ command: [String]) throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        let help = try cli.run(command + ["--help"])
        #expect(help.status == 0, "\(command)")
        let prose = help.stdout.components(separatedBy: "USAGE:")[0]
        #expect(prose.hasPrefix("OVERVIEW: "), "\(command): \(help.stdout)")
        let words = prose.replacingOccurrences(of: "\n", with: " ")
        #expect(!words.contains("   "), "\(command) --help: \(prose)")
    }

    @Test func verifyHelpSaysWhenItPulls() throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        let prose = try cli.run("verify", "--help").stdout.components(separatedBy: "USAGE:")[0].replacingOccurrences(of: "\n", with: " ")
        #expect(prose.contains("pulls the package when needed, starts its server as maxhub run does"), "\(prose)")
    }
}
