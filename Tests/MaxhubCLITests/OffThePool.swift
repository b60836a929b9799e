import Foundation
import MaxhubTestSupport

// Async forms of the blocking helpers, for async tests: each waits for its process on a thread of its own
// (`onThread`), never on one of the few threads that run every test's tasks.

extension CLIHarness {
    func running(_ arguments: String...) async throws -> Result { try await running(arguments) }

    func running(_ arguments: [String], environment: [String: String] = [:]) async throws -> Result {
        let harness = self
        return try await onThread { try harness.run(arguments, environment: environment) }
    }
}

extension Curl {
    static func running(_ arguments: [String]) async throws -> Result {
        try await onThread { try run(arguments) }
    }
}

extension RunningHub {
    static func starting(dataFolder: String, arguments: [String] = [], environment: [String: String] = [:]) async throws -> RunningHub {
        try await onThread { try RunningHub(dataFolder: dataFolder, arguments: arguments, environment: environment) }
    }

    func stopping(signal: Int32 = SIGTERM) async throws {
        let hub = self
        _ = try await onThread { hub.stop(signal: signal) }
    }
}
