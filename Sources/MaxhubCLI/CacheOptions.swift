import ArgumentParser
import MaxhubClient

/// Where the package cache is: `--cache`, then `MAXHUB_CACHE`, then config.yaml's `cache`, then `~/.cache/maxhub`.
struct CacheOptions: ParsableArguments {
    @Option(name: .customLong("cache"), help: "The package cache (default: $MAXHUB_CACHE, then config.yaml, else ~/.cache/maxhub).")
    var cache: String?

    func packageCache() throws -> PackageCache {
        if let cache { return PackageCache(root: cache) }
        if Environment.value("MAXHUB_CACHE") == nil, let configured = try Environment.configuration().cache {
            return PackageCache(root: configured)
        }
        return PackageCache(root: PackageCache.defaultRoot())
    }

    /// The puller for this cache and `hub` (`MAXHUB_OFFLINE=1`: from the cache alone).
    func puller(hub: HubOptions, acceptNewDigest: Bool = false, acceptNewKey: Bool = false) throws -> PackagePuller {
        PackagePuller(
            client: try hub.client(), cache: try packageCache(), offline: Environment.offline, acceptNewDigest: acceptNewDigest,
            keyTrust: HubKeyTrust(configured: try hub.configuredHubKeys(), acceptNewKey: acceptNewKey))
    }
}
