import Foundation
import MaxhubCore
import PostgresNIO

extension PostgresCatalogStore {
    private static var manifestSelection: PostgresSQL {
        "m.repository, m.digest, m.media_type, m.body, m.pushed_by, \(PostgresSQL.timeText("m.pushed_at")) AS pushed_at"
    }

    public func pushManifest(_ push: ManifestPush) async throws -> Bool {
        try await write { session in
            let manifest = push.manifest
            let repository = manifest.repository
            for child in push.manifests {
                let rows = try await session.query(
                    "SELECT 1 AS known FROM registry_manifest WHERE repository = \(repository) AND digest = \(child.description)")
                guard !rows.isEmpty else { throw ManifestPushError.manifestUnknown(repository: repository, digest: child) }
            }
            // ON CONFLICT waits for a racing push of the same row to commit, then does nothing: one of them stores it.
            let inserted = try await session.query(
                """
                INSERT INTO registry_manifest (repository, digest, media_type, body, pushed_by, pushed_at)
                VALUES (\(repository), \(manifest.digest.description), \(manifest.mediaType),
                        \(String(decoding: manifest.body, as: UTF8.self)), \(manifest.pushedBy), \(PostgresSQL.time(manifest.pushedAt)))
                ON CONFLICT DO NOTHING RETURNING digest
                """)
            var changed = !inserted.isEmpty
            if changed {
                for (kind, digests) in [("blob", push.blobs), ("manifest", push.manifests)] {
                    for digest in Set(digests) {
                        try await session.query(
                            """
                            INSERT INTO registry_reference (repository, manifest_digest, digest, kind)
                            VALUES (\(repository), \(manifest.digest.description), \(digest.description), \(kind))
                            ON CONFLICT DO NOTHING
                            """)
                    }
                }
                if let subject = push.subject {
                    try await session.query(
                        """
                        INSERT INTO registry_subject (repository, manifest_digest, subject)
                        VALUES (\(repository), \(manifest.digest.description), \(subject.description))
                        """)
                }
            }
            if let tag = push.tag {
                let tagged = try await session.query(
                    """
                    INSERT INTO registry_tag (repository, tag, digest) VALUES (\(repository), \(tag), \(manifest.digest.description))
                    ON CONFLICT DO NOTHING RETURNING digest
                    """)
                if tagged.isEmpty {
                    let owner = try await session.query("SELECT digest FROM registry_tag WHERE repository = \(repository) AND tag = \(tag)")
                    let digest = try owner.first.map { try $0.makeRandomAccess().value("digest", as: String.self) } ?? ""
                    guard digest == manifest.digest.description else {
                        throw ManifestPushError.tagTaken(repository: repository, tag: tag, digest: try Digest(parsing: digest))
                    }
                } else {
                    changed = true
                }
            }
            if changed {
                try await AuditEntryRow(
                    at: manifest.pushedAt, actor: manifest.pushedBy, action: AuditAction.registryPush, subject: push.auditSubject,
                    detail: "\(manifest.digest) (\(manifest.mediaType), \(manifest.body.count) bytes)"
                ).insert(on: session.connection, logger: logger)
            }
            return changed
        }
    }

    public func pushedManifest(in repository: String, digest: Digest) async throws -> PushedManifest? {
        try await query(
            "SELECT \(Self.manifestSelection) FROM registry_manifest m WHERE m.repository = \(repository) AND m.digest = \(digest.description)"
        ).first.map(Self.pushedManifest(from:))
    }

    public func pushedManifest(in repository: String, tag: String) async throws -> PushedManifest? {
        try await query(
            """
            SELECT \(Self.manifestSelection) FROM registry_tag t JOIN registry_manifest m ON m.repository = t.repository AND m.digest = t.digest
            WHERE t.repository = \(repository) AND t.tag = \(tag)
            """
        ).first.map(Self.pushedManifest(from:))
    }

    public func pushedTags(in repository: String) async throws -> [String] {
        try await query("SELECT tag FROM registry_tag WHERE repository = \(repository) ORDER BY tag COLLATE \"C\"").map {
            try $0.makeRandomAccess().value("tag", as: String.self)
        }
    }

    public func referrers(of subject: Digest, in repository: String) async throws -> [PushedManifest] {
        try await query(
            """
            SELECT \(Self.manifestSelection) FROM registry_subject s
            JOIN registry_manifest m ON m.repository = s.repository AND m.digest = s.manifest_digest
            WHERE s.repository = \(repository) AND s.subject = \(subject.description) ORDER BY m.digest COLLATE "C"
            """
        ).map(Self.pushedManifest(from:))
    }

    public func pushedManifestNames(_ blob: Digest, in repository: String) async throws -> Bool {
        !(try await query(
            """
            SELECT 1 AS named FROM registry_reference WHERE repository = \(repository) AND digest = \(blob.description) AND kind = 'blob'
            LIMIT 1
            """
        ).isEmpty)
    }

    private static func pushedManifest(from row: PostgresRow) throws -> PushedManifest {
        let cells = row.makeRandomAccess()
        do {
            let at = try cells.value("pushed_at", as: String.self)
            guard let time = CatalogTime.date(text: at) else { throw Unreadable("pushed_at \"\(at)\" is not a catalog time") }
            return PushedManifest(
                repository: try cells.value("repository", as: String.self), digest: try Digest(parsing: try cells.value("digest", as: String.self)),
                mediaType: try cells.value("media_type", as: String.self), body: Array(try cells.value("body", as: String.self).utf8),
                pushedBy: try cells.value("pushed_by", as: String.self), pushedAt: time)
        } catch {
            throw CatalogStorageError.unreadableRow(table: "registry_manifest", id: nil, reason: "\(error)")
        }
    }
}
