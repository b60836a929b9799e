import Foundation
import GRDB
import MaxhubCore

/// The embedded catalog: SQLite through GRDB, in one file in WAL mode (or in memory for tests).
///
/// The schema (`CatalogSchema`) holds the invariants; every write is one transaction with its audit entry, and every
/// read goes through `CatalogVisibility.sqlPredicate(on:)`. Times are kept to the millisecond (`CatalogTime`).
public final class SQLiteCatalogStore: CatalogStore {
    /// A `DatabasePool` on disk, a `DatabaseQueue` in memory.
    let database: any DatabaseWriter

    /// Opens (creating it if needed) the catalog in the SQLite file at `path` and brings its schema up to date. The
    /// folder must exist.
    public convenience init(path: String) throws {
        let pool: DatabasePool
        do {
            pool = try DatabasePool(path: path, configuration: Self.configuration)
        } catch {
            throw CatalogStorageError.cannotOpen(path: path, reason: Self.reason(error))
        }
        try self.init(database: pool, path: path)
    }

    /// A new, empty catalog that lives in memory until the store is released.
    public static func inMemory() throws -> SQLiteCatalogStore {
        let queue: DatabaseQueue
        do {
            queue = try DatabaseQueue(configuration: configuration)
        } catch {
            throw CatalogStorageError.cannotOpen(path: ":memory:", reason: reason(error))
        }
        return try SQLiteCatalogStore(database: queue, path: ":memory:")
    }

    private init(database: any DatabaseWriter, path: String) throws {
        self.database = database
        do {
            try CatalogSchema.migrator.migrate(database)
        } catch {
            throw CatalogStorageError.cannotOpen(path: path, reason: Self.reason(error))
        }
    }

    private static var configuration: Configuration {
        var configuration = Configuration()
        configuration.label = "maxhub.catalog"
        configuration.foreignKeysEnabled = true
        // Another process (a backup, the sqlite3 shell) may hold the write lock for a moment.
        configuration.busyMode = .timeout(10)
        return configuration
    }

    /// Runs `body` on a consistent snapshot of the catalog.
    func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await database.read(body)
        } catch let error as DatabaseError {
            throw CatalogStorageError(error)
        }
    }

    /// Runs `body` in one write transaction: everything it does is committed, or nothing if it throws.
    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await database.write(body)
        } catch let error as DatabaseError {
            throw CatalogStorageError(error)
        }
    }

    public func generation() async throws -> Int64 {
        try await read { db in
            try Int64.fetchOne(db, sql: "SELECT value FROM catalog_generation WHERE id = 1") ?? 0
        }
    }

    private static func reason(_ error: any Error) -> String {
        (error as? DatabaseError).map { CatalogStorageError($0).description } ?? "\(error)"
    }
}

extension CatalogStorageError {
    init(_ error: DatabaseError) {
        self = .database(code: error.extendedResultCode.rawValue, message: error.message ?? error.description)
    }
}
