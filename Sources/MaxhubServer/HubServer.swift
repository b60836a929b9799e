import CMemory
import Foundation
import Hummingbird
import Logging
import MaxhubCore
import MaxhubStore

/// `maxhub serve`: opens (or creates) the data folder, the catalog (SQLite in the folder, or PostgreSQL) and the blob
/// store (the folder, or an S3 bucket), makes the first admin token on an empty hub, removes what dead uploads left,
/// and runs the hub until SIGINT or SIGTERM.
public enum HubServer {
    public static let catalogFileName = "catalog.sqlite"
    public static let adminTokenFileName = "admin.token"
    public static let webSecretFileName = "web.secret"

    /// Runs the hub. `announce` receives the URL once the server listens, and the admin token when one was made.
    public static func run(
        _ configuration: HubConfiguration,
        announce: @escaping @Sendable (HubAnnouncement) -> Void
    ) async throws {
        var logger = Logger(label: "maxhub")
        logger.logLevel = configuration.logLevel
        // Blob chunks are 64 KiB to 1 MiB and are freed on another thread than the one that made them: a fixed mmap
        // threshold and two arenas keep glibc from holding on to them, so the hub's memory stays flat however much it
        // streams (bench/hub-transfer.sh).
        maxhub_fix_mmap_threshold(128 << 10)
        try FileManager.default.createDirectory(atPath: configuration.dataDirectory, withIntermediateDirectories: true)
        if let url = configuration.databaseURL {
            let catalog: PostgresCatalogStore
            do {
                catalog = try await PostgresCatalogStore.connect(url: url, logger: logger)
            } catch let error as CatalogStorageError {
                throw HubServerError.cannotStart(error.description)
            }
            logger.info("catalog in PostgreSQL")
            do {
                try await serve(configuration, catalog: catalog, logger: logger, announce: announce)
            } catch {
                await catalog.shutdown()
                throw error
            }
            await catalog.shutdown()
        } else {
            let catalog = try SQLiteCatalogStore(path: (configuration.dataDirectory as NSString).appendingPathComponent(catalogFileName))
            try await serve(configuration, catalog: catalog, logger: logger, announce: announce)
        }
    }

    /// Serves the catalog with the blob store the configuration names.
    private static func serve(
        _ configuration: HubConfiguration, catalog: some CatalogStore, logger: Logger,
        announce: @escaping @Sendable (HubAnnouncement) -> Void
    ) async throws {
        if let location = configuration.blobsLocation {
            let blobs = try await openBucket(location, logger: logger)
            try await serve(configuration, catalog: catalog, blobs: blobs, logger: logger, announce: announce)
        } else {
            let blobs = FileBlobStore(root: configuration.dataDirectory)
            try await serve(configuration, catalog: catalog, blobs: blobs, logger: logger, announce: announce)
        }
    }

    private static func serve(
        _ configuration: HubConfiguration, catalog: some CatalogStore, blobs: some BlobStore, logger: Logger,
        announce: @escaping @Sendable (HubAnnouncement) -> Void
    ) async throws {
        let removed = try await blobs.removeAbandonedUploads(resumableOlderThan: configuration.resumableUploadLifetime)
        if removed > 0 { logger.info("removed abandoned uploads", metadata: ["count": "\(removed)"]) }
        let adminToken = try await bootstrapAdmin(catalog: catalog, dataDirectory: configuration.dataDirectory, logger: logger)
        var configuration = configuration
        configuration.webSecret = try await webSecret(catalog: catalog, dataDirectory: configuration.dataDirectory)
        // The key approvals are signed with, made on the first start (by one hub of several starting together).
        let signingKey = try await catalog.signingKeysMakingTheFirst().last
        logger.info("signing approvals", metadata: ["key": "\(signingKey?.fingerprint ?? "none")"])
        // Versions approved before the hub signed approvals are signed from their recorded reviews, while it serves.
        let signer = ApprovalSigner(catalog: catalog, blobs: blobs, limits: configuration.archiveLimits)
        let backfill = Task {
            do {
                let signed = try await signer.signUnsigned(logger: logger)
                if signed > 0 { logger.info("signed versions approved before the hub signed approvals", metadata: ["count": "\(signed)"]) }
            } catch {
                logger.error("cannot sign the versions approved before the hub signed approvals", metadata: ["error": "\(error)"])
            }
        }
        defer { backfill.cancel() }
        let host = configuration.host
        let app = buildApplication(configuration: configuration, catalog: catalog, blobs: blobs, logger: logger) { port in
            announce(HubAnnouncement(url: "http://\(host.contains(":") ? "[\(host)]" : host):\(port)", adminToken: adminToken))
        }
        try await app.runService()
    }

