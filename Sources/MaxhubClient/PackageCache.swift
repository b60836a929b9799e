import Foundation
import MaxhubArchive
import MaxhubCore

/// The client's cache: verified archives by digest, extracted packages by name and version, and the digest first seen
/// for each `name@version` (trust on first use).
///
/// Layout: `blobs/sha256/ab/<hex>`, `packages/<name>/<version>/` and its signature `packages/<name>/<version>.sig`, `tmp/` (`<hex>.partial` while downloading, and
/// extraction folders), `trust.json`. A package folder appears only by rename, once every file has been checked.
public struct PackageCache: Sendable {
    public let root: String

    public init(root: String) {
        self.root = root
    }

    /// `MAXHUB_CACHE`, else `~/.cache/maxhub`.
    public static func defaultRoot(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let root = environment["MAXHUB_CACHE"], !root.isEmpty { return root }
        let base = environment["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (NSHomeDirectory() as NSString).appendingPathComponent(".cache")
        return (base as NSString).appendingPathComponent("maxhub")
    }

    public func blobPath(_ digest: Digest) -> String {
        "\(root)/blobs/sha256/\(digest.hex.prefix(2))/\(digest.hex)"
    }

    public func packagePath(_ name: ModelName, _ version: Version) -> String {
        "\(root)/packages/\(name.fileSystemName)/\(version)"
    }

    /// The hub's signature bundle of a cached package, beside its folder: `model_signing verify key --signature` reads it.
    public func signaturePath(_ name: ModelName, _ version: Version) -> String { packagePath(name, version) + ".sig" }

    var temporaryFolder: String { "\(root)/tmp" }

    /// Where a download of `digest` grows until it is checked.
    public func partialPath(_ digest: Digest) -> String { "\(temporaryFolder)/\(digest.hex).partial" }
    var trustFile: String { "\(root)/trust.json" }

    /// The cached versions of a model (folders that made it into `packages/`).
    public func cachedVersions(of name: ModelName) -> [Version] {
        let folder = "\(root)/packages/\(name.fileSystemName)"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        // A prerelease's signature (`1.0.0-rc.1.sig`) reads as a version too: only folders are packages.
        return names.filter { name in
            var isFolder: ObjCBool = false
            return FileManager.default.fileExists(atPath: "\(folder)/\(name)", isDirectory: &isFolder) && isFolder.boolValue
        }.compactMap { try? Version(parsing: $0) }
    }

    /// Every cached package, by name then version.
    public func cachedPackages() -> [(name: ModelName, version: Version, path: String)] {
        let folder = "\(root)/packages"
        let models = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        var result: [(ModelName, Version, String)] = []
        for model in models.sorted() {
            let text = model.replacingOccurrences(of: "--", with: "/")
            guard let name = try? ModelName(parsing: text) else { continue }
            for version in cachedVersions(of: name).sorted() { result.append((name, version, packagePath(name, version))) }
        }
        return result
    }

    /// Re-hashes a cached package's files against its manifest; the problems found, empty when it is intact.
    public func verifyPackage(_ name: ModelName, _ version: Version) throws -> [String] {
        let path = packagePath(name, version)
        guard FileManager.default.fileExists(atPath: path) else { throw PullError.notCached(name, version.description) }
        let manifest = try Manifest(contentsOfPackage: URL(fileURLWithPath: path))
        return try PackageVerifier.verify(folder: URL(fileURLWithPath: path), against: manifest).map(\.description)
    }

    /// Removes a cached package's folder; false when it was not cached.
    @discardableResult
    public func removePackage(_ name: ModelName, _ version: Version) throws -> Bool {
        let path = packagePath(name, version)
        guard FileManager.default.fileExists(atPath: path) else { return false }
        try FileManager.default.removeItem(atPath: path)
        try? FileManager.default.removeItem(atPath: signaturePath(name, version))
        return true
    }

    // MARK: Trust on first use

    /// The digest first seen for `name@version`, if any.
    public func trustedDigest(_ name: ModelName, _ version: Version) -> Digest? {
        loadTrust()["\(name)@\(version.withoutBuild)"].flatMap { try? Digest(parsing: $0) }
    }

    /// Remembers the digest of `name@version`, replacing what was remembered.
    public func trust(_ digest: Digest, for name: ModelName, _ version: Version) throws {
        var entries = loadTrust()
        entries["\(name)@\(version.withoutBuild)"] = digest.description
        try saveTrust(entries)
    }

    /// `trust.json`: one flat map of strings, `NAME@VERSION` → digest and `hub-key URL FINGERPRINT` → PEM (see
    /// `PackageCache+HubKeys.swift`), so that every client version reads the entries it knows.
    func saveTrust(_ entries: [String: String]) throws {
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try encoder.encode(entries).write(to: URL(fileURLWithPath: trustFile), options: .atomic)
    }

    func loadTrust() -> [String: String] {
        guard let data = FileManager.default.contents(atPath: trustFile) else { return [:] }
        return (try? JSONDecoder().decode([String: String].self, from: data)) ?? [:]
    }
}
