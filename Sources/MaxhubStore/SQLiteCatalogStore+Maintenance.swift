import Foundation
import GRDB
import MaxhubCore

/// What the operator's maintenance (`maxhub admin fsck`, `gc` and `backup`) asks of the catalog.
extension SQLiteCatalogStore: CatalogMaintenance {
    public func blobUsers() async throws -> [Digest: [String]] {
        let rows = try await read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT digest, user_name FROM (
                        SELECT v.archive_digest AS digest, m.name || '@' || v.version AS user_name, 0 AS kind, m.name AS a, v.version_key AS b
                        FROM version v JOIN model m ON m.id = v.model_id
                        UNION ALL
                        SELECT digest, repository || '@' || manifest_digest, 1, repository, manifest_digest
                        FROM registry_reference WHERE kind = 'blob'
                    ) ORDER BY kind, a, b
                    """)
                .map { row -> (String, String) in (row["digest"], row["user_name"]) }
        }
        var users: [Digest: [String]] = [:]
        for (text, reference) in rows {
            guard let digest = try? Digest(parsing: text) else { continue }
            users[digest, default: []].append(reference)
        }
        return users
    }

    public func blobIsReferenced(_ digest: Digest) async throws -> Bool {
        try await read { db in
            try Bool.fetchOne(
                db,
                sql: """
                    SELECT EXISTS (SELECT 1 FROM version WHERE archive_digest = ?1)
                        OR EXISTS (SELECT 1 FROM registry_reference WHERE digest = ?1 AND kind = 'blob')
                    """, arguments: [digest.description]) ?? false
        }
    }

    /// Copies the catalog, consistently, into a new SQLite file at `path` while the hub keeps serving (SQLite's online
    /// backup, a few pages at a time). The file must not exist.
    public func backup(toPath path: String) async throws {
        guard !FileManager.default.fileExists(atPath: path) else {
            throw CatalogStorageError.cannotOpen(path: path, reason: "the file already exists")
        }
        let database = self.database
        do {
            try await Task.detached {
                let copy = try DatabaseQueue(path: path)
                try database.backup(to: copy, pagesPerStep: 256)
                try copy.close()
            }.value
        } catch let error as DatabaseError {
            throw CatalogStorageError(error)
        }
    }

    /// `PRAGMA integrity_check`: "ok", or what SQLite found.
    public func integrityCheck() async throws -> String {
        try await read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check").joined(separator: "; ") }
    }
}
