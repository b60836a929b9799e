import ArgumentParser
import Foundation
import MaxhubCore

extension MaxhubCommand {
    /// `maxhub digest FILE...`: the content address of files, as the hub names blobs.
    struct DigestFiles: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "digest",
            abstract: "Print the sha256 digest of files, streamed in chunks (never read whole).",
            discussion: "Prints `sha256:<hex>  SIZE  PATH` per file, like sha256sum with maxhub's digest form."
        )

        @Argument(help: "The files to hash.")
        var files: [String]

        func validate() throws {
            if files.isEmpty { throw ValidationError("name at least one file") }
        }

        func run() async throws {
            var failed = false
            for path in files {
                do {
                    let (digest, size) = try FileDigester.digest(ofFileAt: path)
                    Terminal.standardOutput.writeLine("\(digest)  \(size)  \(path)")
                } catch {
                    Terminal.standardError.writeLine("error: \(error.description)")
                    failed = true
                }
            }
            if failed { throw ExitCode(CLIFailure.Code.failure.rawValue) }
        }
    }
}
