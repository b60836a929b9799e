import Foundation
import Ink

/// Keeps the elements and attributes that Markdown produces and turns every other tag into text.
enum HTMLAllowlist {
    /// Elements kept with no attributes.
    private static let plainElements: Set<String> = [
        "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "em", "strong", "del", "s", "b", "i", "pre", "blockquote",
        "ul", "li", "table", "thead", "tbody", "tr",
    ]
    private static let elementsWithAttributes: Set<String> = ["a", "img", "ol", "code", "th", "td"]

    static func sanitize(_ html: String) -> String {
        let bytes = Array(html.utf8)
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            guard bytes[index] == UInt8(ascii: "<") else {
                output.append(bytes[index])
                index += 1
                continue
            }
            if let (tag, end) = parseTag(bytes, at: index), let kept = render(tag) {
                output += Array(kept.utf8)
                index = end
            } else {
                output += Array("&lt;".utf8)
                index += 1
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    struct Tag {
        var name: String
        var isClosing: Bool
        var attributes: [(name: String, value: String)]
    }

    /// A tag at `start` written the way Ink writes them: `<name>`, `</name>`, `<name a="v" b="w"/>` (double quotes
    /// only), and the index after it. Anything else is not a tag here.
    static func parseTag(_ bytes: [UInt8], at start: Int) -> (Tag, Int)? {
        var index = start + 1
        func at(_ i: Int) -> UInt8? { i < bytes.count ? bytes[i] : nil }
        func isLetter(_ c: UInt8) -> Bool { (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) }
        func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
        var isClosing = false
        if at(index) == UInt8(ascii: "/") {
            isClosing = true
            index += 1
        }
        let nameStart = index
        while let c = at(index), isLetter(c) || (isDigit(c) && index > nameStart) { index += 1 }
        guard index > nameStart, index - nameStart <= 16 else { return nil }
        let name = String(decoding: bytes[nameStart..<index], as: UTF8.self).lowercased()
        var attributes: [(String, String)] = []
        while true {
            var sawSpace = false
            while let c = at(index), c == 0x20 || c == 0x0A || c == 0x09 {
                sawSpace = true
                index += 1
            }
            if at(index) == UInt8(ascii: "/") && at(index + 1) == UInt8(ascii: ">") {
                return (Tag(name: name, isClosing: isClosing, attributes: attributes), index + 2)
            }
            if at(index) == UInt8(ascii: ">") { return (Tag(name: name, isClosing: isClosing, attributes: attributes), index + 1) }
            guard sawSpace, !isClosing, attributes.count < 8 else { return nil }
            let attributeStart = index
            while let c = at(index), isLetter(c) || c == UInt8(ascii: "-") { index += 1 }
            guard index > attributeStart, at(index) == UInt8(ascii: "="), at(index + 1) == UInt8(ascii: "\"") else { return nil }
            let attribute = String(decoding: bytes[attributeStart..<index], as: UTF8.self).lowercased()
            index += 2
            let valueStart = index
            while let c = at(index), c != UInt8(ascii: "\"") { index += 1 }
            guard at(index) == UInt8(ascii: "\"") else { return nil }
            attributes.append((attribute, String(decoding: bytes[valueStart..<index], as: UTF8.self)))
            index += 1
        }
    }

    private static func render(_ tag: Tag) -> String? {
        guard plainElements.contains(tag.name) || elementsWithAttributes.contains(tag.name) else { return nil }
        if tag.isClosing { return tag.name == "br" || tag.name == "hr" || tag.name == "img" ? "" : "</\(tag.name)>" }
        var kept: [String] = []
        for (name, raw) in tag.attributes {
            let value = decodeEntities(raw)
            switch (tag.name, name) {
            case ("a", "href"):
                if let url = safeURL(value, schemes: ["http", "https", "mailto"]) { kept.append("href=\"\(HTMLText.escape(url))\"") }
            case ("img", "src"):
                if let url = safeURL(value, schemes: ["http", "https"]) { kept.append("src=\"\(HTMLText.escape(url))\"") }
            case ("img", "alt"), ("a", "title"), ("img", "title"):
                kept.append("\(name)=\"\(HTMLText.escape(value))\"")
            case ("ol", "start"):
                if let start = Int(value) { kept.append("start=\"\(start)\"") }
            case ("code", "class"):
                if value.range(of: #"^language-[A-Za-z0-9_+#.-]{1,40}$"#, options: .regularExpression) != nil {
                    kept.append("class=\"\(value)\"")
                }
            case ("th", "align"), ("td", "align"):
                if ["left", "right", "center"].contains(value) { kept.append("align=\"\(value)\"") }
            default:
                continue
            }
        }
        if tag.name == "a" { kept.append("rel=\"nofollow noopener noreferrer\"") }
        if tag.name == "img" && !kept.contains(where: { $0.hasPrefix("src=") }) { return "" }
        let attributes = kept.isEmpty ? "" : " " + kept.joined(separator: " ")
        return "<\(tag.name)\(attributes)>"
    }

    /// The URL if it is relative or uses one of `schemes`; nil otherwise (`javascript:`, `data:`, `vbscript:`, ...),
    /// judged the way a browser reads it: entities decoded, control characters and whitespace ignored.
    static func safeURL(_ url: String, schemes: Set<String>) -> String? {
        let compact = String(url.unicodeScalars.filter { $0.value > 0x20 && $0.value != 0x7F }).lowercased()
        guard let colon = compact.firstIndex(of: ":") else { return url }
        let beforeColon = compact[..<colon]
        // A colon after a path, query or fragment delimiter is not a scheme's.
        if beforeColon.contains(where: { "/?#".contains($0) }) { return url }
        return schemes.contains(String(beforeColon)) ? url : nil
    }

    /// Decodes the character references a browser would decode in an attribute value. An unknown named reference
    /// makes the value unusable (it might hide a scheme), so it yields a value no scheme check accepts.
    static func decodeEntities(_ text: String) -> String {
        guard text.contains("&") else { return text }
        let named: [String: String] = [
            "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "colon": ":", "tab": "\t", "newline": "\n",
            "sol": "/", "num": "#", "quest": "?", "period": ".", "lpar": "(", "rpar": ")",
        ]
        var output = ""
        var rest = Substring(text)
        while let amp = rest.firstIndex(of: "&") {
            output += rest[..<amp]
            rest = rest[rest.index(after: amp)...]
            let reference = rest.prefix { $0.isLetter || $0.isNumber || $0 == "#" }
            var consumed = reference.count
            if rest.dropFirst(consumed).first == ";" { consumed += 1 }
            if reference.hasPrefix("#") {
                let digits = reference.dropFirst()
                let scalar: UInt32? =
                    digits.first == "x" || digits.first == "X" ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits, radix: 10)
                guard let scalar, let character = Unicode.Scalar(scalar) else { return "invalid:" }
                output.unicodeScalars.append(character)
            } else if let value = named[reference.lowercased()] {
                output += value
            } else if reference.isEmpty {
                output += "&"
                consumed = 0
            } else {
                return "invalid:"
            }
            rest = rest.dropFirst(consumed)
        }
        output += rest
        return output
    }
}
