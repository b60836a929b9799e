import ArgumentParser
import Foundation
import MaxhubClient
import MaxhubCore

/// Where the hub is and who is asking: flags first, then `MAXHUB_URL` and `MAXHUB_TOKEN`, then the configuration file
/// that `maxhub login` writes.
struct HubOptions: ParsableArguments {
    static let defaultURL = "http://127.0.0.1:8080"

    @Option(name: .customLong("url"), help: "The hub's URL (default: $MAXHUB_URL, then config.yaml, else http://127.0.0.1:8080).")
    var url: String?

    @Option(name: .customLong("token"), help: "A bearer token (default: $MAXHUB_TOKEN, then config.yaml).")
    var token: String?

    @Option(
        name: .customLong("hub-key"),
        help: "The hub's public signing key, PEM (default: $MAXHUB_HUB_KEY, then config.yaml's hub_key, else pinned on first contact).")
    var hubKey: String?

    /// The hub keys configured (`--hub-key`, `MAXHUB_HUB_KEY`, `hub_key:`, each a PEM file or the PEM itself); nil when
    /// none is, and keys are pinned on first contact instead.
    func configuredHubKeys() throws -> [HubPublicKey]? {
        guard let given = try hubKey ?? Environment.value("MAXHUB_HUB_KEY") ?? Environment.configuration().hubKey else { return nil }
        let text: String
        if given.contains("-----BEGIN") {
            text = given
        } else {
            guard let contents = try? String(contentsOfFile: given, encoding: .utf8) else {
                throw CLIFailure("cannot read the hub key \(given)", code: .usage)
            }
            text = contents
        }
        do {
            return [try HubPublicKey(pem: text)]
        } catch {
            throw CLIFailure("the hub key \(given) cannot be used: \(error)", code: .usage)
        }
    }

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
