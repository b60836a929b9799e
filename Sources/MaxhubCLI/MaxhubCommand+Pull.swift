import ArgumentParser
import MaxhubClient
import MaxhubCore

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
            let reference = try PackageReference(parsing: reference)
            let puller = try cacheOptions.puller(hub: hub, acceptNewDigest: trustNew)
            let progress = TransferProgress(label: "pulling \(reference.name)", total: 0)
            let result: PackagePuller.Result
            do {
                defer { progress.finish() }
                result = try await puller.pull(reference, includePrerelease: pre) { progress.update($0, total: $1) }
            }
            if json { return try JSONOutput.write(result) }
            Terminal.standardOutput.writeLine("\(result.name)@\(result.version)")
            Terminal.standardOutput.writeLine(result.path)
        }
    }
}
