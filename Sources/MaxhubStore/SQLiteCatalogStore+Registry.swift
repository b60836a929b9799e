import Foundation
import GRDB
import MaxhubCore

extension SQLiteCatalogStore {
    public func pushManifest(_ push: ManifestPush) async throws -> Bool {
        // SQLite commits one writer at a time: the tag's owner read here is the one the insert sees.
        try await write { db in
            let manifest = push.manifest
            let repository = manifest.repository
            for child in push.manifests {
                let known = try Bool.fetchOne(
                    db, sql: "SELECT EXISTS (SELECT 1 FROM registry_manifest WHERE repository = ? AND digest = ?)",
                    arguments: [repository, child.description]) ?? false
                guard known else { throw ManifestPushError.manifestUnknown(repository: repository, digest: child) }
            }
            var changed = false
            let existing = try Bool.fetchOne(
                db, sql: "SELECT EXISTS (SELECT 1 FROM registry_manifest WHERE repository = ? AND digest = ?)",
                arguments: [repository, manifest.digest.description]) ?? false
            if !existing {
                try db.execute(
                    literal: """
                        INSERT INTO registry_manifest (repository, digest, media_type, body, pushed_by, pushed_at)
                        VALUES (\(repository), \(manifest.digest.description), \(manifest.mediaType),
                                \(String(decoding: manifest.body, as: UTF8.self)), \(manifest.pushedBy), \(CatalogTime.text(manifest.pushedAt)))
                        """)
                for (kind, digests) in [("blob", push.blobs), ("manifest", push.manifests)] {
                    for digest in Set(digests) {
                        try db.execute(
                            literal: """
                                INSERT INTO registry_reference (repository, manifest_digest, digest, kind)
                                VALUES (\(repository), \(manifest.digest.description), \(digest.description), \(kind))
                                ON CONFLICT DO NOTHING
                                """)
                    }
                }
                if let subject = push.subject {
                    try db.execute(
                        literal: """
                            INSERT INTO registry_subject (repository, manifest_digest, subject)
                            VALUES (\(repository), \(manifest.digest.description), \(subject.description))
                            """)
                }
                changed = true
            }
            if let tag = push.tag {
                let owner = try String.fetchOne(
                    db, sql: "SELECT digest FROM registry_tag WHERE repository = ? AND tag = ?", arguments: [repository, tag])
                if let owner {
                    guard owner == manifest.digest.description else {
                        throw ManifestPushError.tagTaken(repository: repository, tag: tag, digest: try Digest(parsing: owner))
                    }
                } else {
                    try db.execute(
                        literal: "INSERT INTO registry_tag (repository, tag, digest) VALUES (\(repository), \(tag), \(manifest.digest.description))")
                    changed = true
                }
            }
            if changed {
                var audit = AuditEntryRow(
                    at: manifest.pushedAt, actor: manifest.pushedBy, action: AuditAction.registryPush, subject: push.auditSubject,
                    detail: "\(manifest.digest) (\(manifest.mediaType), \(manifest.body.count) bytes)")
                try audit.insert(db)
            }
            return changed
        }
    }

    public func pushedManifest(in repository: String, digest: Digest) async throws -> PushedManifest? {
        try await read { db in
            try Row.fetchOne(
                db, sql: "SELECT * FROM registry_manifest WHERE repository = ? AND digest = ?", arguments: [repository, digest.description]
            ).map(Self.pushedManifest(from:))
        }
    }

    public func pushedManifest(in repository: String, tag: String) async throws -> PushedManifest? {
        try await read { db in
            try Row.fetchOne(
                db,
                sql: """
                    SELECT m.* FROM registry_tag t JOIN registry_manifest m ON m.repository = t.repository AND m.digest = t.digest
                    WHERE t.repository = ? AND t.tag = ?
                    """, arguments: [repository, tag]
            ).map(Self.pushedManifest(from:))
        }
    }

    public func pushedTags(in repository: String) async throws -> [String] {
        try await read { db in
            try String.fetchAll(db, sql: "SELECT tag FROM registry_tag WHERE repository = ? ORDER BY CAST(tag AS BLOB)", arguments: [repository])
        }
    }

    public func referrers(of subject: Digest, in repository: String) async throws -> [PushedManifest] {
        try await read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT m.* FROM registry_subject s
                    JOIN registry_manifest m ON m.repository = s.repository AND m.digest = s.manifest_digest
                    WHERE s.repository = ? AND s.subject = ? ORDER BY m.digest
                    """, arguments: [repository, subject.description]
            ).map(Self.pushedManifest(from:))
        }
    }

    public func pushedManifestNames(_ blob: Digest, in repository: String) async throws -> Bool {
        try await read { db in
            try Bool.fetchOne(
                db, sql: "SELECT EXISTS (SELECT 1 FROM registry_reference WHERE repository = ? AND digest = ? AND kind = 'blob')",
                arguments: [repository, blob.description]) ?? false
        }
    }

    private static func pushedManifest(from row: Row) throws -> PushedManifest {
        do {
            let at: String = try row.decode(String.self, forColumn: "pushed_at")
            guard let time = CatalogTime.date(text: at) else { throw Unreadable("pushed_at \"\(at)\" is not a catalog time") }
            return PushedManifest(
                repository: try row.decode(String.self, forColumn: "repository"),
                digest: try Digest(parsing: try row.decode(String.self, forColumn: "digest")),
                mediaType: try row.decode(String.self, forColumn: "media_type"),
                body: Array(try row.decode(String.self, forColumn: "body").utf8),
                pushedBy: try row.decode(String.self, forColumn: "pushed_by"), pushedAt: time)
        } catch {
            throw CatalogStorageError.unreadableRow(table: "registry_manifest", id: nil, reason: "\(error)")
        }
    }
}
