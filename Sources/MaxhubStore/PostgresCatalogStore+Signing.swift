import Foundation
import MaxhubCore
import PostgresNIO

extension PostgresCatalogStore {
    private static var signingKeySelection: PostgresSQL {
        "id, fingerprint, public_key, private_key, \(PostgresSQL.timeText("created_at")) AS created_at, created_by"
    }

    public func signingKeys() async throws -> [SigningKeyRecord] {
        try await query("SELECT \(Self.signingKeySelection) FROM signing_key ORDER BY id").map(Self.signingKey(from:))
    }

    public func addSigningKey(_ key: NewSigningKey, onlyIfNone: Bool) async throws -> SigningKeyRecord? {
        try await write { session in
            // Held to the commit: a hub starting meanwhile waits here, then counts the key this one stored.
            try await session.query("LOCK TABLE signing_key IN SHARE ROW EXCLUSIVE MODE")
            if onlyIfNone {
                let rows = try await session.query("SELECT count(*) AS count FROM signing_key")
                guard try rows.first?.makeRandomAccess().value("count", as: Int64.self) == 0 else { return nil }
            }
            let inserted = try await session.query(
                """
                INSERT INTO signing_key (fingerprint, public_key, private_key, created_at, created_by)
                VALUES (\(key.fingerprint), \(key.publicKeyPEM), \(key.privateKeyPEM), \(PostgresSQL.time(key.at)), \(key.createdBy))
                RETURNING \(Self.signingKeySelection)
                """)
            guard let row = inserted.first else {
                throw CatalogStorageError.unreadableRow(table: "signing_key", id: nil, reason: "the new key came back empty")
            }
            try await AuditEntryRow(
                at: key.at, actor: key.createdBy, action: AuditAction.keyCreate, subject: "signing-key:\(key.fingerprint)",
                detail: onlyIfNone ? "the hub's first signing key" : "rotation: this key signs from now on"
            ).insert(on: session.connection, logger: logger)
            return try Self.signingKey(from: row)
        }
    }

    public func signatures(of name: ModelName, version: Version, visibility: CatalogVisibility) async throws -> [VersionSignature] {
        try await query(
            """
            SELECT s.kind, s.key_fingerprint, s.bundle
            FROM version_signature s JOIN version v ON v.id = s.version_id JOIN model m ON m.id = v.model_id
            WHERE m.name = \(name.description) AND v.version_key = \(version.withoutBuild.description)
            AND \(PostgresSQL.visible(visibility, on: "v"))
            ORDER BY s.kind
            """
        ).map { row in
            let cells = row.makeRandomAccess()
            let kind = try cells.value("kind", as: String.self)
            guard let known = VersionSignature.Kind(rawValue: kind) else {
                throw CatalogStorageError.unreadableRow(table: "version_signature", id: nil, reason: "unknown kind \"\(kind)\"")
            }
            return VersionSignature(
                kind: known, keyFingerprint: try cells.value("key_fingerprint", as: String.self),
                bundle: Array(try cells.value("bundle", as: String.self).utf8))
        }
    }

    public func unsignedVersions() async throws -> [VersionRecord] {
        try await query(
            """
            SELECT \(VersionRow.postgresSelection(version: "v", model: "m"))
            FROM version v JOIN model m ON m.id = v.model_id
            WHERE v.state IN ('approved', 'yanked') AND NOT EXISTS (SELECT 1 FROM version_signature s WHERE s.version_id = v.id)
            ORDER BY v.published_at, v.id
            """
        ).map(VersionRow.record(postgres:))
    }

    public func addSignatures(_ signatures: [VersionSignature], to name: ModelName, version: Version) async throws -> Bool {
        try await write { session in
            // The version's row is locked to the commit: a hub signing it meanwhile waits, then finds the signatures.
            let rows = try await session.query(
                """
                SELECT v.id FROM version v JOIN model m ON m.id = v.model_id
                WHERE m.name = \(name.description) AND v.version_key = \(version.withoutBuild.description)
                AND v.state IN ('approved', 'yanked')
                FOR UPDATE OF v
                """)
            guard let id = try rows.first?.makeRandomAccess().value("id", as: Int64.self) else { return false }
            let signed = try await session.query("SELECT count(*) AS count FROM version_signature WHERE version_id = \(id)")
            guard try signed.first?.makeRandomAccess().value("count", as: Int64.self) == 0 else { return false }
            try await Self.insertSignatures(signatures, versionID: id, on: session)
            return true
        }
    }

    /// Keeps an approval's signatures, inside its review's transaction.
    static func insertSignatures(_ signatures: [VersionSignature], versionID: Int64, on session: Session) async throws {
        for signature in signatures {
            try await session.query(
                """
                INSERT INTO version_signature (version_id, kind, key_fingerprint, bundle)
                VALUES (\(versionID), \(signature.kind.rawValue), \(signature.keyFingerprint), \(String(decoding: signature.bundle, as: UTF8.self)))
                """)
        }
    }

    private static func signingKey(from row: PostgresRow) throws -> SigningKeyRecord {
        let cells = row.makeRandomAccess()
        do {
            let id = try cells.value("id", as: Int64.self)
            let created = try cells.value("created_at", as: String.self)
            guard let createdAt = CatalogTime.date(text: created) else {
                throw CatalogStorageError.unreadableRow(table: "signing_key", id: id, reason: "created_at \"\(created)\" is not a catalog time")
            }
            return SigningKeyRecord(
                id: id, fingerprint: try cells.value("fingerprint"), publicKeyPEM: try cells.value("public_key"),
                privateKeyPEM: try cells.value("private_key"), createdAt: createdAt, createdBy: try cells.value("created_by"))
        } catch let error as CatalogStorageError {
            throw error
        } catch {
            throw CatalogStorageError.unreadableRow(table: "signing_key", id: nil, reason: "\(error)")
        }
    }
}
