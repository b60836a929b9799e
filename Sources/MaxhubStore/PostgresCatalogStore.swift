import Foundation
import MaxhubCore
import PostgresNIO

/// The catalog in a PostgreSQL database that several hubs may share, through postgres-nio's connection pool.
///
/// It keeps `SQLiteCatalogStore`'s semantics: the schema (`PostgresSchema`) holds the invariants; every write is one
/// transaction with its audit entry, and where SQLite relies on its single writer this store locks the rows a write
/// decides on (`SELECT ... FOR UPDATE`), so that of two hubs racing for one change exactly one makes it. Every read goes
/// through `PostgresSQL.visible(_:on:)`. Times are kept to the millisecond (`CatalogTime`).
///
/// Open it with `connect(url:)`, which owns the pool's background task, and end it with `shutdown()`.
public final class PostgresCatalogStore: CatalogStore {
    let client: PostgresClient
    let location: PostgresLocation
    let logger: Logger
    private let pool: Task<Void, Never>

    private init(client: PostgresClient, location: PostgresLocation, logger: Logger) {
        self.client = client
        self.location = location
        self.logger = logger
        self.pool = Task { await client.run() }
    }

    deinit {
        pool.cancel()
    }

    /// Connects to the catalog at `url` (`PostgresLocation`: `postgres://USER[:PASSWORD]@HOST:PORT/DATABASE`, or a unix
    /// socket with `?host=/FOLDER`) and brings its schema up to date. Throws `CatalogStorageError.cannotOpen` for a
    /// malformed URL, a server that cannot be reached within the connect timeout (5 seconds unless the URL says
    /// `connect_timeout=`), a refused login, and a database whose schema is newer than this maxhub.
    public static func connect(url: String, logger: Logger = Logger(label: "maxhub.catalog")) async throws -> PostgresCatalogStore {
        let location = try PostgresLocation(parsing: url)
        // One connection of its own first: it fails at once when the server cannot be reached, where the pool would
        // keep trying for a minute, and it applies the migrations before the pool serves anything.
        do {
            let connection = try await PostgresConnection.connect(
                configuration: try location.connectionConfiguration(), id: 0, logger: logger)
            do {
                _ = try await PostgresSchema.migrate(on: connection, location: location, logger: logger)
                try? await connection.close()
            } catch {
                try? await connection.close()
                throw error
            }
        } catch let error as CatalogStorageError {
            throw error
        } catch {
            throw CatalogStorageError.cannotOpen(path: location.description, reason: reason(error))
        }
        // The pool warns when it is asked for a connection before its task runs, which can happen on a first request.
        var background = logger
        background.logLevel = max(logger.logLevel, .error)
        let client = PostgresClient(configuration: location.clientConfiguration, backgroundLogger: background)
        return PostgresCatalogStore(client: client, location: location, logger: logger)
    }

    /// Closes the pool's connections and waits until they are closed; the store serves nothing afterwards.
    public func shutdown() async {
        pool.cancel()
        await pool.value
    }

    public func generation() async throws -> Int64 {
        let rows = try await query("SELECT value FROM catalog_generation WHERE id = 1")
        return try rows.first.map { try $0.makeRandomAccess().value("value", as: Int64.self) } ?? 0
    }

    /// Runs one statement on its own (a transaction of its own) and returns its rows.
    func query(_ statement: PostgresSQL) async throws -> [PostgresRow] {
        try await storage {
            try await client.query(try statement.query, logger: logger).collect()
        }
    }

    /// Runs `body` in a read-only transaction that sees one snapshot of the catalog, for reads of several statements.
    func read<T: Sendable>(_ body: (Session) async throws -> T) async throws -> T {
        try await transaction("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", body)
    }

    /// Runs `body` in one write transaction: everything it does is committed, or nothing if it throws. It runs at READ
    /// COMMITTED: each statement sees what committed before it, and the rows a write decides on are locked.
    func write<T: Sendable>(_ body: (Session) async throws -> T) async throws -> T {
        try await transaction("BEGIN ISOLATION LEVEL READ COMMITTED", body)
    }

    /// One leased connection inside a transaction.
    struct Session {
        let connection: PostgresConnection
        let logger: Logger

        @discardableResult
        func query(_ statement: PostgresSQL) async throws -> [PostgresRow] {
            try await connection.run(try statement.query, logger: logger)
        }
    }

    private func transaction<T: Sendable>(_ begin: PostgresQuery, _ body: (Session) async throws -> T) async throws -> T {
        try await storage {
            try await client.withConnection { connection in
                let session = Session(connection: connection, logger: logger)
                try await connection.run(begin, logger: logger)
                do {
                    let result = try await body(session)
                    try await connection.run("COMMIT", logger: logger)
                    return result
                } catch {
                    _ = try? await connection.run("ROLLBACK", logger: logger)
                    throw error
                }
            }
        }
    }

    /// Runs `body`, turning what postgres-nio throws into `CatalogStorageError`; `CatalogError` passes as it is.
    private func storage<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as PSQLError {
            throw CatalogStorageError(error)
        }
    }

    /// Why a connection failed, in one line: the server's message, or what went wrong on the way to it.
    static func reason(_ error: any Error) -> String {
        if let error = error as? PSQLError { return CatalogStorageError(error).reason }
        if let error = error as? NIOSSLError { return "TLS failed: \(error)" }
        return "\(error)"
    }
}

extension CatalogStorageError {
    init(_ error: PSQLError) {
        if let server = error.serverInfo {
            var message = server[.message] ?? "an error without a message"
            if let detail = server[.detail] { message += " (\(detail))" }
            self = .server(sqlState: server[.sqlState], message: message)
            return
        }
        let reason =
            switch error.code {
            case .connectionError: "cannot connect: \(error.underlying.map { "\($0)" } ?? "the connection failed")"
            case .serverClosedConnection: "the server closed the connection"
            case .clientClosedConnection, .poolClosed: "the catalog is shut down"
            case .queryCancelled: "the query was cancelled"
            case .sslUnsupported: "the server does not offer TLS, which the URL requires (sslmode)"
            case .authMechanismRequiresPassword: "the server asks for a password, and the URL has none"
            case .unsupportedAuthMechanism: "the server asks for an authentication method maxhub does not support"
            default: "\(error.code)\(error.underlying.map { ": \($0)" } ?? "")"
            }
        self = .server(sqlState: nil, message: reason)
    }

    /// The message of a `.server` error, as `cannotOpen` carries it.
    fileprivate var reason: String {
        guard case .server(let sqlState, let message) = self else { return description }
        return sqlState.map { "\(message) (SQLSTATE \($0))" } ?? message
    }
}
