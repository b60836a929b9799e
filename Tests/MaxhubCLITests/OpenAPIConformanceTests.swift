import Foundation
import MaxhubTestSupport
import Testing

/// `schemas/openapi.yaml` against openapi-spec-validator, the hub that serves it, and schemathesis driving that hub.
@Suite("The OpenAPI description and the live hub agree", .onTestThreads)
struct OpenAPIConformanceTests {
    static let document = CLIHarness.root.appendingPathComponent("schemas/openapi.yaml").path

    /// `MAXHUB_PYTHON` (set by `make test`), else the repository's `.venv`.
    static func python() throws -> String {
        if let configured = ProcessInfo.processInfo.environment["MAXHUB_PYTHON"], !configured.isEmpty { return configured }
        let venv = CLIHarness.root.appendingPathComponent(".venv/bin/python").path
        guard FileManager.default.isExecutableFile(atPath: venv) else {
            throw HubProcessError(message: "no Python test environment at \(venv); run `make test` (it creates .venv)")
        }
        return venv
    }

    /// Runs a program with its output in a file; returns the exit status and the output.
    static func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws -> (Int32, String) {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("maxhub-tool-\(UUID().uuidString).log")
        FileManager.default.createFile(atPath: output.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: output) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let handle = try FileHandle(forWritingTo: output)
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return (process.terminationStatus, try String(contentsOf: output, encoding: .utf8))
    }

    @Test func documentIsValidOpenAPI() throws {
        let script = CLIHarness.root.appendingPathComponent("scripts/check-openapi.py").path
        let (status, output) = try Self.run(try Self.python(), [script, Self.document])
        #expect(status == 0, "\(output)")
    }

    @Test func hubServesTheRepositorysDocument() throws {
        let harness = try CLIHarness()
        defer { harness.cleanUp() }
        let hub = try RunningHub(dataFolder: harness.url("hub").path)
        defer { hub.stop() }
        let served = try Curl.run([hub.url + "/openapi.yaml"])
        #expect(served.status == 200)
        let file = try String(contentsOfFile: Self.document, encoding: .utf8)
        #expect(served.body.trimmingCharacters(in: .newlines) == file.trimmingCharacters(in: .newlines))
    }

    @Test(.timeLimit(.minutes(10)))
    func schemathesisFindsNoServerErrorAndNoContradiction() throws {
        let harness = try CLIHarness()
        defer { harness.cleanUp() }
        let hub = try RunningHub(dataFolder: harness.url("hub").path)
        defer { hub.stop() }
        let token = try #require(hub.printedAdminToken)
        let script = CLIHarness.root.appendingPathComponent("scripts/run-schemathesis.sh").path
        let (status, output) = try Self.run("/bin/bash", [script, hub.url, token], environment: ["MAXHUB_PYTHON": try Self.python()])
        #expect(status == 0, "schemathesis reported problems:\n\(output.suffix(6000))")
    }
}
