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
            let offline = ["1", "true", "yes"].contains(ProcessInfo.processInfo.environment["MAXHUB_OFFLINE"]?.lowercased() ?? "")
            let puller = PackagePuller(client: try hub.client(), cache: try cacheOptions.packageCache(), offline: offline, acceptNewDigest: trustNew)
            let progress = TransferProgress(label: "pulling \(name)", total: 0)
            let result: PackagePuller.Result
            do {
                result = try await puller.pull(name, range: range, includePrerelease: pre) { done, total in
                    progress.update(done, total: total)
                }
                progress.finish()
            } catch let error as PullError {
                progress.finish()
                throw CLIFailure(error.description, code: error.isVerificationFailure ? .verificationFailed : .notFound)
            } catch let error as HubClientError {
                progress.finish()
                throw CLIFailure(error)
            }
            if json { return try JSONOutput.write(result) }
            Terminal.standardOutput.writeLine("\(result.name)@\(result.version)")
            Terminal.standardOutput.writeLine(result.path)
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
        static let configuration = CommandConfiguration(abstract: "Re-hash a cached package's files against its manifest (exit 4 on any difference).")

        @OptionGroup var cacheOptions: CacheOptions

        @Argument(help: "NAME@VERSION")
        var reference: VersionReference

        func run() async throws {
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
