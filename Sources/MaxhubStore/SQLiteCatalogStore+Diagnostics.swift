import GRDB

/// Looks inside the database, for tests and for whoever debugs a catalog; not part of `CatalogStore`.
extension SQLiteCatalogStore {
    /// Runs raw SQL in a write transaction. Errors come back as `CatalogStorageError.database`.
    func execute(sql: String, arguments: [String] = []) async throws {
        try await write { db in try db.execute(sql: sql, arguments: StatementArguments(arguments)) }
    }

    /// The names of the migrations applied to the database, in order.
    func appliedMigrations() async throws -> [String] {
        try await read { db in try CatalogSchema.migrator.appliedMigrations(db) }
    }

    /// SQLite's plan for the two statements of a search (the page, then the count), one line per step.
    func searchPlan(_ query: ModelQuery, visibility: CatalogVisibility) async throws -> [String] {
        let (from, order) = Self.searchSource(query, visibility: visibility)
        return try await read { db in
            let statements: [SQL] = [
                "EXPLAIN QUERY PLAN SELECT \(sql: VersionRow.selection(version: "v", model: "m")) \(from) ORDER BY \(sql: order)",
                "EXPLAIN QUERY PLAN SELECT COUNT(*) \(from)",
            ]
            return try statements.flatMap { statement in
                try SQLRequest<Row>(literal: statement).fetchAll(db).map { row in try row.decode(String.self, forColumn: "detail") }
            }
        }
    }
}
