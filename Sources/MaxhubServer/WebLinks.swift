import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Links within the catalog.
enum WebLinks {
    private static let unreserved = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")

    /// A query value or path segment, percent-encoded.
    static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ""
    }

    /// `path?name=value&...` for the non-empty values, in order.
    static func link(_ path: String, _ parameters: [(String, String?)]) -> String {
        let pairs = parameters.compactMap { name, value in value.flatMap { $0.isEmpty ? nil : "\(name)=\(encode($0))" } }
        return pairs.isEmpty ? path : path + "?" + pairs.joined(separator: "&")
    }

    static func model(_ name: String, version: String? = nil) -> String {
        link("/models/" + encode(name), [("version", version)])
    }

    /// Where to go after signing in: a path on this hub, never another site (`//host`, `/\host`, a scheme).
    static func localTarget(_ text: String?) -> String? {
        guard let text, text.hasPrefix("/"), !text.hasPrefix("//"), !text.hasPrefix("/\\"),
            !text.contains(where: { $0.isNewline || $0 == "\\" })
        else { return nil }
        return text
    }
}
