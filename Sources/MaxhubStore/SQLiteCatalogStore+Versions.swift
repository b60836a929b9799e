import Foundation
import GRDB
import MaxhubCore

extension SQLiteCatalogStore {
    public func publishVersion(_ new: NewVersion) async throws -> VersionRecord {
        try await write { db in
            let name = new.name.description
            try db.execute(
                literal: """
                    INSERT INTO model (name, created_at) VALUES (\(name), \(CatalogTime.text(new.publishedAt)))
                    ON CONFLICT (name) DO NOTHING
                    """
            )
            let modelID: SQLRequest<Int64> = "SELECT id FROM model WHERE name = \(name)"
            guard let modelID = try modelID.fetchOne(db) else {
                throw CatalogStorageError.unreadableRow(table: "model", id: nil, reason: "\(name) vanished while publishing")
            }
            var row = try VersionRow(new, modelID: modelID)
            do {
                try row.insert(db)
            } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE {
                let existing: SQLRequest<Row> = """
                    SELECT \(sql: VersionRow.selection(version: "v", model: "m"))
                    FROM version v JOIN model m ON m.id = v.model_id
                    WHERE v.model_id = \(modelID) AND v.version_key = \(row.versionKey)
                    """
                guard let found = try existing.fetchOne(db) else { throw error }
                let record = try VersionRow.record(from: found)
                throw CatalogError.versionExists(record.name, record.version, record.state)
            }
            if let readme = new.readme, let versionID = row.id {
                try db.execute(
                    literal: "INSERT INTO version_readme (version_id, text, truncated) VALUES (\(versionID), \(readme.text), \(readme.truncated))"
                )
            }
            var audit = AuditEntryRow(
                at: new.publishedAt, actor: new.publishedBy, action: AuditAction.publish, subject: "\(name)@\(new.version)",
                to: .pending
            )
            try audit.insert(db)
            return try row.record(modelName: name)
        }
    }

    public func versions(of name: ModelName, visibility: CatalogVisibility) async throws -> [VersionRecord] {
        try await read { db in
            let request: SQLRequest<Row> = """
                SELECT \(sql: VersionRow.selection(version: "v", model: "m"))
                FROM version v JOIN model m ON m.id = v.model_id
                WHERE m.name = \(name.description) AND \(visibility.sqlPredicate(on: "v"))
                ORDER BY v.precedence DESC
                """
            return try request.fetchAll(db).map(VersionRow.record(from:))
        }
    }

    public func version(_ version: Version, of name: ModelName, visibility: CatalogVisibility) async throws -> VersionRecord? {
        try await read { db in
            let request: SQLRequest<Row> = """
                SELECT \(sql: VersionRow.selection(version: "v", model: "m"))
                FROM version v JOIN model m ON m.id = v.model_id
                WHERE m.name = \(name.description) AND v.version_key = \(version.withoutBuild.description)
                AND \(visibility.sqlPredicate(on: "v"))
                """
            return try request.fetchOne(db).map(VersionRow.record(from:))
        }
    }

    public func modelCard(of name: ModelName, version: Version, visibility: CatalogVisibility) async throws -> ModelCard? {
        try await read { db in
            let request: SQLRequest<Row> = """
                SELECT r.text, r.truncated
                FROM version v JOIN model m ON m.id = v.model_id JOIN version_readme r ON r.version_id = v.id
                WHERE m.name = \(name.description) AND v.version_key = \(version.withoutBuild.description)
                AND \(visibility.sqlPredicate(on: "v"))
                """
            return try request.fetchOne(db).map { row in
                ModelCard(text: try row.decode(String.self, forColumn: "text"), truncated: try row.decode(Bool.self, forColumn: "truncated"))
            }
        }
    }
}
