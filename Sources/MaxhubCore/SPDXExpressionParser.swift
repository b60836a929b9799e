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
struct SPDXExpressionParser {
    typealias Node = SPDXExpression.Node
    typealias License = SPDXExpression.License
    typealias Addition = SPDXExpression.Addition

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
        let characters = Array(text.prefix(SPDXExpression.maximumLength + 1))
        guard characters.count <= SPDXExpression.maximumLength else {
            throw .tooLong(maximum: SPDXExpression.maximumLength)
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
        if let id = SPDXExpression.licensesByLowercasedID[lowercased] { return .listed(id, orLater: false) }
        if lowercased.hasSuffix("+"), let id = SPDXExpression.licensesByLowercasedID[String(lowercased.dropLast())] {
            return .listed(id, orLater: true)
        }
        if let (document, name) = try reference(word, prefix: "LicenseRef-", column: column) {
            return .reference(document: document, name: name)
        }
        if lowercased == "none" || lowercased == "noassertion" { throw .undecided(word.uppercased()) }
        if let id = SPDXExpression.exceptionsByLowercasedID[lowercased] { throw .exceptionUsedAsLicense(id) }
        if (try? reference(word, prefix: "AdditionRef-", column: column)) != nil { throw .exceptionUsedAsLicense(word) }
        // `Apache 2.0`: a name split by a space reads as two words; suggest the id both make together.
        if index + 1 < tokens.count, case .word(let next) = tokens[index + 1].token, operatorNamed(next) == nil,
            Operator(rawValue: next.uppercased()) == nil, let suggestion = SPDXExpression.licenseSuggestion(for: word + next)
        {
            throw .unknownLicense("\(word) \(next)", suggestion: suggestion)
        }
        throw .unknownLicense(word, suggestion: SPDXExpression.licenseSuggestion(for: word))
    }

    private func resolveAddition(_ word: String, column: Int) throws(SPDXExpressionError) -> Addition {
        let lowercased = word.lowercased()
        if let id = SPDXExpression.exceptionsByLowercasedID[lowercased] { return .listed(id) }
        if let (document, name) = try reference(word, prefix: "AdditionRef-", column: column) {
            return .reference(document: document, name: name)
        }
        if let id = SPDXExpression.licensesByLowercasedID[lowercased] { throw .licenseUsedAsException(id) }
        if (try? reference(word, prefix: "LicenseRef-", column: column)) != nil { throw .licenseUsedAsException(word) }
        throw .unknownException(word, suggestion: SPDXExpression.exceptionSuggestion(for: word))
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
