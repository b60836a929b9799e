/// An SPDX license expression (SPDX specification, Annex D) whose ids are all on the SPDX License List that the
/// binary embeds (``licenseListVersion``, from `SPDXLicenses+Embedded.swift`), as a reviewer's verdict on a license.
///
/// Accepted: a listed license id in any casing (`mit` is `MIT`), deprecated ids included (`GPL-2.0+`); `id+`, that version
/// or any later one; `LicenseRef-name` and `DocumentRef-doc:LicenseRef-name` for licenses outside the list, always;
/// `license WITH exception`, where the exception is listed or is an `AdditionRef-name`; `AND` and `OR` (operators all in
/// upper case or all in lower case); parentheses. `WITH` binds tighter than `AND`, and `AND` tighter than `OR`:
/// `MIT OR GPL-2.0-only WITH Classpath-exception-2.0 AND BSD-3-Clause` is `MIT OR ((… WITH …) AND BSD-3-Clause)`.
///
/// Refused: `NONE` and `NOASSERTION` (they record that nobody decided, and a reviewer must), the lower-case prefix
/// `licenseref-` (the spec makes prefixes case-sensitive), and texts longer than 256 characters, the manifest schema's limit.
///
/// Two expressions are equal when their ``normalized`` forms are, the name of a reference compared without regard to case.
public struct SPDXExpression: Sendable, Hashable, CustomStringConvertible, StringCodable {
    /// The longest text accepted, in characters, as in the manifest schema.
    public static let maximumLength = 256

    /// The version of the SPDX License List whose license and exception ids are accepted, such as `3.29`.
    public static var licenseListVersion: String { listVersion }

    /// A license as written in an expression.
    enum License: Sendable {
        /// A listed id in canonical casing; `orLater` for a `+` that is not part of the id (`GPL-2.0+` is an id).
        case listed(String, orLater: Bool)
        /// `[DocumentRef-document:]LicenseRef-name`.
        case reference(document: String?, name: String)
    }

    /// What may follow `WITH`.
    enum Addition: Sendable {
        /// A listed exception id in canonical casing.
        case listed(String)
        /// `[DocumentRef-document:]AdditionRef-name`.
        case reference(document: String?, name: String)
    }

    /// The parsed expression; `and` and `or` hold two or more operands, and `group` keeps the parentheses a reviewer
    /// wrote around an operation.
    indirect enum Node: Sendable {
        case license(License)
        case with(License, Addition)
        case and([Node])
        case or([Node])
        case group(Node)
    }

    let root: Node

    /// Parses an expression; the error names the first problem found.
    public init(parsing text: String) throws(SPDXExpressionError) {
        var parser = try Parser(text)
        root = try parser.parse()
    }

    public init(codingText: String) throws { try self.init(parsing: codingText) }

    /// The expression with canonical casing of ids and operators, single spaces between terms, and no parentheses that
    /// hold a single license or only other parentheses: ` ( mit  or apache-2.0 ) ` is `MIT OR Apache-2.0`.
    public var normalized: String { Self.render(root, foldingReferences: false) }

    public var description: String { normalized }

    /// The licenses named, in order of first appearance and without repeats: listed ids in canonical casing, without a
    /// `+` that is not part of the id (`MIT+` names `MIT`, `GPL-2.0+` names `GPL-2.0+`), and references as normalized.
    public var licenseIDs: [String] {
        var ids: [String] = []
        Self.visit(root) { license, _ in
            let id = switch license {
            case .listed(let id, _): id
            case .reference: Self.render(license, foldingReferences: false)
            }
            if !ids.contains(id) { ids.append(id) }
        }
        return ids
    }

