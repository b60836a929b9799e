/// A hand-written scanner for node-semver's range grammar that reports the column of any problem.
///
/// ```
/// range     ::= set ( '||' set )*
/// set       ::= ws* ( hyphen | simple ( ws+ simple )* )? ws*
/// hyphen    ::= partial ws+ '-' ws+ partial
/// simple    ::= ( '<' | '<=' | '>' | '>=' | '=' | '~' | '~>' | '^' )? ws* partial
/// partial   ::= 'v'? xr ( '.' xr ( '.' xr qualifier? )? )?
/// xr        ::= 'x' | 'X' | '*' | '0' | [1-9][0-9]{0,15}
/// qualifier ::= ( '-' prerelease-id ( '.' prerelease-id )* )? ( '+' build-id ( '.' build-id )* )?
/// ```
struct VersionRangeParser {
    /// A version with parts left out or written as `x`; once a part is missing, so are the ones after it.
    struct Partial: Hashable, Sendable {
        var major: Int64?
        var minor: Int64?
        var patch: Int64?
        var prerelease: [Version.PrereleaseIdentifier] = []
        var build: [String] = []

        var isX: Bool { major == nil || minor == nil || patch == nil }
    }

    struct Simple: Hashable, Sendable {
        var op: String
        var partial: Partial
    }

    enum ComparatorSet: Hashable, Sendable {
        case hyphen(Partial, Partial)
        case simple([Simple])
    }

    private let text: String
    private let scalars: [Unicode.Scalar]
    private var position = 0

    init(_ text: String) {
        self.text = text
        self.scalars = Array(text.unicodeScalars)
    }

    mutating func parse() throws(VersionRangeError) -> [ComparatorSet] {
        var sets: [ComparatorSet] = []
        while true {
            sets.append(try parseSet())
            if atEnd { return sets }
            guard atOr else { throw unexpected() }
            position += 2
        }
    }

    // MARK: Grammar

    private mutating func parseSet() throws(VersionRangeError) -> ComparatorSet {
        skipWhitespace()
        if atEnd || atOr { return .simple([]) }
        let first = try parseSimple()
        if first.op.isEmpty {
            let saved = position
            if skipWhitespace() > 0, peek == "-", isWhitespace(at: position + 1) {
                position += 1
                skipWhitespace()
                let to = try parsePartial()
                skipWhitespace()
                guard atEnd || atOr else { throw unexpected() }
                return .hyphen(first.partial, to)
            }
            position = saved
        }
        var items = [first]
        while true {
            let spaces = skipWhitespace()
            if atEnd || atOr { break }
            guard spaces > 0 else { throw unexpected() }
            items.append(try parseSimple())
        }
        return .simple(items)
    }

    private mutating func parseSimple() throws(VersionRangeError) -> Simple {
        var op = ""
        switch peek {
        case "<", ">":
            op = String(Character(scalars[position]))
            position += 1
            if peek == "=" {
                op += "="
                position += 1
            }
        case "=", "^":
            op = String(Character(scalars[position]))
            position += 1
        case "~":
            op = "~"
            position += 1
            if peek == ">" {
                op = "~>"
                position += 1
            }
        default:
            break
        }
        if !op.isEmpty { skipWhitespace() }
        return Simple(op: op, partial: try parsePartial())
    }

    private mutating func parsePartial() throws(VersionRangeError) -> Partial {
        if peek == "v" { position += 1 }
        var partial = Partial()
        partial.major = try parsePart()
        var known = partial.major != nil
        guard peek == "." else { return partial }
        position += 1
        let minor = try parsePart()
        partial.minor = known ? minor : nil
        known = known && minor != nil
        guard peek == "." else { return partial }
        position += 1
        let patch = try parsePart()
        partial.patch = known ? patch : nil
        if peek == "-" {
            position += 1
            let identifiers = try parseIdentifiers(prerelease: true)
            partial.prerelease = partial.patch == nil ? [] : identifiers.map { text in
                text.utf8.allSatisfy(Version.isDigit) ? .numeric(text) : .alphanumeric(text)
            }
        }
        if peek == "+" {
            position += 1
            partial.build = try parseIdentifiers(prerelease: false)
        }
        return partial
    }

