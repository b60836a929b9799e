import Hummingbird
import MaxhubCore

/// Reading path and query parameters into domain values, with a 400 that names the bad one.
extension HubRequestContext {
    /// The `{name}` segment: `owner/name` arrives percent-encoded as `owner%2Fname`.
    func modelName() throws(HubError) -> ModelName {
        let raw = parameters.get("name") ?? ""
        let text = raw.removingPercentEncoding ?? raw
        do {
            return try ModelName(parsing: text)
        } catch {
            throw .badRequest(error.description)
        }
    }

    func version() throws(HubError) -> Version {
        let raw = parameters.get("version") ?? ""
        let text = raw.removingPercentEncoding ?? raw
        do {
            return try Version(parsing: text)
        } catch {
            throw .badRequest("\(error)")
        }
    }

    func digest(_ parameter: String = "digest") throws(HubError) -> Digest {
        let raw = parameters.get(parameter) ?? ""
        let text = raw.removingPercentEncoding ?? raw
        do {
            return try Digest(parsing: text)
        } catch {
            throw .badRequest(error.description)
        }
    }
}

extension Request {
    /// A query parameter, nil when absent or empty. Read from the raw query as HTML forms encode it: `+` is a space,
    /// `%2B` a plus sign.
    func query(_ name: String) -> String? {
        guard let query = uri.query else { return nil }
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard Self.formDecode(parts[0]) == name else { continue }
            let value = parts.count > 1 ? Self.formDecode(parts[1]) : ""
            return value.isEmpty ? nil : value
        }
        return nil
    }

    static func formDecode(_ text: Substring) -> String {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }

    /// An integer query parameter within `range`, or `defaultValue` when absent.
    func integerQuery(_ name: String, in range: ClosedRange<Int>, default defaultValue: Int) throws(HubError) -> Int {
        guard let text = query(name) else { return defaultValue }
        guard let value = Int(text), range.contains(value) else {
            throw .badRequest("\(name) must be an integer from \(range.lowerBound) to \(range.upperBound), not \"\(text)\"")
        }
        return value
    }

    /// A boolean query parameter (`true`/`false`, `1`/`0`), or false when absent.
    func booleanQuery(_ name: String) throws(HubError) -> Bool {
        guard let text = query(name) else { return false }
        switch text.lowercased() {
        case "true", "1", "yes": return true
        case "false", "0", "no": return false
        default: throw .badRequest("\(name) must be true or false, not \"\(text)\"")
        }
    }
}
