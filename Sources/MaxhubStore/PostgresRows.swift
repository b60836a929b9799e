import PostgresNIO

/// PostgreSQL rows read into the catalog's row types, so that both stores check what they read back the same way
/// (`VersionRow.record(modelName:reviewJSON:)`, `TokenRow.record`, `AuditEntryRow.entry`). Times come back as
/// `CatalogTime` text (`PostgresSQL.timeText`).
extension VersionRow {
    /// The selection that `record(postgres:)` reads, as `selection(version:model:)` for SQLite: the columns of
    /// `version` (as `alias`) that the record holds, the model's name, and the version's review as a JSON object.
    static func postgresSelection(version alias: String, model modelAlias: String) -> PostgresSQL {
        let columns = [
            "id", "model_id", "version", "version_key", "precedence", "is_release", "state", "task", "description", "framework",
            "license_code", "license_weights", "license_data", "archive_digest", "archive_size", "published_by", "yank_reason",
            "manifest_file_sha256",
        ]
        return """
            \(sql: columns.map { "\(alias).\($0)" }.joined(separator: ", ")), \(sql: alias).manifest::text AS manifest,
            \(PostgresSQL.timeText("\(alias).published_at")) AS published_at, \(sql: modelAlias).name AS model_name,
            (SELECT json_build_object('reviewer', r.reviewer, 'decision', r.decision, 'license_code', r.license_code,
                                      'license_weights', r.license_weights, 'license_data', r.license_data, 'note', r.note,
                                      'reviewed_at', \(PostgresSQL.timeText("r.reviewed_at")))::text
             FROM review r WHERE r.version_id = \(sql: alias).id) AS review_json
            """
    }

    /// A version with its model's name, from a row of `postgresSelection(version:model:)`.
    static func record(postgres row: PostgresRow) throws -> VersionRecord {
        let cells = row.makeRandomAccess()
        let stored: VersionRow
        let modelName: String
        let reviewJSON: String?
        do {
            stored = try VersionRow(postgres: cells)
            modelName = try cells.value("model_name")
            reviewJSON = try cells.value("review_json")
        } catch {
            throw CatalogStorageError.unreadableRow(table: databaseTableName, id: try? cells.value("id"), reason: "\(error)")
        }
        return try stored.record(modelName: modelName, reviewJSON: reviewJSON)
    }

    private init(postgres cells: PostgresRandomAccessRow) throws {
        id = try cells.value("id")
        modelID = try cells.value("model_id")
        version = try cells.value("version")
        versionKey = try cells.value("version_key")
        precedence = try cells.value("precedence")
        isRelease = try cells.value("is_release")
        state = try cells.value("state")
        task = try cells.value("task")
        description = try cells.value("description")
        framework = try cells.value("framework")
        licenseCode = try cells.value("license_code")
        licenseWeights = try cells.value("license_weights")
        licenseData = try cells.value("license_data")
        archiveDigest = try cells.value("archive_digest")
        archiveSize = try cells.value("archive_size")
        manifest = try cells.value("manifest")
        publishedBy = try cells.value("published_by")
        publishedAt = try cells.value("published_at")
        yankReason = try cells.value("yank_reason")
        manifestFileSHA256 = try cells.value("manifest_file_sha256")
    }
}

extension TokenRow {
    /// The selection that `init(postgres:)` reads.
    static var postgresSelection: PostgresSQL {
        """
        id, user_name, roles, hash, created_by, \(PostgresSQL.timeText("created_at")) AS created_at,
        \(PostgresSQL.timeText("revoked_at")) AS revoked_at, \(PostgresSQL.timeText("expires_at")) AS expires_at
        """
    }

    /// A token from a row of `postgresSelection`.
    init(postgres row: PostgresRow) throws {
        let cells = row.makeRandomAccess()
        do {
            id = try cells.value("id")
            user = try cells.value("user_name")
            roles = try cells.value("roles")
            hash = try cells.value("hash")
            createdBy = try cells.value("created_by")
            createdAt = try cells.value("created_at")
            revokedAt = try cells.value("revoked_at")
            expiresAt = try cells.value("expires_at")
        } catch {
            throw CatalogStorageError.unreadableRow(table: Self.databaseTableName, id: try? cells.value("id"), reason: "\(error)")
        }
    }
}

extension AuditEntryRow {
    /// The selection that `init(postgres:)` reads.
    static var postgresSelection: PostgresSQL {
        "id, \(PostgresSQL.timeText("at")) AS at, actor, action, subject, from_state, to_state, detail"
    }

    /// An audit entry from a row of `postgresSelection`.
    init(postgres row: PostgresRow) throws {
        let cells = row.makeRandomAccess()
        do {
            id = try cells.value("id")
            at = try cells.value("at")
            actor = try cells.value("actor")
            action = try cells.value("action")
            subject = try cells.value("subject")
            fromState = try cells.value("from_state")
            toState = try cells.value("to_state")
            detail = try cells.value("detail")
        } catch {
            throw CatalogStorageError.unreadableRow(table: Self.databaseTableName, id: try? cells.value("id"), reason: "\(error)")
        }
    }

    /// Appends the entry to the log, in the transaction of the write it records.
    func insert(on connection: PostgresConnection, logger: Logger) async throws {
        let statement: PostgresSQL = """
            INSERT INTO audit_entry (at, actor, action, subject, from_state, to_state, detail)
            VALUES (\(at)::timestamptz, \(actor), \(action), \(subject), \(fromState), \(toState), \(detail))
            """
        try await connection.run(try statement.query, logger: logger)
    }
}

extension PostgresRandomAccessRow {
    /// The value of the column `name`, or `Unreadable` naming the column that does not hold one.
    func value<T: PostgresDecodable>(_ name: String, as type: T.Type = T.self) throws -> T {
        guard contains(name) else { throw Unreadable("no column \(name)") }
        do {
            return try self[name].decode(T.self)
        } catch {
            throw Unreadable("column \(name) does not hold a \(T.self)")
        }
    }
}
