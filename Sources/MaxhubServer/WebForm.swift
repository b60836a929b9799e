import Hummingbird

/// The web catalog's forms: reading their fields, and checking that a form which changes something came from this
/// hub's own page.
enum WebForm {
    /// The fields of an `application/x-www-form-urlencoded` body (64 KiB at most); the first value of a repeated name.
    static func fields(of request: Request) async throws -> [String: String] {
        var request = request
        let body = try await request.collectBody(upTo: 64 << 10)
        var fields: [String: String] = [:]
        for pair in String(buffer: body).split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = Request.formDecode(parts[0])
            if fields[name] == nil { fields[name] = parts.count > 1 ? Request.formDecode(parts[1]) : "" }
        }
        return fields
    }

    /// A form that changes something must come from this hub's own page: its CSRF token matches the session, and the
    /// browser's `Origin`, when it sends one, is this hub.
    static func check(
        _ request: Request, _ form: [String: String], session: WebSession, keys: WebSessionKeys
    ) throws(HubError) {
        guard request.isSameOrigin, keys.isValid(csrf: form["csrf"], for: session.token) else {
            throw HubError.forbidden("this form is stale or was sent from another site; reload the page and try again")
        }
    }
}
