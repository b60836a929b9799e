import Crypto
import Foundation

/// The statement the OpenSSF model-signing tool signs and verifies: every file of a model folder with its sha256
/// (`predicateType https://model_signing/signature/v1.0`, serialization method `files`).
///
/// The resources are sorted by path, compared component by component as the tool's Python paths are; the subject's
/// digest is the sha256 of their raw digests concatenated in that order. Paths the tool ignores by default (git's)
/// are left out and named in `ignore_paths`, as the tool writes them.
public struct FilesStatement: Sendable, Equatable {
    public static let predicateType = "https://model_signing/signature/v1.0"
    /// What `model_signing` leaves out of a folder unless told otherwise.
    public static let ignoredPaths = [".gitignore", ".github", ".gitattributes", ".git"]

    public var statement: InTotoStatement<Predicate>

    public struct Predicate: Codable, Sendable, Equatable {
        public var serialization: Serialization
        public var resources: [Resource]
    }

    public struct Serialization: Codable, Sendable, Equatable {
        public var method: String
        public var hashType: String
        public var allowSymlinks: Bool
        public var ignorePaths: [String]?

        enum CodingKeys: String, CodingKey {
            case method
            case hashType = "hash_type"
            case allowSymlinks = "allow_symlinks"
            case ignorePaths = "ignore_paths"
        }
    }

    public struct Resource: Codable, Sendable, Equatable {
        public var name: String
        public var algorithm: String
        public var digest: String
    }

    /// The statement for a folder whose files (relative paths with `/`) have these sha256 digests (hex). `subject` names
    /// the model; the tool itself uses the folder's name, and no verifier reads it.
    public init(subject: String, files: [String: String]) {
        let kept = files.filter { !Self.isIgnored($0.key, by: Self.ignoredPaths) }
        let resources = kept.keys.sorted(by: Self.pathPrecedes).map { Resource(name: $0, algorithm: "sha256", digest: kept[$0]!.lowercased()) }
        statement = InTotoStatement(
            subject: .init(name: subject, sha256: Self.rootDigest(of: resources)), predicateType: Self.predicateType,
            predicate: Predicate(
                serialization: Serialization(method: "files", hashType: "sha256", allowSymlinks: false, ignorePaths: Self.ignoredPaths),
                resources: resources))
    }

    /// Reads a signed statement, checking that its subject's digest is that of its resources.
    public init(json bytes: [UInt8]) throws(SignatureError) {
        statement = try InTotoStatement(json: bytes, predicateType: Self.predicateType)
        let serialization = statement.predicate.serialization
        guard serialization.method == "files", serialization.hashType == "sha256" else {
            throw .malformedStatement("it serializes by \(serialization.method) with \(serialization.hashType), not files with sha256")
        }
        for resource in statement.predicate.resources {
            guard resource.algorithm == "sha256", (try? Digest.sha256(hex: resource.digest)) != nil else {
                throw .malformedStatement("\(resource.name) has no sha256 digest")
            }
        }
        let root = Self.rootDigest(of: statement.predicate.resources)
        guard statement.subject[0].digest["sha256"] == root else {
            throw .malformedStatement("its subject's digest is not that of its resources (\(root))")
        }
    }

    public var resources: [Resource] { statement.predicate.resources }
    /// The subject's digest: it names the whole file list.
    public var rootDigest: String { statement.subject[0].digest["sha256"] ?? "" }

    public func json() -> [UInt8] { statement.json() }

    /// How the statement's files differ from `files` (path → sha256 hex), leaving out the paths it ignores; empty when
    /// they are the same.
    public func differences(from files: [String: String]) -> [String] {
        let ignored = statement.predicate.serialization.ignorePaths ?? []
        let actual = files.filter { !Self.isIgnored($0.key, by: ignored) }
        let signed = Dictionary(resources.map { ($0.name, $0.digest) }, uniquingKeysWith: { first, _ in first })
        var problems: [String] = []
        for path in actual.keys.sorted(by: Self.pathPrecedes) {
            guard let digest = signed[path] else {
                problems.append("\(path) is not signed")
                continue
            }
            if digest != actual[path]!.lowercased() { problems.append("\(path) has sha256:\(actual[path]!), the signature says sha256:\(digest)") }
        }
        for path in signed.keys.sorted(by: Self.pathPrecedes) where actual[path] == nil {
            problems.append("\(path) is signed but missing")
        }
        return problems
    }

    static func rootDigest(of resources: [Resource]) -> String {
        var hasher = SHA256()
        for resource in resources {
            var bytes: [UInt8] = []
            var hex = Array(resource.digest.utf8)[...]
            while hex.count >= 2, let byte = UInt8(String(decoding: hex.prefix(2), as: UTF8.self), radix: 16) {
                bytes.append(byte)
                hex = hex.dropFirst(2)
            }
            hasher.update(data: bytes)
        }
        return Digest(hasher.finalize()).hex
    }

    static func isIgnored(_ path: String, by ignored: [String]) -> Bool {
        ignored.contains { path == $0 || path.hasPrefix($0 + "/") }
    }

    /// Python's order of relative paths: component by component, each by code point.
    static func pathPrecedes(_ lhs: String, _ rhs: String) -> Bool {
        let left = lhs.split(separator: "/", omittingEmptySubsequences: false).map { Array($0.unicodeScalars.map(\.value)) }
        let right = rhs.split(separator: "/", omittingEmptySubsequences: false).map { Array($0.unicodeScalars.map(\.value)) }
        for (a, b) in zip(left, right) where a != b {
            return a.lexicographicallyPrecedes(b)
        }
        return left.count < right.count
    }
}