    /// The exceptions named after `WITH`, in order of first appearance and without repeats.
    public var exceptionIDs: [String] {
        var ids: [String] = []
        Self.visit(root) { _, addition in
            guard let addition else { return }
            let id = Self.render(addition, foldingReferences: false)
            if !ids.contains(id) { ids.append(id) }
        }
        return ids
    }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        render(lhs.root, foldingReferences: true) == render(rhs.root, foldingReferences: true)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(Self.render(root, foldingReferences: true))
    }

    // MARK: Rendering

    private static func render(_ node: Node, foldingReferences: Bool) -> String {
        switch node {
        case .license(let license):
            render(license, foldingReferences: foldingReferences)
        case .with(let license, let addition):
            "\(render(license, foldingReferences: foldingReferences)) WITH \(render(addition, foldingReferences: foldingReferences))"
        case .and(let operands):
            operands.map { render($0, foldingReferences: foldingReferences) }.joined(separator: " AND ")
        case .or(let operands):
            operands.map { render($0, foldingReferences: foldingReferences) }.joined(separator: " OR ")
        case .group(let inner):
            "(\(render(inner, foldingReferences: foldingReferences)))"
        }
    }

    private static func render(_ license: License, foldingReferences: Bool) -> String {
        switch license {
        case .listed(let id, let orLater):
            orLater ? id + "+" : id
        case .reference(let document, let name):
            reference(document: document, prefix: "LicenseRef-", name: name, folding: foldingReferences)
        }
    }

    private static func render(_ addition: Addition, foldingReferences: Bool) -> String {
        switch addition {
        case .listed(let id):
            id
        case .reference(let document, let name):
            reference(document: document, prefix: "AdditionRef-", name: name, folding: foldingReferences)
        }
    }

    private static func reference(document: String?, prefix: String, name: String, folding: Bool) -> String {
        // The spec compares the variable parts of references without regard to case.
        let name = folding ? name.lowercased() : name
        guard let document else { return prefix + name }
        return "DocumentRef-\(folding ? document.lowercased() : document):\(prefix)\(name)"
    }

    /// Calls `body` with each license, left to right, and the addition it carries, if any.
    private static func visit(_ node: Node, _ body: (License, Addition?) -> Void) {
        switch node {
        case .license(let license): body(license, nil)
        case .with(let license, let addition): body(license, addition)
        case .and(let operands), .or(let operands): for operand in operands { visit(operand, body) }
        case .group(let inner): visit(inner, body)
        }
    }
}

// MARK: - Looking ids up

extension SPDXExpression {
    /// Listed license ids by their lower-case form, for the spec's case-insensitive matching.
    static let licensesByLowercasedID = Dictionary(uniqueKeysWithValues: licenseIDs.map { ($0.lowercased(), $0) })
    /// Listed exception ids by their lower-case form.
    static let exceptionsByLowercasedID = Dictionary(uniqueKeysWithValues: exceptionIDs.map { ($0.lowercased(), $0) })

    private static let licenseSuggestionKeys = licenseIDs.sorted().map { (key: suggestionKey($0), id: $0) }
    private static let exceptionSuggestionKeys = exceptionIDs.sorted().map { (key: suggestionKey($0), id: $0) }

    /// The listed license that `text` most resembles, if any is close.
    static func licenseSuggestion(for text: String) -> String? { suggestion(for: text, among: licenseSuggestionKeys) }

    /// The listed exception that `text` most resembles, if any is close.
    static func exceptionSuggestion(for text: String) -> String? { suggestion(for: text, among: exceptionSuggestionKeys) }

    /// Compares only lower-case ASCII letters and digits, so `Apache 2`, `apache_2.0` and `Apache-2.0` come close, and allows
    /// an edit (insertion, deletion, substitution or swap of neighbours) for every four characters, at least one; the nearest
    /// id wins, then the shortest, then the first in code point order.
    private static func suggestion(for text: String, among candidates: [(key: [UInt8], id: String)]) -> String? {
        let key = suggestionKey(text)
        guard !key.isEmpty else { return nil }
        let limit = max(1, key.count / 4)
        var best: (distance: Int, length: Int, id: String)?
        for candidate in candidates where abs(candidate.key.count - key.count) <= limit {
            let distance = editDistance(key, candidate.key)
            guard distance <= limit else { continue }
            let contender = (distance: distance, length: candidate.id.count, id: candidate.id)
            if let current = best, current <= contender { continue }
            best = contender
        }
        return best?.id
    }

    private static func suggestionKey(_ text: String) -> [UInt8] {
        text.lowercased().utf8.filter { (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) }
    }

    /// The optimal string alignment distance: Levenshtein plus the swap of two neighbouring characters.
    static func editDistance(_ a: [UInt8], _ b: [UInt8]) -> Int {
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var beforePrevious = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    current[j] = min(current[j], beforePrevious[j - 2] + 1)
                }
            }
            (beforePrevious, previous, current) = (previous, current, beforePrevious)
        }
        return previous[b.count]
    }
}

// MARK: - Parsing

extension SPDXExpression {
    /// A recursive-descent parser for SPDX license expressions over whitespace- and parenthesis-separated words:
    ///
    /// ```
    /// expression ::= and ( "OR" and )*
    /// and        ::= with ( "AND" with )*
    /// with       ::= license ( "WITH" addition )? | "(" expression ")"
    /// license    ::= listed-id "+"? | ( "DocumentRef-" idstring ":" )? "LicenseRef-" idstring
    /// addition   ::= listed-exception-id | ( "DocumentRef-" idstring ":" )? "AdditionRef-" idstring
    /// ```
    ///
    /// Operators are `AND`/`and`, `OR`/`or` and `WITH`/`with`; ids match the list without regard to case.
    struct Parser {
        private enum Token: Equatable {
            case open
            case close
            case word(String)

