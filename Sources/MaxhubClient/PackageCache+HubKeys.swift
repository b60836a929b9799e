import Foundation
import MaxhubCore

/// The hub keys a cache trusts, pinned per hub URL on first contact, in `trust.json` beside the digests first seen:
/// `"hub-key URL FINGERPRINT": PEM`.
extension PackageCache {
    static let hubKeyPrefix = "hub-key "

    /// The keys pinned for the hub at `url`.
    public func pinnedHubKeys(for url: String) -> [HubPublicKey] {
        let prefix = "\(Self.hubKeyPrefix)\(Self.normalized(url)) "
        return loadTrust().filter { $0.key.hasPrefix(prefix) }.sorted { $0.key < $1.key }.compactMap { try? HubPublicKey(pem: $0.value) }
    }

    /// Every pinned key, of any hub.
    public func allPinnedHubKeys() -> [HubPublicKey] {
        Array(Set(loadTrust().filter { $0.key.hasPrefix(Self.hubKeyPrefix) }.compactMap { try? HubPublicKey(pem: $0.value) }))
    }

    /// Pins `keys` for the hub at `url`, beside those pinned before.
    public func pin(_ keys: [HubPublicKey], for url: String) throws {
        var entries = loadTrust()
        for key in keys { entries["\(Self.hubKeyPrefix)\(Self.normalized(url)) \(key.fingerprint)"] = key.pem }
        try saveTrust(entries)
    }

    private static func normalized(_ url: String) -> String {
        var url = url
        while url.hasSuffix("/") { url.removeLast() }
        return url
    }
}

extension PackageCache {
    /// Re-hashes a cached package's files against the signature beside it, under `keys`; the problems found, empty when
    /// the signature covers exactly these files.
    public func verifySignature(_ name: ModelName, _ version: Version, trusting keys: [HubPublicKey]) throws -> [String] {
        let path = signaturePath(name, version)
        guard let bytes = FileManager.default.contents(atPath: path) else {
            return ["no signature beside it (\(path)); pull it again to fetch and check one"]
        }
        do {
            let bundle = try SignatureBundle(json: bytes)
            _ = try bundle.verifyFiles(try SignatureChecker.hashFiles(inFolder: packagePath(name, version)), trusting: keys)
            return []
        } catch let error as SignatureError {
            return ["its signature was refused: \(error)"]
        }
    }
}
