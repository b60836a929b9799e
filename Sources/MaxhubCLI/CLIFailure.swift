import Foundation
import MaxhubCore

/// A failure the CLI reports as one line on standard error and an exit code from the contract.
struct CLIFailure: Error, CustomStringConvertible {
    /// The exit codes `maxhub --help` lists (and the README's "Exit codes").
    enum Code: Int32 {
        case failure = 1
        case usage = 2
        case notFound = 3
        case verificationFailed = 4
        case notAuthorized = 5
    }

    var message: String
    var code: Code

    init(_ message: String, code: Code = .failure) {
        self.message = message
        self.code = code
    }

    var description: String { message }
}
