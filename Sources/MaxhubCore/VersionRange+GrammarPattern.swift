extension VersionRange {
    /// One regular expression that matches exactly the strings `init(parsing:)` accepts.
    ///
    /// It is written for ICU (`NSRegularExpression`), Python's `re` and ECMAScript (JSON Schema's
    /// `pattern`) alike: anchored, no lookbehind, no possessive quantifiers, no `\s` or `\d` (whose meaning
    /// differs between them). The leading lookahead bounds the length to 256 characters of tab or
    /// printable ASCII and also refuses a trailing newline, which `$` alone lets through in ICU and Python.
    /// The manifest schema copies it as the `pattern` of `framework.version`; the tests check it against
    /// the parser on every range of the node-semver corpus, and `scripts/semver-oracle.js` holds a copy.
    public static let grammarPattern: String = {
        let number = "(?:0|[1-9][0-9]{0,\(VersionRangeParser.maximumDigits - 1)})"
        let part = "(?:[xX*]|\(number))"
        let prereleaseIdentifier = "(?:0|[1-9][0-9]*|[0-9]*[A-Za-z-][0-9A-Za-z-]*)"
        let buildIdentifier = "[0-9A-Za-z-]+"
        let qualifier = "(?:-\(prereleaseIdentifier)(?:\\.\(prereleaseIdentifier))*)?"
            + "(?:\\+\(buildIdentifier)(?:\\.\(buildIdentifier))*)?"
        let partial = "v?\(part)(?:\\.\(part)(?:\\.\(part)\(qualifier))?)?"
        let op = "(?:<=?|>=?|=|~>?|\\^)"
        let comparator = "(?:\(op)[ \\t]*)?\(partial)"
        let hyphen = "\(partial)[ \\t]+-[ \\t]+\(partial)"
        let set = "[ \\t]*(?:\(hyphen)|\(comparator)(?:[ \\t]+\(comparator))*)?[ \\t]*"
        return "^(?=[\\t -~]{0,\(VersionRangeParser.maximumLength)}(?![\\s\\S]))\(set)(?:\\|\\|\(set))*$"
    }()
}
