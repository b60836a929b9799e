import Foundation
import MaxhubCore

/// A failure the CLI reports as one line on standard error and an exit code from the contract.
struct CLIFailure: Error, CustomStringConvertible {
    /// The exit codes of SPEC section 9.
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

/// Writes lines to the standard streams without buffering surprises between them.
struct Terminal {
    let handle: FileHandle

    static let standardOutput = Terminal(handle: .standardOutput)
    static let standardError = Terminal(handle: .standardError)

    func writeLine(_ line: String) {
        handle.write(Data((line + "\n").utf8))
    }
}

/// Encodes values for `--json` output: pretty, sorted keys, ISO 8601 times, stable.
enum JSONOutput {
    static func write<T: Encodable>(_ value: T) throws {
        let encoder = HubJSON.encoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(value)
        Terminal.standardOutput.writeLine(String(decoding: data, as: UTF8.self))
    }
}
