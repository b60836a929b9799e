import Foundation
import Testing

/// Runs the built `maxhub` binary as a user would, in a temporary folder.
struct CLIHarness {
    struct Result: Sendable {
        var status: Int32
        var stdout: String
        var stderr: String
        var lines: [String] { stdout.split(separator: "\n").map(String.init) }
    }

    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `MAXHUB_BINARY` (set by `make test`), else the debug build in the repository.
    static var binary: String {
        if let configured = ProcessInfo.processInfo.environment["MAXHUB_BINARY"], !configured.isEmpty { return configured }
        return root.appendingPathComponent(".build/debug/maxhub").path
    }

    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("maxhub-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    /// A harness that runs in an existing folder (cleaned up by the harness that made it).
    init(directory: URL) {
        self.directory = directory
    }

    func cleanUp() { try? FileManager.default.removeItem(at: directory) }

    func url(_ relative: String) -> URL { directory.appendingPathComponent(relative) }

    @discardableResult
    func run(_ arguments: String...) throws -> Result { try run(arguments) }

    /// Runs `maxhub` in the harness's folder. The caller's own hub settings (`MAXHUB_URL`, `MAXHUB_TOKEN`, ...) and
    /// configuration file never reach it: `MAXHUB_CONFIG` and the default cache point into the harness's folder unless
    /// `environment` says otherwise. `input` is written to its standard input.
    func run(_ arguments: [String], environment: [String: String] = [:], input: String? = nil) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = arguments
        var inherited = ProcessInfo.processInfo.environment
        for name in ["MAXHUB_URL", "MAXHUB_TOKEN", "MAXHUB_CACHE", "MAXHUB_OFFLINE", "MAXHUB_CONFIG"] { inherited[name] = nil }
        inherited["MAXHUB_CONFIG"] = url("config/maxhub/config.yaml").path
        // The package cache (where packs are recorded, too) is the harness's, never the user's ~/.cache.
        inherited["XDG_CACHE_HOME"] = url(".xdg-cache").path
        process.environment = inherited.merging(environment) { $1 }
        process.currentDirectoryURL = directory
        let stdoutFile = url(".stdout-\(UUID().uuidString)")
        let stderrFile = url(".stderr-\(UUID().uuidString)")
        FileManager.default.createFile(atPath: stdoutFile.path, contents: nil)
        FileManager.default.createFile(atPath: stderrFile.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: stdoutFile)
            try? FileManager.default.removeItem(at: stderrFile)
        }
        process.standardOutput = try FileHandle(forWritingTo: stdoutFile)
        process.standardError = try FileHandle(forWritingTo: stderrFile)
        let inputFile = url(".stdin-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: inputFile) }
        if let input {
            FileManager.default.createFile(atPath: inputFile.path, contents: Data(input.utf8))
            process.standardInput = try FileHandle(forReadingFrom: inputFile)
        } else {
            process.standardInput = FileHandle.nullDevice
        }
        try process.run()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus,
            stdout: try String(contentsOf: stdoutFile, encoding: .utf8),
            stderr: try String(contentsOf: stderrFile, encoding: .utf8)
        )
    }

    func write(_ text: String, to relative: String) throws {
        let target = url(relative)
        try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: target)
    }

    func read(_ relative: String) throws -> String { try String(contentsOf: url(relative), encoding: .utf8) }
}
