import Foundation
import MaxhubTestSupport
import Testing

/// Where the repository and its tools are, for tests that use files outside the test bundle.
enum RepositoryLayout {
    /// The repository root, found from this source file's path.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The Python with the test tools: `MAXHUB_PYTHON`, else the repository's `.venv` that `make test` creates.
    static func python() throws -> String {
        if let configured = ProcessInfo.processInfo.environment["MAXHUB_PYTHON"], !configured.isEmpty {
            return configured
        }
        let venv = root.appendingPathComponent(".venv/bin/python").path
        guard FileManager.default.isExecutableFile(atPath: venv) else {
            throw ToolMissing(description: "no Python test environment at \(venv); run `make test` (it creates .venv)")
        }
        return venv
    }

    struct ToolMissing: Error, CustomStringConvertible { var description: String }

    /// Runs a program to completion and returns its standard output; a non-zero exit is an error with its stderr.
    static func run(_ executable: String, _ arguments: [String]) throws -> Data {
        let result = try ToolRun.run(executable, arguments)
        guard result.status == 0 else {
            throw ToolMissing(description: "\(executable) exited \(result.status): \(result.stderr)")
        }
        return Data(result.stdout.utf8)
    }
}
