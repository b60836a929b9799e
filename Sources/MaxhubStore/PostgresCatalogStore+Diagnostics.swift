import PostgresNIO

/// Looks inside the database, for tests and for whoever debugs a catalog; not part of `CatalogStore`.
extension PostgresCatalogStore {
    /// Runs one raw statement, its parameters `$1`, `$2`, ... bound to `arguments`, in a write transaction. Errors come
    /// back as `CatalogStorageError.server`.
    func execute(sql: String, arguments: [String] = []) async throws {
        var bindings = PostgresBindings()
        for argument in arguments { bindings.append(argument) }
        let statement = PostgresQuery(unsafeSQL: sql, binds: bindings)
        try await write { session in
            try await session.connection.run(statement, logger: session.logger)
            return ()
        }
    }

    /// The names of the migrations applied to the database, in order.
    func appliedMigrations() async throws -> [String] {
        try await query("SELECT name FROM maxhub_migration ORDER BY position").map { try $0.makeRandomAccess().value("name") }
    }
}
