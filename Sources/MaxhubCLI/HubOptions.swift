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
