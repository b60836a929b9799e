/// A hand-written scanner for node-semver's range grammar (strict mode) that reports the column of a problem.
///
/// ```
/// range      ::= set ( "||" set )*                       at most 256 characters
/// set        ::= blank* ( hyphen | comparator ( blank+ comparator )* )? blank*
/// hyphen     ::= partial blank+ "-" blank+ partial
/// comparator ::= ( operator blank* )? partial
/// operator   ::= "<" | "<=" | ">" | ">=" | "=" | "~" | "~>" | "^"
/// partial    ::= "v"? part ( "." part ( "." part qualifier )? )?
/// part       ::= "x" | "X" | "*" | "0" | [1-9] [0-9]{0,14}
/// qualifier  ::= ( "-" prerelease-id ( "." prerelease-id )* )? ( "+" build-id ( "." build-id )* )?
/// blank      ::= " " | "\t"
/// ```
///
/// Identifiers are SemVer's: `[0-9A-Za-z-]+`, and a numeric prerelease identifier has no leading zero.
struct VersionRangeParser {
    /// The longest range accepted, in characters.
    static let maximumLength = 256
    /// The most digits a version number in a range may have; 15 digits stay exact below 2^53 - 1
    /// even after desugaring adds one (`^999999999999999` → `<1000000000000000.0.0-0`).
    static let maximumDigits = 15

    private let text: String
    private let bytes: [UInt8]
    private var position = 0

    init(_ text: String) {
        self.text = text
        self.bytes = Array(text.utf8.prefix(Self.maximumLength + 1))
    }

    mutating func parse() throws(VersionRangeError) -> [ComparatorSetSyntax] {
        if bytes.count > Self.maximumLength {
            // Report a character the grammar never takes if one comes first, else the length.
            if let foreign = bytes.firstIndex(where: { $0 >= 0x80 }) {
                position = foreign
                throw unexpectedHere()
            }
            throw failure(at: Self.maximumLength, "the range is longer than \(Self.maximumLength) characters")
        }
        var sets: [ComparatorSetSyntax] = []
        while true {
            sets.append(try parseSet())
            guard position < bytes.count else { return sets }
            position += 2  // parseSet stops only at the end or at "||".
        }
    }

    // MARK: Grammar

    private mutating func parseSet() throws(VersionRangeError) -> ComparatorSetSyntax {
        skipBlanks()
        if atSetEnd { return .comparators([]) }
        let first = try parseComparator()
        if first.op == nil, let to = try parseHyphenEnd() {
            return .hyphen(from: first.version, to: to)
        }
        var comparators = [first]
        while true {
            let blanks = skipBlanks()
            if atSetEnd { return .comparators(comparators) }
            guard blanks > 0 else { throw unexpectedHere() }
            if peek == UInt8(ascii: "-") {
                throw failure(at: position, "unexpected \"-\"; a hyphen range is two bare versions with spaces around \"-\"")
            }
            comparators.append(try parseComparator())
        }
    }

    /// After a bare first version: ` - B` and the end of the set, or `nil` (and nothing consumed) if no hyphen follows.
    private mutating func parseHyphenEnd() throws(VersionRangeError) -> PartialVersion? {
        let start = position
        guard skipBlanks() > 0, peek == UInt8(ascii: "-"), isBlank(at: position + 1) else {
            position = start
            return nil
        }
        position += 1
        skipBlanks()
        let to = try parsePartial()
        skipBlanks()
        guard atSetEnd else {
            if peek == UInt8(ascii: "-") { throw failure(at: position, "unexpected \"-\"; a hyphen range has two ends") }
            throw failure(at: position, "unexpected \(shown(at: position)) after a hyphen range, which stands alone in its set")
        }
        return to
    }

    private mutating func parseComparator() throws(VersionRangeError) -> ComparatorSyntax {
        let op = scanOperator()
        if op != nil { skipBlanks() }
        return ComparatorSyntax(op: op, version: try parsePartial())
    }

    private mutating func scanOperator() -> RangeOperator? {
        guard let byte = peek else { return nil }
        let next = position + 1 < bytes.count ? bytes[position + 1] : nil
        let op: RangeOperator
        switch byte {
        case UInt8(ascii: "<"): op = next == UInt8(ascii: "=") ? .lessOrEqual : .less
        case UInt8(ascii: ">"): op = next == UInt8(ascii: "=") ? .greaterOrEqual : .greater
        case UInt8(ascii: "~"): op = next == UInt8(ascii: ">") ? .tildeGreater : .tilde
        case UInt8(ascii: "="): op = .equal
        case UInt8(ascii: "^"): op = .caret
        default: return nil
        }
        position += op.rawValue.utf8.count
        return op
    }

