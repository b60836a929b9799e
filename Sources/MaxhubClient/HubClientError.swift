import Foundation
import MaxhubCore

/// A request to the hub that did not give what was asked.
public enum HubClientError: Error, CustomStringConvertible {
    /// The hub answered with an error status and these problem details.
    case problem(ProblemDetails)
    /// Nothing answered at the URL.
    case unreachable(String, String)
    /// The hub answered something this client cannot read.
    case unexpectedAnswer(String)
    /// A download from the hub at the URL stopped part way; what arrived is kept for the next try to continue.
    case interrupted(String, String)
    /// The hub at the URL cut a download short because its copy of the blob no longer holds the digest's bytes (it
    /// quarantined it); what arrived was dropped.
    case damagedOnHub(String, Digest)

    static func from(status: Int, body: Data) -> HubClientError {
        if let problem = try? HubJSON.decoder().decode(ProblemDetails.self, from: body) {
            return .problem(problem)
        }
        let text = String(decoding: body.prefix(200), as: UTF8.self)
        return .problem(ProblemDetails(title: "HTTP \(status)", status: status, detail: text.isEmpty ? "HTTP \(status)" : text))
    }

    /// The HTTP status of a problem answer.
    public var status: Int? {
        if case .problem(let problem) = self { return problem.status }
        return nil
    }

    public var description: String {
        switch self {
        case .problem(let problem): problem.description
        case .unreachable(let url, let reason): "cannot reach the hub at \(url): \(reason)"
        case .unexpectedAnswer(let what): "unexpected answer from the hub: \(what)"
        case .interrupted(let url, let reason):
            "the download from the hub at \(url) stopped part way (\(reason)); run the same command again to resume it"
        case .damagedOnHub(let url, let digest):
            "the hub at \(url) found its copy of \(digest) damaged and quarantined it; nothing was kept. Publishing the same "
                + "package again (or uploading the same bytes) repairs it"
        }
    }
}
