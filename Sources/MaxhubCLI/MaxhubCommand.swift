import ArgumentParser
import Foundation

/// The `maxhub` command line: one binary for curators, reviewers and developers.
public struct MaxhubCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "maxhub",
        abstract: "Publish, review, pull, verify and run versioned model packages.",
        discussion: """
            Exit codes: 0 success, 1 failure, 2 usage, 3 not found, 4 verification failed, 5 not authorized.
            """,
        subcommands: [
            Init.self,
            Validate.self,
            Pack.self,
            Inspect.self,
            Resolve.self,
            DigestFiles.self,
            Serve.self,
            Login.self,
            Publish.self,
            Pull.self,
            Search.self,
            Info.self,
            Verify.self,
            Run.self,
            ProcessStatus.self,
            Stop.self,
            List.self,
            Remove.self,
            Token.self,
            ReviewCommand.self,
            Yank.self,
            Audit.self,
            Admin.self,
        ]
    )

    public init() {}

    /// Runs the command line and exits with the codes of the contract: usage errors exit 2 (not
    /// ArgumentParser's 64), domain failures with the code they carry, as one line (`CLIFailure(reporting:)`).
    public static func runAndExit() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            if let failure = CLIFailure(reporting: error) {
                Terminal.standardError.writeLine("error: \(failure.message)")
                Foundation.exit(failure.code.rawValue)
            }
            let code = exitCode(for: error)
            if code == .validationFailure {
                Terminal.standardError.writeLine(fullMessage(for: error))
                Foundation.exit(CLIFailure.Code.usage.rawValue)
            }
            exit(withError: error)
        }
    }
}
