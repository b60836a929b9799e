import ArgumentParser
import MaxhubClient
import MaxhubCore

extension MaxhubCommand.ReviewCommand {
    struct Approve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Approve a pending version, confirming its declared licenses or correcting them.")

        @OptionGroup var hub: HubOptions

        @Argument(help: "NAME@VERSION", transform: PackageReference.init(parsingExact:))
        var reference: PackageReference

        @Option(name: .customLong("code-license"), help: "The SPDX license of the code, if not as declared.")
        var codeLicense: String?

        @Option(name: .customLong("weights-license"), help: "The SPDX license of the weights, if not as declared.")
        var weightsLicense: String?

        @Option(name: .customLong("data-license"), help: "The SPDX license of the training data, if not as declared.")
        var dataLicense: String?

        @Option(help: "A note for the record.")
        var note: String?

        func run() async throws {
            let verdict = LicenseVerdict(code: codeLicense, weights: weightsLicense, data: dataLicense)
            let request = ReviewRequest(decision: .approve, license: verdict == LicenseVerdict() ? nil : verdict, note: note)
            let detail = try await hub.client().review(try reference.exactVersion(), of: reference.name, request)
            let license = detail.license
            Terminal.standardOutput.writeLine(
                "approved \(detail.name)@\(detail.version): code \(license.code), weights \(license.weights), data \(license.data)")
        }
    }
}
