import ArgumentParser
import Foundation
import MaxhubClient

/// Where the hub is and who is asking: flags first, then `MAXHUB_URL` and `MAXHUB_TOKEN`, then the configuration file
/// that `maxhub login` writes.
struct HubOptions: ParsableArguments {
    static let defaultURL = "http://127.0.0.1:8080"

    @Option(name: .customLong("url"), help: "The hub's URL (default: $MAXHUB_URL, then config.yaml, else http://127.0.0.1:8080).")
    var url: String?

    @Option(name: .customLong("token"), help: "A bearer token (default: $MAXHUB_TOKEN, then config.yaml).")
    var token: String?

    func resolvedURL() throws -> String {
        if let url { return url }
        if let url = Environment.value("MAXHUB_URL") { return url }
        return try Environment.configuration().url ?? Self.defaultURL
    }

    func resolvedToken() throws -> String? {
        if let token { return token }
        if let token = Environment.value("MAXHUB_TOKEN") { return token }
        return try Environment.configuration().token
    }

    func client() throws -> HubClient {
        HubClient(baseURL: try resolvedURL(), token: try resolvedToken())
    }
}

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

    /// The configuration file; a file that cannot be read is a failure (exit 1) naming it.
    static func configuration() throws -> UserConfiguration {
        do {
            return try loaded.get()
        } catch {
            throw CLIFailure(error.description)
        }
    }
}

extension CLIFailure {
    /// The exit code a hub's refusal means: 3 for 404, 5 for 401 and 403, 1 otherwise.
    init(_ error: HubClientError) {
        switch error.status {
        case 404: self.init(error.description, code: .notFound)
        case 401, 403: self.init(error.description, code: .notAuthorized)
        default: self.init(error.description)
        }
    }
}