            var text: String {
                switch self {
                case .open: "("
                case .close: ")"
                case .word(let word): word
                }
            }
        }

        private enum Operator: String {
            case and = "AND", or = "OR", with = "WITH"
        }

        private var tokens: [(token: Token, column: Int)] = []
        private let endColumn: Int
        private var index = 0

        init(_ text: String) throws(SPDXExpressionError) {
            let characters = Array(text.prefix(maximumLength + 1))
            guard characters.count <= maximumLength else {
                throw .tooLong(maximum: maximumLength)
            }
            endColumn = characters.count + 1
            var position = 0
            while position < characters.count {
                let character = characters[position]
                if character.isWhitespace {
                    position += 1
                } else if character == "(" || character == ")" {
                    tokens.append((character == "(" ? .open : .close, position + 1))
                    position += 1
                } else {
                    let start = position
                    while position < characters.count, !characters[position].isWhitespace, characters[position] != "(",
                        characters[position] != ")"
                    {
                        position += 1
                    }
                    tokens.append((.word(String(characters[start..<position])), start + 1))
                }
            }
            guard !tokens.isEmpty else { throw .empty }
        }

        mutating func parse() throws(SPDXExpressionError) -> Node {
            let root = try parseOr(after: nil)
            if index < tokens.count { throw try unexpectedToken() }
            // Parentheses around the whole expression say nothing.
            if case .group(let inner) = root { return inner }
            return root
        }

        private mutating func parseOr(after context: String?) throws(SPDXExpressionError) -> Node {
            var operands = [try parseAnd(after: context)]
            while let (word, _) = try peekOperator(.or) {
                index += 1
                operands.append(try parseAnd(after: word))
            }
            return operands.count == 1 ? operands[0] : .or(operands)
        }

        private mutating func parseAnd(after context: String?) throws(SPDXExpressionError) -> Node {
            var operands = [try parseWith(after: context)]
            while let (word, _) = try peekOperator(.and) {
                index += 1
                operands.append(try parseWith(after: word))
            }
            return operands.count == 1 ? operands[0] : .and(operands)
        }

        private mutating func parseWith(after context: String?) throws(SPDXExpressionError) -> Node {
            let operand = try parseOperand(after: context)
            guard let (word, column) = try peekOperator(.with) else { return operand }
            guard case .license(let license) = operand else { throw .withAfterParenthesis(column: column) }
            index += 1
            guard index < tokens.count, case .word(let exception) = tokens[index].token, operatorNamed(exception) == nil else {
                throw .missingException(after: word, column: index < tokens.count ? tokens[index].column : endColumn)
            }
            let addition = try resolveAddition(exception, column: tokens[index].column)
            index += 1
            return .with(license, addition)
        }

        /// A license, or a parenthesized expression.
        private mutating func parseOperand(after context: String?) throws(SPDXExpressionError) -> Node {
            guard index < tokens.count else {
                // Only an operator or "(" can have consumed the last token before an operand.
                throw .missingLicense(after: context ?? "", column: endColumn)
            }
            let (token, column) = tokens[index]
            switch token {
            case .close:
                guard let context else { throw .unbalancedParenthesis(column: column) }
                throw .missingLicense(after: context, column: column)
            case .open:
                index += 1
                let inner = try parseOr(after: "(")
                guard index < tokens.count else { throw .unbalancedParenthesis(column: column) }
                guard tokens[index].token == .close else { throw try unexpectedToken() }
                index += 1
                switch inner {
                case .license, .with, .group: return inner
                case .and, .or: return .group(inner)
                }
            case .word(let word):
                if Operator(rawValue: word.uppercased()) != nil {
                    guard let context else { throw .leadingOperator(word, column: column) }
                    throw .missingLicense(after: context, column: column)
                }
                let license = try resolveLicense(word, column: column)
                index += 1
                return .license(license)
            }
        }

        /// The operator at the current token if it is `expected`; throws for an operator in mixed case.
        private func peekOperator(_ expected: Operator) throws(SPDXExpressionError) -> (word: String, column: Int)? {
            guard index < tokens.count, case .word(let word) = tokens[index].token else { return nil }
            if operatorNamed(word) == nil, Operator(rawValue: word.uppercased()) != nil {
                throw .operatorCase(word, column: tokens[index].column)
            }
            return operatorNamed(word) == expected ? (word, tokens[index].column) : nil
        }

