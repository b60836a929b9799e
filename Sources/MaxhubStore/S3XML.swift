import Foundation
import NIOCore

/// Reads the few elements maxhub needs out of an object store's XML answers (listings, upload ids, errors). Those
/// answers are flat and machine-made, so finding `<Name>...</Name>` and decoding the five predefined entities is
/// enough; no answer is ever held larger than its caller's limit.
enum S3XML {
    /// The text of every `<name>` element, in order.
    static func elements(_ name: String, in buffer: ByteBuffer) -> [String] {
        elements(name, in: String(buffer: buffer))
    }

    static func elements(_ name: String, in text: String) -> [String] {
        var found: [String] = []
        var rest = text[...]
        while let open = rest.range(of: "<\(name)>") {
            guard let close = rest[open.upperBound...].range(of: "</\(name)>") else { break }
            found.append(String(rest[open.upperBound..<close.lowerBound]))
            rest = rest[close.upperBound...]
        }
        return found
    }

    /// The decoded text of the first `<name>` element.
    static func first(_ name: String, in buffer: ByteBuffer) -> String? {
        first(name, in: String(buffer: buffer))
    }

    static func first(_ name: String, in text: String) -> String? {
        elements(name, in: text).first.map(unescape)
    }

    static func unescape(_ text: String) -> String {
        guard text.contains("&") else { return text }
        return text.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&apos;", with: "'")
            .replacingOccurrences(of: "&#34;", with: "\"").replacingOccurrences(of: "&amp;", with: "&")
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
