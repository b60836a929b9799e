import Foundation
import GRDB
import MaxhubCore

extension SQLiteCatalogStore {
    public func signingKeys() async throws -> [SigningKeyRecord] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM signing_key ORDER BY id").map(Self.signingKey(from:))
        }
    }

    public func addSigningKey(_ key: NewSigningKey, onlyIfNone: Bool) async throws -> SigningKeyRecord? {
        // SQLite commits one writer at a time: a key another connection stored since this one counted fails this
        // transaction (busy), never adds a second first key.
        try await write { db in
            if onlyIfNone, try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM signing_key") != 0 { return nil }
            try db.execute(
                literal: """
                    INSERT INTO signing_key (fingerprint, public_key, private_key, created_at, created_by)
                    VALUES (\(key.fingerprint), \(key.publicKeyPEM), \(key.privateKeyPEM), \(CatalogTime.text(key.at)), \(key.createdBy))
                    """)
            let id = db.lastInsertedRowID
            var audit = AuditEntryRow(
                at: key.at, actor: key.createdBy, action: AuditAction.keyCreate, subject: "signing-key:\(key.fingerprint)",
                detail: onlyIfNone ? "the hub's first signing key" : "rotation: this key signs from now on")
            try audit.insert(db)
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM signing_key WHERE id = ?", arguments: [id]) else {
                throw CatalogStorageError.unreadableRow(table: "signing_key", id: id, reason: "vanished during a write")
            }
            return try Self.signingKey(from: row)
        }
    }

    public func signatures(of name: ModelName, version: Version, visibility: CatalogVisibility) async throws -> [VersionSignature] {
        try await read { db in
            let request: SQLRequest<Row> = """
                SELECT s.kind, s.key_fingerprint, s.bundle
                FROM version_signature s JOIN version v ON v.id = s.version_id JOIN model m ON m.id = v.model_id
                WHERE m.name = \(name.description) AND v.version_key = \(version.withoutBuild.description)
                AND \(visibility.sqlPredicate(on: "v"))
                ORDER BY s.kind
                """
            return try request.fetchAll(db).map { row in
                let kind: String = try row.decode(String.self, forColumn: "kind")
                guard let known = VersionSignature.Kind(rawValue: kind) else {
                    throw CatalogStorageError.unreadableRow(table: "version_signature", id: nil, reason: "unknown kind \"\(kind)\"")
                }
                return VersionSignature(
                    kind: known, keyFingerprint: try row.decode(String.self, forColumn: "key_fingerprint"),
                    bundle: Array(try row.decode(String.self, forColumn: "bundle").utf8))
            }
        }
    }

    public func unsignedVersions() async throws -> [VersionRecord] {
        try await read { db in
            let request: SQLRequest<Row> = """
                SELECT \(sql: VersionRow.selection(version: "v", model: "m"))
                FROM version v JOIN model m ON m.id = v.model_id
                WHERE v.state IN ('approved', 'yanked') AND NOT EXISTS (SELECT 1 FROM version_signature s WHERE s.version_id = v.id)
                ORDER BY v.published_at, v.id
                """
            return try request.fetchAll(db).map(VersionRow.record(from:))
        }
    }

    public func addSignatures(_ signatures: [VersionSignature], to name: ModelName, version: Version) async throws -> Bool {
        try await write { db in
            let request: SQLRequest<Int64> = """
                SELECT v.id FROM version v JOIN model m ON m.id = v.model_id
                WHERE m.name = \(name.description) AND v.version_key = \(version.withoutBuild.description)
                AND v.state IN ('approved', 'yanked') AND NOT EXISTS (SELECT 1 FROM version_signature s WHERE s.version_id = v.id)
                """
            guard let id = try request.fetchOne(db) else { return false }
            try Self.insertSignatures(signatures, versionID: id, into: db)
            return true
        }
    }

    /// Keeps an approval's signatures, inside its review's transaction.
    static func insertSignatures(_ signatures: [VersionSignature], versionID: Int64, into db: Database) throws {
        for signature in signatures {
            try db.execute(
                literal: """
                    INSERT INTO version_signature (version_id, kind, key_fingerprint, bundle)
                    VALUES (\(versionID), \(signature.kind.rawValue), \(signature.keyFingerprint), \(String(decoding: signature.bundle, as: UTF8.self)))
                    """)
        }
    }

    private static func signingKey(from row: Row) throws -> SigningKeyRecord {
        let id: Int64 = try row.decode(Int64.self, forColumn: "id")
        let created: String = try row.decode(String.self, forColumn: "created_at")
        guard let createdAt = CatalogTime.date(text: created) else {
            throw CatalogStorageError.unreadableRow(table: "signing_key", id: id, reason: "created_at \"\(created)\" is not a catalog time")
        }
        return SigningKeyRecord(
            id: id, fingerprint: try row.decode(String.self, forColumn: "fingerprint"),
            publicKeyPEM: try row.decode(String.self, forColumn: "public_key"),
            privateKeyPEM: try row.decode(String.self, forColumn: "private_key"), createdAt: createdAt,
            createdBy: try row.decode(String.self, forColumn: "created_by"))
    }
}
