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
        var parser = try SPDXExpressionParser(text)
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
