import Logging
import MaxhubArchive

/// How a hub runs: where it keeps its data, where it listens and what it accepts.
public struct HubConfiguration: Sendable {
    /// The data folder: `catalog.sqlite`, `blobs/`, `uploads/` and `admin.token`.
    public var dataDirectory: String
    public var host: String
    /// 0 picks a free port; `HubServer` reports the one it bound.
    public var port: Int
    /// The largest blob an upload may carry.
    public var maxUploadSize: Int64
    /// The largest JSON body (a publish request with its manifest).
    public var maxJSONBodySize: Int
    /// Whether requests without a token may read the catalog and download blobs.
    public var anonymousRead: Bool
    /// How long a resumable upload nobody touches is kept.
    public var resumableUploadLifetime: Duration
    /// What a published archive may hold.
    public var archiveLimits: ArchiveLimits
    public var logLevel: Logger.Level

    public init(
        dataDirectory: String,
        host: String = "127.0.0.1",
        port: Int = 8080,
        maxUploadSize: Int64 = 16 << 30,
        maxJSONBodySize: Int = 4 << 20,
        anonymousRead: Bool = true,
        resumableUploadLifetime: Duration = .seconds(24 * 3600),
        archiveLimits: ArchiveLimits = ArchiveLimits(maxTotalSize: 64 << 30, maxEntryCount: 100_000),
        logLevel: Logger.Level = .info
    ) {
        self.dataDirectory = dataDirectory
        self.host = host
        self.port = port
        self.maxUploadSize = maxUploadSize
        self.maxJSONBodySize = maxJSONBodySize
        self.anonymousRead = anonymousRead
        self.resumableUploadLifetime = resumableUploadLifetime
        self.archiveLimits = archiveLimits
        self.logLevel = logLevel
    }
}