    /// The S3 store at `location`, once it has answered a listing with the environment's credentials: a store that
    /// is unreachable, unknown or refuses them stops the hub before it listens.
    public static func openBucket(_ location: String, logger: Logger) async throws -> S3BlobStore {
        let parsed: S3Bucket.Location
        do {
            parsed = try S3Bucket.Location(parsing: location)
        } catch {
            throw HubServerError.cannotStart(error.description)
        }
        let environment = ProcessInfo.processInfo.environment
        guard let key = environment["AWS_ACCESS_KEY_ID"], !key.isEmpty, let secret = environment["AWS_SECRET_ACCESS_KEY"],
            !secret.isEmpty
        else {
            throw HubServerError.cannotStart("the blob store \(parsed) needs AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY")
        }
        let token = environment["AWS_SESSION_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
        let bucket = S3Bucket(location: parsed, credentials: .init(accessKeyID: key, secretAccessKey: secret, sessionToken: token))
        do {
            try await bucket.check()
        } catch let error as S3Error {
            throw HubServerError.cannotStart(error.description)
        }
        logger.info("blobs in an object store", metadata: ["store": "\(parsed)"])
        return S3BlobStore(bucket: bucket)
    }

    /// On a catalog without tokens, makes an admin token and writes it to `DIR/admin.token` (mode 0600). Returns the
    /// secret when this process made it: of replicas starting together on one empty catalog, one does.
    static func bootstrapAdmin(catalog: some CatalogStore, dataDirectory: String, logger: Logger) async throws -> String? {
        guard try await catalog.tokenCount() == 0 else { return nil }
        let path = (dataDirectory as NSString).appendingPathComponent(adminTokenFileName)
        let secret = TokenSecret.generate()
        // Written before the token exists, so that a crash between the two leaves the secret on disk, never a token
        // nobody holds; it becomes admin.token only when the catalog took it.
        let pending = path + ".new"
        try writePrivateFile(pending, contents: secret + "\n")
        let made = try await catalog.createFirstToken(
            NewToken(user: "admin", roles: [.admin], hash: TokenSecret.hash(of: secret), createdBy: "maxhub serve", createdAt: Date()))
        guard made != nil else {
            unlink(pending)
            return nil
        }
        guard rename(pending, path) == 0 else { throw HubServerError.cannotWrite(path, errno) }
        logger.info("created the first admin token", metadata: ["file": "\(path)"])
        return secret
    }

    /// The key of the web catalog's CSRF tokens, kept in the catalog so that every replica signs and checks forms
    /// alike, and open forms survive a restart; made on the first start. A data folder from before keeps the key of
    /// its `DIR/web.secret`.
    static func webSecret(catalog: some CatalogStore, dataDirectory: String) async throws -> [UInt8] {
        let path = (dataDirectory as NSString).appendingPathComponent(webSecretFileName)
        if let text = try? String(contentsOfFile: path, encoding: .utf8),
            let data = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)),
            data.count >= 32
        {
            return try await catalog.sharedSecret("web", proposal: Array(data))
        }
        var generator = SystemRandomNumberGenerator()
        return try await catalog.sharedSecret("web", proposal: (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
    }

    /// Writes a file only its owner can read, replacing any earlier one.
    static func writePrivateFile(_ path: String, contents: String) throws {
        let temporary = path + ".tmp"
        unlink(temporary)
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard descriptor >= 0 else { throw HubServerError.cannotWrite(path, errno) }
        let bytes = Array(contents.utf8)
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        let synced = fsync(descriptor)
        close(descriptor)
        guard written == bytes.count, synced == 0, rename(temporary, path) == 0 else {
            unlink(temporary)
            throw HubServerError.cannotWrite(path, errno)
        }
    }
}

public enum HubServerError: Error, CustomStringConvertible {
    case cannotWrite(String, Int32)
    /// Configuration the hub cannot run with, found before it listens.
    case cannotStart(String)

    public var description: String {
        switch self {
        case .cannotWrite(let path, let code): "cannot write \(path): \(String(cString: strerror(code)))"
        case .cannotStart(let reason): reason
        }
    }
}
