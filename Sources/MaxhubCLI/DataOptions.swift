import ArgumentParser
import Foundation
import Logging
import MaxhubServer
import MaxhubStore

/// Where a hub keeps its data, for `maxhub serve` and the operator's `maxhub admin` commands: the data folder, and the
/// catalog and blob stores when they live elsewhere (PostgreSQL, an S3 bucket).
struct DataOptions: ParsableArguments {
    @Option(name: .customLong("data"), help: "The data folder (default: $MAXHUB_DATA, else ~/.local/share/maxhub).")
    var data: String?

    @Option(
        name: .customLong("database"),
        help: "Keep the catalog in PostgreSQL: 'postgres://USER[:PASSWORD]@HOST:PORT/DB', a unix socket with ?host=/FOLDER (default: $MAXHUB_DATABASE_URL, else DIR/catalog.sqlite).")
    var database: String?

    @Option(
        name: .customLong("blobs"),
        help: ArgumentHelp(
            "Keep the blobs in an S3-compatible bucket: 's3://BUCKET?endpoint=URL&region=REGION' (default: $MAXHUB_BLOBS_URL, else DIR/blobs).",
            discussion: "Credentials come from AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN."))
    var blobs: String?

    var folder: String {
        if let data { return data }
        let environment = ProcessInfo.processInfo.environment
        if let data = environment["MAXHUB_DATA"], !data.isEmpty { return data }
        let base = environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (NSHomeDirectory() as NSString).appendingPathComponent(".local/share")
        return (base as NSString).appendingPathComponent("maxhub")
    }

    var databaseURL: String? {
        if let database { return database }
        return ProcessInfo.processInfo.environment["MAXHUB_DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    var blobsLocation: String? {
        if let blobs { return blobs }
        return ProcessInfo.processInfo.environment["MAXHUB_BLOBS_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    var catalogPath: String { (folder as NSString).appendingPathComponent(HubServer.catalogFileName) }

    /// The hub these options name, for messages (never a database password).
    var hubPlace: String { databaseURL == nil && blobsLocation == nil ? folder : "the hub's stores" }

    /// Runs `body` with the catalog and the blobs of an existing hub, as `maxhub serve` with the same options would
    /// open them; a data folder without a catalog is an error, not a new hub.
    func withStores<Result>(_ body: (any CatalogMaintenance, any BlobMaintenance) async throws -> Result) async throws -> Result {
        try await withCatalog { catalog, logger in
            try await withBlobs(logger: logger) { try await body(catalog, $0) }
        }
    }

    /// Opens the catalog alone (for what needs no blob), as `withStores` does.
    func withCatalog<Result>(_ body: (any CatalogMaintenance, Logger) async throws -> Result) async throws -> Result {
        var logger = Logger(label: "maxhub-admin")
        logger.logLevel = .warning
        if let url = databaseURL {
            let catalog: PostgresCatalogStore
            do {
                catalog = try await PostgresCatalogStore.connect(url: url, logger: logger)
            } catch let error as CatalogStorageError {
                throw CLIFailure("cannot open the catalog: \(error)")
            }
            do {
                let result = try await body(catalog, logger)
                await catalog.shutdown()
                return result
            } catch {
                await catalog.shutdown()
                throw error
            }
        }
        guard FileManager.default.fileExists(atPath: catalogPath) else {
            throw CLIFailure("\(folder) holds no hub (no \(HubServer.catalogFileName)); pass --data DIR, or --database URL", code: .notFound)
        }
        let catalog: SQLiteCatalogStore
        do {
            catalog = try SQLiteCatalogStore(path: catalogPath)
        } catch {
            throw CLIFailure("cannot open \(catalogPath): \(error)")
        }
        return try await body(catalog, logger)
    }

    private func withBlobs<Result>(logger: Logger, _ body: (any BlobMaintenance) async throws -> Result) async throws -> Result {
        guard let location = blobsLocation else { return try await body(FileBlobStore(root: folder)) }
        do {
            return try await body(try await HubServer.openBucket(location, logger: logger))
        } catch HubServerError.cannotStart(let reason) {
            throw CLIFailure("cannot open the blob store: \(reason)")
        }
    }
}
