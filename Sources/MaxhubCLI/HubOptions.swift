import ArgumentParser
import Foundation
import MaxhubClient

/// Where the hub is and who is asking: flags first, then `MAXHUB_URL` and `MAXHUB_TOKEN`.
struct HubOptions: ParsableArguments {
    @Option(name: .customLong("url"), help: "The hub's URL (default: $MAXHUB_URL, else http://127.0.0.1:8080).")
    var url: String?

    @Option(name: .customLong("token"), help: "A bearer token (default: $MAXHUB_TOKEN).")
    var token: String?

    var resolvedURL: String {
        url ?? ProcessInfo.processInfo.environment["MAXHUB_URL"].flatMap { $0.isEmpty ? nil : $0 } ?? "http://127.0.0.1:8080"
    }

    var resolvedToken: String? {
        token ?? ProcessInfo.processInfo.environment["MAXHUB_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
    }

    func client() -> HubClient {
        HubClient(baseURL: resolvedURL, token: resolvedToken)
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
