import ArgumentParser
import Foundation
import MaxhubClient
import MaxhubCore

extension MaxhubCommand {
    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Re-hash a cached package's files against its manifest and signature, or check its claims (exit 4 on any difference).",
            discussion: """
                verify NAME@VERSION re-hashes the cached package against its manifest and the hub's signature beside it \
                (checked with the configured or pinned hub key). verify --claims NAME[@RANGE] pulls the package when \
                needed, starts its server as maxhub run does (on a free port unless --port), sends each claim's \
                evaluation set through the model's standard API, computes the metric and compares it with the claim: \
                it holds when the measurement is no worse than claimed minus the tolerance (--tolerance, in percentage \
                points, else the claim's own tolerance, else 0.5). The evaluation set is a CSV file with a label column, \
                and an image column (file paths in the package) for a MAX image model or feature columns for an \
                oip-v2 model.
                """
        )

        @OptionGroup var hub: HubOptions
        @OptionGroup var cacheOptions: CacheOptions
        @OptionGroup var launch: LaunchOptions

        @Flag(help: "Run the model on its evaluation sets and check its claims.")
        var claims = false

        @Option(help: "The tolerance in percentage points for every claim (default: each claim's own, else 0.5).")
        var tolerance: Double?

        @Flag(help: "Print the claims' outcomes as JSON.")
        var json = false

        @Argument(help: "NAME@VERSION (files), or NAME[@RANGE] with --claims.")
        var reference: String

        func run() async throws {
            if claims { return try await verifyClaims() }
            let reference = try PackageReference(parsingExact: reference)
            let cache = try cacheOptions.packageCache()
            let version = try reference.exactVersion()
            var problems = try cache.verifyPackage(reference.name, version)
            // The configured key, else those pinned for this hub, else any pinned key (the cache may hold several hubs').
            let pinned = cache.pinnedHubKeys(for: try hub.resolvedURL())
            let keys = try hub.configuredHubKeys() ?? (pinned.isEmpty ? cache.allPinnedHubKeys() : pinned)
            problems += try cache.verifySignature(reference.name, version, trusting: keys)
            guard problems.isEmpty else {
                throw CLIFailure(
                    "\(reference) differs from its manifest or its signature: " + problems.joined(separator: "; "), code: .verificationFailed)
            }
            Terminal.standardOutput.writeLine("\(reference): every file matches its manifest and the hub's signature")
        }

        private func verifyClaims() async throws {
            let check = ClaimCheck(launcher: try launch.launcher(hub: hub, cache: cacheOptions), tolerance: tolerance.map { $0 / 100 })
            let report = try await check.run(try PackageReference(parsing: reference), launch.options(), timeout: .seconds(launch.timeout))
            if json {
                try JSONOutput.write(report.outcomes)
            } else {
                let count = report.outcomes.count
                let server = report.runningServer.map { ", checked against the server already running at \($0)" } ?? ""
                Terminal.standardOutput.writeLine("\(report.reference): \(count) claim\(count == 1 ? "" : "s")\(server)")
                for outcome in report.outcomes {
                    let measured = outcome.measured.map { String(format: "%.4f", $0) } ?? "-"
                    let verdict = outcome.holds ? "holds" : "does not hold" + (outcome.problem.map { ": \($0)" } ?? "")
                    let claimed = String(format: "%.4f", outcome.claimed)
                    Terminal.standardOutput.writeLine(
                        "  \(outcome.metric) on \(outcome.dataset) (\(outcome.examples) examples): claimed \(claimed), "
                            + "measured \(measured), tolerance \(String(format: "%.4f", outcome.tolerance))  \(verdict)")
                }
            }
            if let failure = report.failure { throw failure }
        }
    }
}