    private mutating func parsePartial() throws(VersionRangeError) -> PartialVersion {
        var partial = PartialVersion()
        if peek == UInt8(ascii: "v") {
            partial.hasPrefixV = true
            position += 1
        }
        partial.major = try parsePart()
        guard peek == UInt8(ascii: ".") else { return partial }
        position += 1
        let minor = try parsePart()
        partial.minor = partial.major == nil ? nil : minor
        guard peek == UInt8(ascii: ".") else { return partial }
        position += 1
        let patch = try parsePart()
        partial.patch = partial.minor == nil ? nil : patch
        let isComplete = partial.patch != nil
        if peek == UInt8(ascii: "-") {
            position += 1
            let identifiers = try parseIdentifiers(prerelease: true)
            if isComplete {
                partial.prerelease = identifiers.map { identifier in
                    Version.PrereleaseIdentifier(unchecked: identifier, isNumeric: identifier.utf8.allSatisfy(Version.isDigit))
                }
            }
        }
        if peek == UInt8(ascii: "+") {
            position += 1
            let identifiers = try parseIdentifiers(prerelease: false)
            if isComplete { partial.build = identifiers }
        }
        return partial
    }

    /// One part of a version: a number, or `nil` for `x`, `X` and `*`.
    private mutating func parsePart() throws(VersionRangeError) -> Int64? {
        guard let byte = peek else { throw failure(at: position, "expected a version number, found the end of the range") }
        if byte == UInt8(ascii: "x") || byte == UInt8(ascii: "X") || byte == UInt8(ascii: "*") {
            position += 1
            return nil
        }
        guard Version.isDigit(byte) else { throw unexpectedHere() }
        let start = position
        while let next = peek, Version.isDigit(next) { position += 1 }
        let digits = String(decoding: bytes[start..<position], as: UTF8.self)
        if position - start > 1, byte == UInt8(ascii: "0") {
            throw failure(at: start, "the version number \"\(digits)\" has a leading zero")
        }
        guard position - start <= Self.maximumDigits, let value = Int64(digits) else {
            throw failure(at: start, "the version number \"\(digits)\" has more than \(Self.maximumDigits) digits")
        }
        return value
    }

    private mutating func parseIdentifiers(prerelease: Bool) throws(VersionRangeError) -> [String] {
        let kind = prerelease ? "prerelease" : "build"
        var identifiers: [String] = []
        while true {
            let start = position
            while let next = peek, Version.isIdentifierByte(next) { position += 1 }
            guard position > start else {
                let found = position < bytes.count ? shown(at: position) : "the end of the range"
                throw failure(at: position, "expected a \(kind) identifier of [0-9A-Za-z-], found \(found)")
            }
            let identifier = String(decoding: bytes[start..<position], as: UTF8.self)
            if prerelease, position - start > 1, bytes[start] == UInt8(ascii: "0"), identifier.utf8.allSatisfy(Version.isDigit) {
                throw failure(at: start, "the numeric prerelease identifier \"\(identifier)\" has a leading zero")
            }
            identifiers.append(identifier)
            guard peek == UInt8(ascii: ".") else { return identifiers }
            position += 1
        }
    }

    // MARK: Scanning

    private var peek: UInt8? { position < bytes.count ? bytes[position] : nil }

    private var atSetEnd: Bool {
        position >= bytes.count || (bytes[position] == UInt8(ascii: "|") && isByte(UInt8(ascii: "|"), at: position + 1))
    }

    private func isByte(_ byte: UInt8, at index: Int) -> Bool { index < bytes.count && bytes[index] == byte }

    private func isBlank(at index: Int) -> Bool { isByte(UInt8(ascii: " "), at: index) || isByte(UInt8(ascii: "\t"), at: index) }

    @discardableResult
    private mutating func skipBlanks() -> Int {
        let start = position
        while isBlank(at: position) { position += 1 }
        return position - start
    }

    // MARK: Errors

    private func unexpectedHere() -> VersionRangeError {
        guard position < bytes.count else { return failure(at: position, "unexpected end of the range") }
        let character = shown(at: position)
        var reason = "unexpected \(character)"
        if character.hasPrefix("U+") {
            reason += "; only spaces and tabs separate the parts of a range"
        } else if bytes[position] == UInt8(ascii: "|") {
            reason += "; alternatives are separated by \"||\""
        } else if bytes[position] == UInt8(ascii: "-"), position > 0, !isBlank(at: position - 1) {
            reason += "; a prerelease follows all three numbers (1.2.0-beta), a hyphen range has spaces (1 - 2)"
        }
        return failure(at: position, reason)
    }

    /// The character at a byte offset, quoted, or as `U+XXXX` when it is invisible or a control character.
    private func shown(at offset: Int) -> String {
        let index = text.utf8.index(text.utf8.startIndex, offsetBy: offset)
        guard let scalarIndex = index.samePosition(in: text.unicodeScalars) else { return "a malformed character" }
        let scalar = text.unicodeScalars[scalarIndex]
        if scalar == " " || scalar == "\t" { return scalar == " " ? "\" \"" : "\"\\t\"" }
        if scalar.properties.isWhitespace || scalar.properties.generalCategory == .control
            || scalar.properties.generalCategory == .format {
            let hex = String(scalar.value, radix: 16, uppercase: true)
            return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        }
        return "\"\(scalar)\""
    }

    /// An error at a byte offset; the column counts characters, from 1.
    private func failure(at offset: Int, _ reason: String) -> VersionRangeError {
        let prefix = text.utf8.prefix(offset)
        let column = String(decoding: prefix, as: UTF8.self).count + 1
        return VersionRangeError(text: text, column: column, reason: reason)
    }
}
