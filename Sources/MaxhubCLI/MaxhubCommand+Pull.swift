import ArgumentParser
import MaxhubClient
import MaxhubCore

extension MaxhubCommand {
    struct Pull: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Download, verify and unpack a package into the cache; prints its folder as the last line.",
            discussion: """
                The hub's signature of the version is fetched first and checked against its pinned key (pinned on \
                first contact, or given by --hub-key / hub_key:). The archive is hashed while it downloads (an \
                interrupted download resumes), checked against the hub's digest, extracted safely into a temporary \
                folder, and every file is checked against the manifest and the signature before the folder is renamed \
                into the cache, with the signature beside it (NAME/VERSION.sig). A missing or bad signature, or a key \
                that is not pinned, is exit 4 with nothing renamed; --trust-new-key pins a key the hub lists. The digest first seen for a version is remembered; a different one \
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

        @Flag(name: .customLong("trust-new-key"), help: "Accept, and pin, a signing key the hub lists that is not pinned (after a rotation).")
        var trustNewKey = false

        @Flag(help: "Print the result as JSON.")
        var json = false

        func run() async throws {
            let reference = try PackageReference(parsing: reference)
            let puller = try cacheOptions.puller(hub: hub, acceptNewDigest: trustNew, acceptNewKey: trustNewKey)
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
