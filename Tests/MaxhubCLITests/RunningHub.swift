import Foundation
import MaxhubTestSupport
import Testing

/// `maxhub serve` run as a process on a free port over a data folder, as an operator runs it. One test uses it at a
/// time, from whichever thread runs the test.
final class RunningHub: @unchecked Sendable {
    let process = Process()
    let dataFolder: String
    let outputFile: String
    private(set) var url = ""
    private(set) var output = ""

    /// Starts the hub and waits until it says where it listens.
    init(dataFolder: String, arguments: [String] = [], environment: [String: String] = [:]) throws {
        self.dataFolder = dataFolder
        outputFile = dataFolder + ".out-\(UUID().uuidString)"
        FileManager.default.createFile(atPath: outputFile, contents: nil)
        process.executableURL = URL(fileURLWithPath: CLIHarness.binary)
        process.arguments = ["serve", "--data", dataFolder, "--port", "0", "--log-level", "warning"] + arguments
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outputFile))
        process.standardError = FileHandle.standardError
        process.standardInput = FileHandle.nullDevice
        if !environment.isEmpty { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
        try process.run()
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            output = (try? String(contentsOfFile: outputFile, encoding: .utf8)) ?? ""
            if let line = output.split(separator: "\n").first(where: { $0.hasPrefix("maxhub listening on ") }) {
                url = String(line.dropFirst("maxhub listening on ".count))
                return
            }
            guard process.isRunning else { break }
            Thread.sleep(forTimeInterval: 0.05)
        }
        stop(signal: SIGKILL)
        throw HubProcessError(message: "maxhub serve did not start: \(output)")
    }

    /// The admin token line printed on the first start, if this start printed one.
    var printedAdminToken: String? {
        output.split(separator: "\n").first { $0.hasPrefix("admin token") }.map { String($0.split(separator: " ").last ?? "") }
    }

    /// Sends a signal and waits for the process to end; returns its exit status.
    @discardableResult
    func stop(signal: Int32 = SIGTERM) -> Int32 {
        if process.isRunning { kill(process.processIdentifier, signal) }
        process.waitUntilExit()
        try? FileManager.default.removeItem(atPath: outputFile)
        return process.terminationStatus
    }
}

struct HubProcessError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

/// Runs curl, the way an HTTP client outside maxhub talks to the hub.
enum Curl {
    struct Result: Sendable {
        var status: Int
        var body: String
    }

    /// Runs `curl -s ARGS` and returns the HTTP status (from `-w`) and the body.
    static func run(_ arguments: [String]) throws -> Result {
        let result = try ToolRun.run("/usr/bin/env", ["curl", "-s", "-w", "\n%{http_code}"] + arguments)
        var lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        let status = Int(lines.popLast() ?? "") ?? 0
        return Result(status: status, body: lines.joined(separator: "\n"))
    }
}
