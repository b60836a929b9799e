/// Why a string is not an ``SPDXExpression`` the hub accepts; its description is one sentence that names the problem.
///
/// Columns are 1-based positions in characters; at the end of the text, one past its last character.
public enum SPDXExpressionError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The text is empty or blank.
    case empty
    /// The text has more characters than the manifest schema allows.
    case tooLong(maximum: Int)
    /// An id that is neither on the SPDX License List nor a `LicenseRef-`; `suggestion` is a listed id it resembles.
    case unknownLicense(String, suggestion: String?)
    /// An id after `WITH` that is neither an exception on the SPDX License List nor an `AdditionRef-`.
    case unknownException(String, suggestion: String?)
    /// A listed exception or an `AdditionRef-` where a license belongs (`Classpath-exception-2.0 OR MIT`).
    case exceptionUsedAsLicense(String)
    /// A listed license or a `LicenseRef-` after `WITH`, where an exception belongs (`GPL-2.0-only WITH MIT`).
    case licenseUsedAsException(String)
    /// `NONE` or `NOASSERTION`: valid in SPDX documents, but they record that nobody decided.
    case undecided(String)
    /// A malformed `LicenseRef-`, `DocumentRef-` or `AdditionRef-` reference.
    case invalidReference(String, column: Int, reason: String)
    /// An operator in mixed case (`And`); SPDX operators are all upper or all lower case.
    case operatorCase(String, column: Int)
    /// An operator or the end of the text where a license must come next.
    case missingLicense(after: String, column: Int)
    /// `WITH` not followed by an exception.
    case missingException(after: String, column: Int)
    /// The text starts with an operator.
    case leadingOperator(String, column: Int)
    /// Two operands in a row (`MIT Apache-2.0`), or a stray word or `(` after a complete operand (`MIT WITH x WITH y`).
    case missingOperator(after: String, found: String, column: Int)
    /// A `(` never closed, or a `)` never opened; the column is that parenthesis's.
    case unbalancedParenthesis(column: Int)
    /// `WITH` after a parenthesized expression; an exception applies to one license.
    case withAfterParenthesis(column: Int)

    public var description: String {
        switch self {
        case .empty:
            "the license expression is empty"
        case .tooLong(let maximum):
            "the license expression is longer than \(maximum) characters"
        case .unknownLicense(let id, let suggestion):
            if let suggestion {
                "unknown SPDX license \"\(id)\"; did you mean \"\(suggestion)\"?"
            } else if Self.isIDString(id) {
                "unknown SPDX license \"\(id)\"; for a license not on the SPDX License List "
                    + "\(SPDXExpression.licenseListVersion), write LicenseRef-\(id)"
            } else {
                "unknown SPDX license \"\(id)\""
            }
        case .unknownException(let id, let suggestion):
            if let suggestion {
                "unknown SPDX exception \"\(id)\"; did you mean \"\(suggestion)\"?"
            } else if Self.isIDString(id) {
                "unknown SPDX exception \"\(id)\"; for an exception not on the SPDX License List "
                    + "\(SPDXExpression.licenseListVersion), write AdditionRef-\(id)"
            } else {
                "unknown SPDX exception \"\(id)\""
            }
        case .exceptionUsedAsLicense(let id):
            "\"\(id)\" is an exception, not a license; write it after a license and WITH"
        case .licenseUsedAsException(let id):
            "\"\(id)\" is a license, not an exception; only an SPDX exception or an AdditionRef- may follow WITH"
        case .undecided(let value):
            "\(value) is not accepted: name the license, with a LicenseRef- id if it is not on the SPDX License List"
        case .invalidReference(let reference, let column, let reason):
            "invalid reference \"\(reference)\" at column \(column): \(reason)"
        case .operatorCase(let word, let column):
            "operator \"\(word)\" at column \(column) must be all upper case or all lower case"
        case .missingLicense(let after, let column):
            "expected a license after \"\(after)\" at column \(column)"
        case .missingException(let after, let column):
            "expected an exception after \"\(after)\" at column \(column)"
        case .leadingOperator(let word, let column):
            "expected a license before \"\(word)\" at column \(column)"
        case .missingOperator(let after, let found, let column):
            "expected AND or OR between \"\(after)\" and \"\(found)\" at column \(column)"
        case .unbalancedParenthesis(let column):
            "unbalanced parenthesis at column \(column)"
        case .withAfterParenthesis(let column):
            "WITH at column \(column) must follow a single license, not a parenthesized expression"
        }
    }

    /// Whether `text` is an SPDX `idstring` (letters, digits, `.` and `-`), so that a reference made of it is valid.
    static func isIDString(_ text: some StringProtocol) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == 0x2D || byte == 0x2E
        }
    }
}
