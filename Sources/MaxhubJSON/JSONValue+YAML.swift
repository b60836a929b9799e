import Foundation
import Yams

extension JSONValue {
    /// The most nodes a YAML document may expand to once aliases are followed (a guard against alias bombs).
    public static let maximumYAMLNodeCount = 1_000_000

    /// Reads a YAML document the way PyYAML's `yaml.safe_load` does, for the documents a manifest uses.
    ///
    /// Plain scalars resolve with YAML 1.1's rules, as in PyYAML: `1` is an integer, `1.0` a float,
    /// `1e5` and `1.2.0` strings, `true`/`yes`/`on` and their negations booleans, `null`, `~` and
    /// nothing at all null; quoted scalars are always strings. Explicit tags `!!str`, `!!int`,
    /// `!!float`, `!!bool`, `!!null`, `!!seq` and `!!map` are honoured; other tags are an error.
    /// Anchors, aliases and merge keys (`<<`) work as in PyYAML. Unlike PyYAML, a repeated key is an
    /// error, mapping keys must be strings, and timestamps stay strings. An empty document is `null`.
    public init(yaml: String) throws(JSONValueError) {
        // Yams builds a chain of aliases (`b: &b [*a]`, `c: &c [*b]`, ...) by recursion; tens of thousands
        // exhaust the stack before any limit below can act. Real manifests use a handful.
        guard Self.aliasLikeTokenCount(in: yaml) <= Self.maximumYAMLAliasCount else {
            throw .documentTooLarge(reason: "more than \(Self.maximumYAMLAliasCount) aliases")
        }
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml, Self.pyYAMLResolver)
        } catch let error as YamlError {
            if case .duplicatedKeysInMapping(let duplicates, let context) = error {
                throw .duplicateYAMLKeys(duplicates, line: context.mark.line)
            }
            throw .invalidYAML(error.description)
        } catch {
            throw .invalidYAML(String(describing: error))
        }
        guard let root else {
            self = .null
            return
        }
        var converter = YAMLConverter()
        self = try converter.convert(root)
    }

    /// The most aliases (`*name`) a YAML document may use.
    public static let maximumYAMLAliasCount = 1_000

    /// An upper bound on the aliases in a YAML text: each `*` that starts a token (after a line start, a
    /// space or tab, or one of `[`, `{`, `,`) and is followed by something other than a space.
    static func aliasLikeTokenCount(in yaml: String) -> Int {
        let separators: Set<UInt8> = [0x0A, 0x0D, 0x20, 0x09, UInt8(ascii: "["), UInt8(ascii: "{"), UInt8(ascii: ",")]
        let spaces: Set<UInt8> = [0x0A, 0x0D, 0x20, 0x09]
        var count = 0
        var previous: UInt8 = 0x0A
        var candidate = false
        for byte in yaml.utf8 {
            if candidate && !spaces.contains(byte) {
                count += 1
            }
            candidate = byte == UInt8(ascii: "*") && separators.contains(previous)
            previous = byte
        }
        return count
    }

    /// Yams' default rules, with PyYAML's (YAML 1.1) rules for integers and floats: a float needs a dot,
    /// an exponent needs a sign, and `0o` is not an octal prefix.
    static let pyYAMLResolver: Resolver = {
        let int = "^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+"
            + "|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$"
        let float = "^(?:[-+]?(?:[0-9][0-9_]*)\\.[0-9_]*(?:[eE][-+][0-9]+)?|\\.[0-9_]+(?:[eE][-+][0-9]+)?"
            + "|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\\.[0-9_]*|[-+]?\\.(?:inf|Inf|INF)|\\.(?:nan|NaN|NAN))$"
        do {
            return try Resolver.default.replacing(.int, with: int).replacing(.float, with: float)
        } catch {
            // Both patterns are constants that compile; keep Yams' rules if that ever changes.
            return .default
        }
    }()
}