    /// One part: a number, or `nil` for `x`, `X` and `*`.
    private mutating func parsePart() throws(VersionRangeError) -> Int64? {
        guard let scalar = peek else { throw problem("expected a version number, found the end of the range") }
        if scalar == "x" || scalar == "X" || scalar == "*" {
            position += 1
            return nil
        }
        guard isDigit(scalar) else { throw problem("expected a version number, found \"\(scalar)\"") }
        let start = position
        while let next = peek, isDigit(next) { position += 1 }
        let digits = String(String.UnicodeScalarView(scalars[start..<position]))
        if digits.count > 1, digits.first == "0" {
            throw VersionRangeError(text: text, column: start + 1, reason: "version number \"\(digits)\" has a leading zero")
        }
        guard digits.count <= 16, let value = Int64(digits) else {
            throw VersionRangeError(text: text, column: start + 1, reason: "version number \"\(digits)\" is too large")
        }
        return value
    }

    private mutating func parseIdentifiers(prerelease: Bool) throws(VersionRangeError) -> [String] {
        var identifiers: [String] = []
        while true {
            let start = position
            while let next = peek, isIdentifier(next) { position += 1 }
            guard position > start else {
                throw problem(prerelease ? "expected a prerelease identifier" : "expected a build identifier")
            }
            let identifier = String(String.UnicodeScalarView(scalars[start..<position]))
            if prerelease, identifier.count > 1, identifier.first == "0", identifier.utf8.allSatisfy(Version.isDigit) {
                throw VersionRangeError(text: text, column: start + 1, reason: "prerelease identifier \"\(identifier)\" has a leading zero")
            }
            identifiers.append(identifier)
            guard peek == "." else { return identifiers }
            position += 1
        }
    }

    // MARK: Scanning

    private var atEnd: Bool { position >= scalars.count }
    private var peek: Unicode.Scalar? { position < scalars.count ? scalars[position] : nil }
    private var atOr: Bool { position + 1 < scalars.count && scalars[position] == "|" && scalars[position + 1] == "|" }

    private func isWhitespace(at index: Int) -> Bool {
        index < scalars.count && (scalars[index] == " " || scalars[index] == "\t")
    }

    @discardableResult
    private mutating func skipWhitespace() -> Int {
        let start = position
        while isWhitespace(at: position) { position += 1 }
        return position - start
    }

    private func isDigit(_ scalar: Unicode.Scalar) -> Bool { scalar >= "0" && scalar <= "9" }

    private func isIdentifier(_ scalar: Unicode.Scalar) -> Bool {
        isDigit(scalar) || (scalar >= "a" && scalar <= "z") || (scalar >= "A" && scalar <= "Z") || scalar == "-"
    }

    private func problem(_ reason: String) -> VersionRangeError {
        VersionRangeError(text: text, column: position + 1, reason: reason)
    }

    private func unexpected() -> VersionRangeError {
        guard let scalar = peek else { return problem("unexpected end of the range") }
        return problem("unexpected \"\(scalar)\"")
    }
}

extension VersionRange {
    /// One regular expression (ICU and Python `re` alike) that matches exactly the ranges `init(parsing:)`
    /// accepts; the manifest schema uses it for `framework.version`, and a test checks the two agree.
    public static let grammarPattern: String = {
        let number = "(?:0|[1-9][0-9]{0,15})"
        let part = "(?:[xX*]|\(number))"
        let prereleaseIdentifier = "(?:0|[1-9][0-9]*|[0-9]*[A-Za-z-][0-9A-Za-z-]*)"
        let buildIdentifier = "[0-9A-Za-z-]+"
        let qualifier = "(?:-\(prereleaseIdentifier)(?:\\.\(prereleaseIdentifier))*)?(?:\\+\(buildIdentifier)(?:\\.\(buildIdentifier))*)?"
        let partial = "v?\(part)(?:\\.\(part)(?:\\.\(part)\(qualifier))?)?"
        let op = "(?:<=?|>=?|=|~>?|\\^)"
        let simple = "(?:\(op)[ \\t]*)?\(partial)"
        let hyphen = "\(partial)[ \\t]+-[ \\t]+\(partial)"
        let set = "[ \\t]*(?:\(hyphen)|\(simple)(?:[ \\t]+\(simple))*)?[ \\t]*"
        return "^\(set)(?:\\|\\|\(set))*$"
    }()
}