        private func operatorNamed(_ word: String) -> Operator? {
            if let op = Operator(rawValue: word) { return op }
            if let op = Operator(rawValue: word.uppercased()), word == op.rawValue.lowercased() { return op }
            return nil
        }

        /// The error for a token that no rule expects where it stands: after an operand, anything but an operator or `)`.
        private func unexpectedToken() throws(SPDXExpressionError) -> SPDXExpressionError {
            let (token, column) = tokens[index]
            if token == .close { return .unbalancedParenthesis(column: column) }
            // A mixed-case operator throws here; one in a known case out of place (a second WITH) is a stray word.
            if case .word = token { _ = try peekOperator(.and) }
            return .missingOperator(after: tokens[index - 1].token.text, found: token.text, column: column)
        }

        // MARK: Ids

        private func resolveLicense(_ word: String, column: Int) throws(SPDXExpressionError) -> License {
            let lowercased = word.lowercased()
            if let id = licensesByLowercasedID[lowercased] { return .listed(id, orLater: false) }
            if lowercased.hasSuffix("+"), let id = licensesByLowercasedID[String(lowercased.dropLast())] {
                return .listed(id, orLater: true)
            }
            if let (document, name) = try reference(word, prefix: "LicenseRef-", column: column) {
                return .reference(document: document, name: name)
            }
            if lowercased == "none" || lowercased == "noassertion" { throw .undecided(word.uppercased()) }
            if let id = exceptionsByLowercasedID[lowercased] { throw .exceptionUsedAsLicense(id) }
            if (try? reference(word, prefix: "AdditionRef-", column: column)) != nil { throw .exceptionUsedAsLicense(word) }
            // `Apache 2.0`: a name split by a space reads as two words; suggest the id both make together.
            if index + 1 < tokens.count, case .word(let next) = tokens[index + 1].token, operatorNamed(next) == nil,
                Operator(rawValue: next.uppercased()) == nil, let suggestion = licenseSuggestion(for: word + next)
            {
                throw .unknownLicense("\(word) \(next)", suggestion: suggestion)
            }
            throw .unknownLicense(word, suggestion: licenseSuggestion(for: word))
        }

        private func resolveAddition(_ word: String, column: Int) throws(SPDXExpressionError) -> Addition {
            let lowercased = word.lowercased()
            if let id = exceptionsByLowercasedID[lowercased] { return .listed(id) }
            if let (document, name) = try reference(word, prefix: "AdditionRef-", column: column) {
                return .reference(document: document, name: name)
            }
            if let id = licensesByLowercasedID[lowercased] { throw .licenseUsedAsException(id) }
            if (try? reference(word, prefix: "LicenseRef-", column: column)) != nil { throw .licenseUsedAsException(word) }
            throw .unknownException(word, suggestion: exceptionSuggestion(for: word))
        }

        /// Reads `[DocumentRef-document:]<prefix>name`; nil if `word` is no reference of any kind.
        private func reference(_ word: String, prefix: String, column: Int) throws(SPDXExpressionError) -> (String?, String)? {
            let documentPrefix = "DocumentRef-"
            var rest = Substring(word)
            var document: String?
            if rest.hasPrefix(documentPrefix) {
                guard let colon = rest.firstIndex(of: ":") else {
                    throw .invalidReference(word, column: column, reason: "a DocumentRef- must be followed by \":\(prefix)\" and a name")
                }
                let name = rest[rest.index(rest.startIndex, offsetBy: documentPrefix.count)..<colon]
                guard SPDXExpressionError.isIDString(name) else {
                    throw .invalidReference(word, column: column, reason: Self.idStringRule(after: documentPrefix))
                }
                document = String(name)
                rest = rest[rest.index(after: colon)...]
                guard rest.hasPrefix(prefix) else {
                    throw .invalidReference(word, column: column, reason: "expected \(prefix) after \"\(documentPrefix)\(name):\"")
                }
            } else if !rest.hasPrefix(prefix) {
                // The spec makes the prefixes case-sensitive: `licenseref-x` is no reference.
                if let expected = [documentPrefix, prefix].first(where: { word.lowercased().hasPrefix($0.lowercased()) }) {
                    throw .invalidReference(word, column: column, reason: "the prefix must be written \(expected)")
                }
                return nil
            }
            let name = rest.dropFirst(prefix.count)
            guard SPDXExpressionError.isIDString(name) else {
                throw .invalidReference(word, column: column, reason: Self.idStringRule(after: prefix))
            }
            return (document, String(name))
        }

        private static func idStringRule(after prefix: String) -> String {
            "\(prefix) must be followed by one or more letters, digits, \".\" or \"-\""
        }
    }
}
