import ArgumentParser
import Foundation
import MaxhubArchive
import MaxhubCore

extension MaxhubCommand {
    /// `maxhub validate DIR`: the manifest against the schema, and every listed file against its size and digest.
    struct Validate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check a package folder: the manifest, and every listed file's size and digest.",
            discussion: """
                Lists every problem with its path (inputs[0].shape: expected array, got string). Exits 1 when
                the manifest is invalid, 4 when a file does not match files:, 0 when all is well.
                """
        )

        @Argument(help: "The package folder.")
        var directory = "."

        @Flag(help: "Print the result as JSON.")
        var json = false

        struct Report: Encodable {
            var valid: Bool
            var name: String?
            var version: String?
            var files: Int?
            var problems: [String]
        }

        func run() async throws {
            let folder = URL(fileURLWithPath: directory)
            let manifest: Manifest
            do {
                manifest = try Manifest(contentsOfPackage: folder)
            } catch {
                if json {
                    try JSONOutput.write(Report(valid: false, problems: error.problems.map(\.description)))
                    throw ExitCode(CLIFailure.Code.failure.rawValue)
                }
                throw CLIFailure("\(folder.appendingPathComponent(Manifest.fileName).path): \(error.description)")
            }
            let mismatches: [PackageVerifier.Mismatch]
            if manifest.files == nil {
                mismatches = []
            } else {
                do {
                    mismatches = try PackageVerifier.verify(folder: folder, against: manifest)
                } catch {
                    throw CLIFailure(error.description)
                }
            }
            let problems = mismatches.map(\.description)
            if json {
                try JSONOutput.write(Report(
                    valid: problems.isEmpty, name: manifest.name.description, version: manifest.version.description,
                    files: manifest.files?.count, problems: problems
                ))
                if !problems.isEmpty { throw ExitCode(CLIFailure.Code.verificationFailed.rawValue) }
                return
            }
            guard problems.isEmpty else {
                let lines = problems.map { "  \($0)" }.joined(separator: "\n")
                throw CLIFailure(
                    "\(manifest.reference): \(problems.count) file\(problems.count == 1 ? "" : "s") do not match files:\n\(lines)",
                    code: .verificationFailed
                )
            }
            if let files = manifest.files {
                Terminal.standardOutput.writeLine("ok: \(manifest.reference), \(files.count) files match their sizes and digests")
            } else {
                Terminal.standardOutput.writeLine("ok: \(manifest.reference); no files: list yet (`maxhub pack` writes it)")
            }
        }
    }
}
