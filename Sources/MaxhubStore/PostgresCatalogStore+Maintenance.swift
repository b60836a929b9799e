import Foundation
import MaxhubCore
import PostgresNIO

/// What the operator's maintenance asks of the catalog in PostgreSQL.
extension PostgresCatalogStore: CatalogMaintenance {
    public func blobUsers() async throws -> [Digest: [String]] {
        let rows = try await query(
            """
            SELECT digest, user_name FROM (
                SELECT v.archive_digest AS digest, m.name || '@' || v.version AS user_name, 0 AS kind, m.name AS a, v.version_key AS b
                FROM version v JOIN model m ON m.id = v.model_id
                UNION ALL
                SELECT digest, repository || '@' || manifest_digest, 1, repository, manifest_digest
                FROM registry_reference WHERE kind = 'blob'
            ) AS used ORDER BY kind, a COLLATE "C", b COLLATE "C"
            """)
        var users: [Digest: [String]] = [:]
        for row in rows {
            let (text, user) = try row.decode((String, String).self)
            guard let digest = try? Digest(parsing: text) else { continue }
            users[digest, default: []].append(user)
        }
        return users
    }

    public func blobIsReferenced(_ digest: Digest) async throws -> Bool {
        let rows = try await query(
            """
            SELECT EXISTS (SELECT 1 FROM version WHERE archive_digest = \(digest.description))
                OR EXISTS (SELECT 1 FROM registry_reference WHERE digest = \(digest.description) AND kind = 'blob') AS used
            """)
        return try rows.first?.decode(Bool.self) ?? false
    }

    /// PostgreSQL keeps its own pages (and checks them, on a cluster made with data checksums); what this checks is
    /// what the schema's constraints cannot say: each model has a version, and a version has a review exactly when its
    /// state says it was reviewed, with the decision its state says.
    public func integrityCheck() async throws -> String {
        let checks: [(String, PostgresSQL)] = [
            ("models without a version", "SELECT m.name FROM model m WHERE NOT EXISTS (SELECT 1 FROM version v WHERE v.model_id = m.id)"),
            (
                "reviewed versions without a review",
                """
                SELECT m.name || '@' || v.version FROM version v JOIN model m ON m.id = v.model_id
                WHERE v.state <> 'pending' AND NOT EXISTS (SELECT 1 FROM review r WHERE r.version_id = v.id)
                """
            ),
            (
                "versions whose state and review disagree",
                """
                SELECT m.name || '@' || v.version FROM version v JOIN model m ON m.id = v.model_id JOIN review r ON r.version_id = v.id
                WHERE v.state = 'pending' OR (r.decision = 'reject') <> (v.state = 'rejected')
                """
            ),
            ("undecodable archive digests", "SELECT archive_digest FROM version WHERE archive_digest !~ '^sha256:[0-9a-f]{64}$'"),
        ]
        var findings: [String] = []
        for (what, statement) in checks {
            let found = try await query(statement + " LIMIT 5").map { try $0.decode(String.self) }
            if !found.isEmpty { findings.append("\(what): \(found.joined(separator: ", "))") }
        }
        return findings.isEmpty ? "ok" : findings.joined(separator: "; ")
    }
}
