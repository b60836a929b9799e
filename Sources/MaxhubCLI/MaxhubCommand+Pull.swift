import ArgumentParser
import Foundation
import MaxhubClient
import MaxhubCore

/// Where the package cache is: `--cache`, then `MAXHUB_CACHE`, then config.yaml's `cache`, then `~/.cache/maxhub`.
struct CacheOptions: ParsableArguments {
    @Option(name: .customLong("cache"), help: "The package cache (default: $MAXHUB_CACHE, then config.yaml, else ~/.cache/maxhub).")
    var cache: String?

    func packageCache() throws -> PackageCache {
        if let cache { return PackageCache(root: cache) }
        if Environment.value("MAXHUB_CACHE") == nil, let configured = try Environment.configuration().cache {
            return PackageCache(root: configured)
        }
        return PackageCache(root: PackageCache.defaultRoot())
    }
}

extension MaxhubCommand {
    struct Pull: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Download, verify and unpack a package into the cache; prints its folder as the last line.",
            discussion: """
                The archive is hashed while it downloads (an interrupted download resumes), checked against the hub's \
                digest, extracted safely into a temporary folder, and every file is checked against the manifest before \
                the folder is renamed into the cache. The digest first seen for a version is remembered; a different one \
                later is refused (exit 4) unless --trust-new. MAXHUB_OFFLINE=1 resolves from the cache alone.
                """
        )

        @OptionGroup var hub: HubOptions
        @OptionGroup var cacheOptions: CacheOptions

        @Argument(help: "NAME or NAME@RANGE (npm ranges: ^1.2, ~1.2.3, >=1 <2, 1.x, an exact version).")
        var reference: String

        @Flag(help: "Let the range pick prereleases.")
        var pre = false

        @Flag(name: .customLong("trust-new"), help: "Accept a digest other than the one first seen for this version.")
        var trustNew = false

        @Flag(help: "Print the result as JSON.")
        var json = false

        func run() async throws {
            let (name, range) = try Self.parse(reference)
            let result = try await Self.pull(name, range, pre: pre, trustNew: trustNew, hub: hub, cache: try cacheOptions.packageCache())
            if json { return try JSONOutput.write(result) }
            Terminal.standardOutput.writeLine("\(result.name)@\(result.version)")
            Terminal.standardOutput.writeLine(result.path)
        }

        /// Pulls with a progress bar on a terminal (`MAXHUB_OFFLINE=1`: from the cache alone), turning failures into the
        /// CLI's exit codes: 4 for a failed check, 3 for nothing to pull, the hub's refusals as theirs.
        static func pull(
            _ name: ModelName, _ range: VersionRange, pre: Bool, trustNew: Bool = false, hub: HubOptions, cache: PackageCache
        ) async throws -> PackagePuller.Result {
            let offline = ["1", "true", "yes"].contains(Environment.value("MAXHUB_OFFLINE")?.lowercased() ?? "")
            let puller = PackagePuller(client: try hub.client(), cache: cache, offline: offline, acceptNewDigest: trustNew)
            let progress = TransferProgress(label: "pulling \(name)", total: 0)
            defer { progress.finish() }
            do {
                return try await puller.pull(name, range: range, includePrerelease: pre) { done, total in
                    progress.update(done, total: total)
                }
            } catch let error as PullError {
                throw CLIFailure(error.description, code: error.isVerificationFailure ? .verificationFailed : .notFound)
            } catch let error as HubClientError {
                throw CLIFailure(error)
            }
        }

        /// `NAME` or `NAME@RANGE`.
        static func parse(_ text: String) throws -> (ModelName, VersionRange) {
            let parts = text.split(separator: "@", maxSplits: 1, omittingEmptySubsequences: false)
            let name: ModelName
            do {
                name = try ModelName(parsing: String(parts[0]))
            } catch {
                throw CLIFailure(error.description, code: .usage)
            }
            do {
                return (name, try VersionRange(parsing: parts.count > 1 ? String(parts[1]) : ""))
            } catch {
                throw CLIFailure(error.description, code: .usage)
            }
        }
    }

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Re-hash a cached package's files against its manifest, or check its claims (exit 4 on any difference).",
            discussion: """
                verify NAME@VERSION re-hashes the cached package. verify --claims NAME[@RANGE] pulls the package when                 needed, starts its server as maxhub run does (on a free port unless --port), sends each claim's                 evaluation set through the model's standard API, computes the metric and compares it with the claim:                 it holds when the measurement is no worse than claimed minus the tolerance (--tolerance, in percentage                 points, else the claim's own tolerance, else 0.5). The evaluation set is a CSV file with a label column,                 and an image column (file paths in the package) for a MAX image model or feature columns for an                 oip-v2 model.
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
            guard let reference = VersionReference(argument: reference) else {
                throw CLIFailure("expected NAME@VERSION, got \"\(reference)\"", code: .usage)
            }
            let problems: [String]
            do {
                problems = try cacheOptions.packageCache().verifyPackage(reference.name, reference.version)
            } catch let error as PullError {
                throw CLIFailure(error.description, code: .notFound)
            }
            guard problems.isEmpty else {
                throw CLIFailure("\(reference) differs from its manifest: " + problems.joined(separator: "; "), code: .verificationFailed)
            }
            Terminal.standardOutput.writeLine("\(reference): every file matches its manifest")
        }

        private func verifyClaims() async throws {
            let model = try await ModelLaunch.prepare(
                reference, hub: hub, cacheOptions: cacheOptions, options: launch, detached: false, defaultPort: 0, checkPort: true)
            let reference = model.manifest.reference
            // A package extracted just now was checked file by file; one that was already cached is checked again here.
            let problems = model.justExtracted ? [] : (try? model.cache.verifyPackage(model.manifest.name, model.manifest.version)) ?? []
            guard problems.isEmpty else {
                throw CLIFailure("\(reference) differs from its manifest: " + problems.joined(separator: "; "), code: .verificationFailed)
            }
            guard let claimList = model.manifest.claims, !claimList.isEmpty else {
                throw CLIFailure("\(reference) makes no claims to check", code: .notFound)
            }
            let (server, registry) = try await ModelLaunch.start(model, detached: false, timeout: launch.timeout)
            let verifier = ClaimVerifier(
                manifest: model.manifest, packagePath: model.packagePath, serverURL: model.plan.url, tolerance: tolerance.map { $0 / 100 })
            let outcomes = await verifier.verify()
            await server.stop()
            registry.remove(model.runID)

            if json {
                try JSONOutput.write(outcomes)
            } else {
                Terminal.standardOutput.writeLine("\(reference): \(outcomes.count) claim\(outcomes.count == 1 ? "" : "s")")
                for outcome in outcomes {
                    let measured = outcome.measured.map { String(format: "%.4f", $0) } ?? "-"
                    let verdict = outcome.holds ? "holds" : "does not hold" + (outcome.problem.map { ": \($0)" } ?? "")
                    Terminal.standardOutput.writeLine(
                        "  \(outcome.metric) on \(outcome.dataset) (\(outcome.examples) examples): claimed \(String(format: "%.4f", outcome.claimed)), "
                            + "measured \(measured), tolerance \(String(format: "%.4f", outcome.tolerance))  \(verdict)")
                }
            }
            let failed = outcomes.filter { !$0.holds }
            guard failed.isEmpty else {
                let summary = failed.map { outcome in
                    outcome.problem.map { "\(outcome.metric): \($0)" }
                        ?? "\(outcome.metric) claimed \(outcome.claimed), measured \(String(format: "%.4f", outcome.measured ?? .nan))"
                }
                throw CLIFailure(
                    "\(failed.count) of \(outcomes.count) claims of \(reference) do not hold: " + summary.joined(separator: "; "),
                    code: .verificationFailed)
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "ls", abstract: "List the packages in the cache.")

        @OptionGroup var cacheOptions: CacheOptions

        @Flag(help: "Print the list as JSON.")
        var json = false

        struct Entry: Encodable {
            var name: String
            var version: String
            var path: String
        }

        func run() async throws {
            let entries = try cacheOptions.packageCache().cachedPackages().map {
                Entry(name: $0.name.description, version: $0.version.description, path: $0.path)
            }
            if json { return try JSONOutput.write(entries) }
            for entry in entries { Terminal.standardOutput.writeLine("\(entry.name)@\(entry.version)  \(entry.path)") }
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "rm", abstract: "Remove a package from the cache.")

        @OptionGroup var cacheOptions: CacheOptions

        @Argument(help: "NAME@VERSION")
        var reference: VersionReference

        func run() async throws {
            let path = try cacheOptions.packageCache().packagePath(reference.name, reference.version)
            guard FileManager.default.fileExists(atPath: path) else {
                throw CLIFailure("\(reference) is not in the cache", code: .notFound)
            }
            try FileManager.default.removeItem(atPath: path)
            Terminal.standardOutput.writeLine("removed \(reference)")
        }
    }
}
