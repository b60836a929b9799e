/// A left-to-right scanner for one SemVer 2.0.0 version, so that the first problem is the one reported.
struct VersionScanner {
    let text: String
    let bytes: [UInt8]
    var position = 0

    init(_ text: String) {
        self.text = text
        self.bytes = Array(text.utf8)
    }

    mutating func scanVersion() throws(VersionError) -> Version {
        guard !bytes.isEmpty else { throw failure("it is empty") }
        guard bytes.count <= Version.maximumLength else { throw failure("it is longer than \(Version.maximumLength) characters") }
        if let first = bytes.first, let last = bytes.last, Self.isWhitespace(first) || Self.isWhitespace(last) {
            throw failure("it has leading or trailing whitespace")
        }
        if bytes.first == UInt8(ascii: "v") || bytes.first == UInt8(ascii: "V") {
            throw failure("a \"v\" prefix is not part of a SemVer 2.0.0 version; write it without")
        }
        let major = try scanNumber("major")
        try expectDot(after: "major")
        let minor = try scanNumber("minor")
        try expectDot(after: "minor")
        let patch = try scanNumber("patch")
        var prerelease: [Version.PrereleaseIdentifier] = []
        if peek == UInt8(ascii: "-") {
            position += 1
            for identifier in try scanIdentifiers("prerelease") {
                let numeric = identifier.utf8.allSatisfy(Version.isDigit)
                if numeric, identifier.utf8.count > 1, identifier.utf8.first == UInt8(ascii: "0") {
                    throw failure("the numeric prerelease identifier \"\(identifier)\" has a leading zero")
                }
                prerelease.append(Version.PrereleaseIdentifier(unchecked: identifier, isNumeric: numeric))
            }
        }
        var build: [String] = []
        if peek == UInt8(ascii: "+") {
            position += 1
            build = try scanIdentifiers("build metadata")
        }
        if let byte = peek {
            let prefix = String(decoding: bytes[..<position], as: UTF8.self)
            let hint = byte == UInt8(ascii: ".") ? "; a version has three numbers" : ""
            throw failure("unexpected \"\(character(at: position))\" after \"\(prefix)\"\(hint)")
        }
        return Version(uncheckedMajor: major, minor: minor, patch: patch, prerelease: prerelease, build: build)
    }

    private var peek: UInt8? { position < bytes.count ? bytes[position] : nil }

    private mutating func scanNumber(_ name: String) throws(VersionError) -> Int64 {
        let start = position
        while let byte = peek, Version.isDigit(byte) { position += 1 }
        guard position > start else {
            let found = peek.map { _ in "\"\(character(at: position))\"" } ?? "the end"
            throw failure("expected the \(name) version number, found \(found)")
        }
        let digits = String(decoding: bytes[start..<position], as: UTF8.self)
        if digits.utf8.count > 1, bytes[start] == UInt8(ascii: "0") {
            throw failure("the \(name) version \"\(digits)\" has a leading zero")
        }
        guard digits.utf8.count <= 16, let value = Int64(digits), value <= Version.maximumComponent else {
            throw failure("the \(name) version \"\(digits)\" is larger than \(Version.maximumComponent)")
        }
        return value
    }

    private mutating func expectDot(after name: String) throws(VersionError) {
        guard peek == UInt8(ascii: ".") else {
            let parts = name == "major" ? "one number" : "two numbers"
            guard peek != nil else { throw failure("it has \(parts); a version is MAJOR.MINOR.PATCH") }
            throw failure("unexpected \"\(character(at: position))\" after the \(name) version; a version is MAJOR.MINOR.PATCH")
        }
        position += 1
    }

    private mutating func scanIdentifiers(_ name: String) throws(VersionError) -> [String] {
        var identifiers: [String] = []
        while true {
            let start = position
            while let byte = peek, Version.isIdentifierByte(byte) { position += 1 }
            guard position > start else {
                let found = peek.map { _ in "\"\(character(at: position))\"" } ?? "the end"
                throw failure("expected a \(name) identifier of [0-9A-Za-z-], found \(found)")
            }
            identifiers.append(String(decoding: bytes[start..<position], as: UTF8.self))
            guard peek == UInt8(ascii: ".") else { return identifiers }
            position += 1
        }
    }

    /// The whole character that starts at a byte offset, for messages.
    private func character(at offset: Int) -> String {
        let index = text.utf8.index(text.utf8.startIndex, offsetBy: offset)
        guard let scalarIndex = index.samePosition(in: text.unicodeScalars) else { return "\u{FFFD}" }
        return String(text.unicodeScalars[scalarIndex])
    }

    private func failure(_ reason: String) -> VersionError { VersionError(text: text, reason: reason) }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || (byte >= 0x09 && byte <= 0x0d)
    }
}
