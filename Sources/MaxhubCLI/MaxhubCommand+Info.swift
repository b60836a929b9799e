import ArgumentParser
import MaxhubClient
import MaxhubCore

extension MaxhubCommand {
    struct Info: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a model and its versions, or the version a range picks.")

        @OptionGroup var hub: HubOptions
        @OptionGroup var cacheOptions: CacheOptions

        @Argument(help: "NAME, or NAME@RANGE for one version.")
        var reference: String

        @Flag(help: "Let the range pick prereleases.")
        var pre = false

        @Flag(help: "Print the model or version as JSON.")
        var json = false

        func run() async throws {
            let reference = try PackageReference(parsing: reference)
            let client = try hub.client()
            if reference.range != nil || reference.version != nil {
                let resolution = try await client.resolve(reference.name, range: reference.rangeText, includePrerelease: pre)
                let detail = try await client.version(resolution.version, of: reference.name)
                if json { return try JSONOutput.write(detail) }
                let license = detail.license
                var lines = [
                    "\(detail.name)@\(detail.version)  \(detail.state)",
                    "licenses:  code \(license.code), weights \(license.weights), data \(license.data)",
                    "archive:   \(detail.archive.digest) (\(ByteCount.format(detail.archive.size)))",
                    "published: by \(detail.publishedBy) at \(HubJSON.format(detail.publishedAt))",
                ]
                if let review = detail.review {
                    let verdict = review.decision == .approve ? "approved" : "rejected"
                    lines.append("reviewed:  \(verdict) by \(review.reviewer) at \(HubJSON.format(review.reviewedAt))")
                }
                let checker = SignatureChecker(
                    client: client, cache: try cacheOptions.packageCache(), trust: HubKeyTrust(configured: try hub.configuredHubKeys()))
                switch try await checker.status(of: detail) {
                case .verified(let key, let reviewer):
                    lines.append("signature: signed by the hub, key \(key.shortFingerprint) (sha256 \(key.fingerprint)); verifies, review by \(reviewer)")
                case .unsigned:
                    lines.append("signature: none (only approvals are signed)")
                case .refused(let reason):
                    lines.append("signature: does not verify: \(reason)")
                }
                if let manifest = try? detail.manifest.decode(Manifest.self) {
                    lines.insert("task:      \(manifest.task)", at: 1)
                    lines.insert("about:     \(manifest.description)", at: 2)
                    lines.append("serving:   \(manifest.serving.api) on port \(manifest.serving.port)")
                }
                return lines.forEach(Terminal.standardOutput.writeLine)
            }
            let model = try await client.model(reference.name)
            if json { return try JSONOutput.write(model) }
            let summary = model.summary
            Terminal.standardOutput.writeLine("\(summary.name)  latest \(summary.latestVersion)  \(summary.task)")
            Terminal.standardOutput.writeLine(summary.description)
            Terminal.standardOutput.writeLine(
                "licenses: code \(summary.license.code), weights \(summary.license.weights), data \(summary.license.data)")
            for version in model.versions {
                Terminal.standardOutput.writeLine(
                    "  \(version.version)  \(version.state)  \(ByteCount.format(version.archive.size))  \(HubJSON.format(version.publishedAt))")
            }
        }
    }
}
