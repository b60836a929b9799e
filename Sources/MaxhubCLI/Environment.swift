import Foundation
import MaxhubClient

/// The process's environment and the user's configuration file, read once.
enum Environment {
    static func value(_ name: String) -> String? {
        ProcessInfo.processInfo.environment[name].flatMap { $0.isEmpty ? nil : $0 }
    }

    static var configurationPath: String { UserConfiguration.defaultPath() }

    private static let loaded: Result<UserConfiguration, UserConfigurationError> = {
        let path = configurationPath
        let result = Result { () throws(UserConfigurationError) in try UserConfiguration.load(from: path) }
        if case .success(let configuration) = result, configuration.token != nil, UserConfiguration.isReadableByOthers(path) {
            Terminal.standardError.writeLine("warning: \(path) holds a token and is readable by others; run chmod 600 \(path)")
        }
        return result
    }()

    /// Whether `MAXHUB_OFFLINE` asks to resolve and pull from the cache alone.
    static var offline: Bool {
        ["1", "true", "yes"].contains(value("MAXHUB_OFFLINE")?.lowercased() ?? "")
    }

    /// The configuration file; a file that cannot be read is a failure (exit 1) naming it.
    static func configuration() throws -> UserConfiguration {
        do {
            return try loaded.get()
        } catch {
            throw CLIFailure(error.description)
        }
    }
}
