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
    /// The key of the web catalog's CSRF tokens. `maxhub serve` keeps it in the catalog (`CatalogStore.sharedSecret`),
    /// so that forms outlive a restart and any replica checks them; by default a random one.
    public var webSecret: [UInt8]
    /// Where the catalog lives: nil for `catalog.sqlite` in the data folder, else a PostgreSQL URL,
    /// `postgres://USER[:PASSWORD]@HOST:PORT/DATABASE` (a unix socket with `?host=/FOLDER`).
    public var databaseURL: String?
    /// Where the blobs live: nil for the data folder, else an S3-compatible bucket,
    /// `s3://BUCKET?endpoint=URL&region=REGION` (credentials from `AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY`).
    public var blobsLocation: String?
    /// Whether a download from a store that can give a direct URL (S3's presigned GET) answers `307` to it, rather than
    /// streaming the blob through the hub.
    public var blobRedirect: Bool
    /// How long such a URL stays valid.
    public var blobRedirectLifetime: Duration

    public init(
        dataDirectory: String,
        host: String = "127.0.0.1",
        port: Int = 8080,
        maxUploadSize: Int64 = 16 << 30,
        maxJSONBodySize: Int = 4 << 20,
        anonymousRead: Bool = true,
        resumableUploadLifetime: Duration = .seconds(24 * 3600),
        archiveLimits: ArchiveLimits = ArchiveLimits(maxTotalSize: 64 << 30, maxEntryCount: 100_000),
        logLevel: Logger.Level = .info,
        webSecret: [UInt8] = (0..<32).map { _ in UInt8.random(in: .min ... .max) },
        databaseURL: String? = nil,
        blobsLocation: String? = nil,
        blobRedirect: Bool = true,
        blobRedirectLifetime: Duration = .seconds(300)
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
        self.webSecret = webSecret
        self.databaseURL = databaseURL
        self.blobsLocation = blobsLocation
        self.blobRedirect = blobRedirect
        self.blobRedirectLifetime = blobRedirectLifetime
    }
}
