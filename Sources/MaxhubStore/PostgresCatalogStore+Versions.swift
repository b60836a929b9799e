import Foundation
import MaxhubCore
import PostgresNIO

extension PostgresCatalogStore {
    public func publishVersion(_ new: NewVersion) async throws -> VersionRecord {
        let name = new.name.description
        let row = try VersionRow(new, modelID: 0)
        return try await write { session in
            try await session.query(
                "INSERT INTO model (name, created_at) VALUES (\(name), \(PostgresSQL.time(new.publishedAt))) ON CONFLICT (name) DO NOTHING"
            )
            // At READ COMMITTED this sees the model whether this transaction made it or another one committed it first.
            guard let modelID: Int64 = try await session.query("SELECT id FROM model WHERE name = \(name)").first?.makeRandomAccess().value("id")
            else {
                throw CatalogStorageError.unreadableRow(table: "model", id: nil, reason: "\(name) vanished while publishing")
            }
            // Of two publishes of one version, the second waits for the first to commit and then inserts nothing.
            let inserted = try await session.query(
                """
                INSERT INTO version (
                    model_id, version, version_key, precedence, is_release, state, task, description, framework, license_code,
                    license_weights, license_data, archive_digest, archive_size, manifest, published_by, published_at,
                    search_name, search_task, search_description, manifest_file_sha256
                ) VALUES (
                    \(modelID), \(row.version), \(row.versionKey), \(row.precedence), \(row.isRelease), \(row.state), \(row.task),
                    \(row.description), \(row.framework), \(row.licenseCode), \(row.licenseWeights), \(row.licenseData),
                    \(row.archiveDigest), \(row.archiveSize), \(row.manifest)::json, \(row.publishedBy), \(row.publishedAt)::timestamptz,
                    \(PostgresFullText.words(of: name)), \(PostgresFullText.words(of: row.task)),
                    \(PostgresFullText.words(of: row.description)), \(row.manifestFileSHA256)
                )
                ON CONFLICT (model_id, version_key) DO NOTHING
                RETURNING id
                """
            )
            guard let versionID: Int64 = try inserted.first?.makeRandomAccess().value("id") else {
                let existing = try await Self.versionRecord(
                    where: "v.model_id = \(modelID) AND v.version_key = \(row.versionKey)", in: session)
                guard let existing else {
                    throw CatalogStorageError.unreadableRow(table: "version", id: nil, reason: "\(name)@\(row.versionKey) vanished while publishing")
                }
                throw CatalogError.versionExists(existing.name, existing.version, existing.state)
            }
            if let readme = new.readme {
                try await session.query(
                    "INSERT INTO version_readme (version_id, text, truncated) VALUES (\(versionID), \(readme.text), \(readme.truncated))"
                )
            }
            try await AuditEntryRow(
                at: new.publishedAt, actor: new.publishedBy, action: AuditAction.publish, subject: "\(name)@\(new.version)",
                to: .pending
            ).insert(on: session.connection, logger: logger)
            return try await Self.versionRecord(id: versionID, in: session)
        }
    }

    public func versions(of name: ModelName, visibility: CatalogVisibility) async throws -> [VersionRecord] {
        try await query(
            """
            SELECT \(VersionRow.postgresSelection(version: "v", model: "m"))
            FROM version v JOIN model m ON m.id = v.model_id
            WHERE m.name = \(name.description) AND \(PostgresSQL.visible(visibility, on: "v"))
            ORDER BY v.precedence DESC
            """
        ).map(VersionRow.record(postgres:))
    }

    public func version(_ version: Version, of name: ModelName, visibility: CatalogVisibility) async throws -> VersionRecord? {
        try await query(
            """
            SELECT \(VersionRow.postgresSelection(version: "v", model: "m"))
            FROM version v JOIN model m ON m.id = v.model_id
            WHERE m.name = \(name.description) AND v.version_key = \(version.withoutBuild.description)
            AND \(PostgresSQL.visible(visibility, on: "v"))
            """
        ).first.map(VersionRow.record(postgres:))
    }

    public func modelCard(of name: ModelName, version: Version, visibility: CatalogVisibility) async throws -> ModelCard? {
        try await query(
            """
            SELECT r.version_id, r.text, r.truncated
            FROM version v JOIN model m ON m.id = v.model_id JOIN version_readme r ON r.version_id = v.id
            WHERE m.name = \(name.description) AND v.version_key = \(version.withoutBuild.description)
            AND \(PostgresSQL.visible(visibility, on: "v"))
            """
        ).first.map { row in
            let cells = row.makeRandomAccess()
            do {
                return ModelCard(text: try cells.value("text"), truncated: try cells.value("truncated"))
            } catch {
                throw CatalogStorageError.unreadableRow(table: "version_readme", id: try? cells.value("version_id"), reason: "\(error)")
            }
        }
    }

    /// The version with this id, read inside a write.
    static func versionRecord(id: Int64, in session: Session) async throws -> VersionRecord {
        guard let record = try await versionRecord(where: "v.id = \(id)", in: session) else {
            throw CatalogStorageError.unreadableRow(table: "version", id: id, reason: "vanished during a write")
        }
        return record
    }

    /// The one version that `condition` (on `version v` and `model m`) picks, if any.
    static func versionRecord(where condition: PostgresSQL, in session: Session) async throws -> VersionRecord? {
        try await session.query(
            """
            SELECT \(VersionRow.postgresSelection(version: "v", model: "m"))
            FROM version v JOIN model m ON m.id = v.model_id WHERE \(condition)
            """
        ).first.map(VersionRow.record(postgres:))
    }
}
