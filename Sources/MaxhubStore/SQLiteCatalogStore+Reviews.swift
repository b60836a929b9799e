import Foundation
import GRDB
import MaxhubCore

extension SQLiteCatalogStore {
    public func recordReview(_ review: NewReview) async throws -> VersionRecord {
        try await write { db in
            let (id, current) = try Self.lockedVersion(review.name, review.version, in: db)
            let target: ReviewState = review.decision == .approve ? .approved : .rejected
            guard let transition = current.state.transition(to: target) else {
                throw CatalogError.invalidTransition(review.name, current.version, from: current.state, to: target)
            }
            let time = CatalogTime.text(review.at)
            try db.execute(
                literal: """
                    INSERT INTO review (version_id, reviewer, decision, license_code, license_weights, license_data, note, reviewed_at)
                    VALUES (\(id), \(review.reviewer), \(review.decision.rawValue), \(review.license.code), \(review.license.weights),
                            \(review.license.data), \(review.note), \(time))
                    """
            )
            try db.execute(
                literal: """
                    UPDATE version SET state = \(target.rawValue), license_code = \(review.license.code),
                        license_weights = \(review.license.weights), license_data = \(review.license.data)
                    WHERE id = \(id)
                    """
            )
            try Self.insertSignatures(review.decision == .approve ? review.signatures : [], versionID: id, into: db)
            var detail = "licenses code=\(review.license.code) weights=\(review.license.weights) data=\(review.license.data)"
            if review.license != current.license {
                detail += " (declared code=\(current.license.code) weights=\(current.license.weights) data=\(current.license.data))"
            }
            if let note = review.note { detail += "; note: \(note)" }
            var audit = AuditEntryRow(
                at: review.at, actor: review.reviewer, action: transition.action, subject: "\(review.name)@\(current.version)",
                from: current.state, to: target, detail: detail)
            try audit.insert(db)
            return try Self.versionRecord(id: id, in: db)
        }
    }

    public func changeState(_ change: StateChange) async throws -> VersionRecord {
        try await write { db in
            let (id, current) = try Self.lockedVersion(change.name, change.version, in: db)
            // Only the yank and its undo; reviews go through `recordReview`.
            let moves: [(ReviewState, ReviewState)] = [(.approved, .yanked), (.yanked, .approved)]
            guard moves.contains(where: { $0 == (current.state, change.to) }), let transition = current.state.transition(to: change.to) else {
                throw CatalogError.invalidTransition(change.name, current.version, from: current.state, to: change.to)
            }
            let reason: String? = change.to == .yanked ? change.reason : nil
            try db.execute(literal: "UPDATE version SET state = \(change.to.rawValue), yank_reason = \(reason) WHERE id = \(id)")
            var audit = AuditEntryRow(
                at: change.at, actor: change.actor, action: transition.action, subject: "\(change.name)@\(current.version)",
                from: current.state, to: change.to, detail: change.reason)
            try audit.insert(db)
            return try Self.versionRecord(id: id, in: db)
        }
    }

    public func archiveIsVisible(_ digest: Digest, visibility: CatalogVisibility) async throws -> Bool {
        try await read { db in
            let request: SQLRequest<Int> = """
                SELECT 1 FROM version v WHERE v.archive_digest = \(digest.description) AND \(visibility.sqlPredicate(on: "v")) LIMIT 1
                """
            return try request.fetchOne(db) != nil
        }
    }

    public func versions(in state: ReviewState) async throws -> [VersionRecord] {
        try await read { db in
            let request: SQLRequest<Row> = """
                SELECT \(sql: VersionRow.selection(version: "v", model: "m"))
                FROM version v JOIN model m ON m.id = v.model_id
                WHERE v.state = \(state.rawValue)
                ORDER BY v.published_at, v.id
                """
            return try request.fetchAll(db).map(VersionRow.record(from:))
        }
    }

    /// The id and record of a version inside a write transaction (which SQLite holds exclusively).
    private static func lockedVersion(_ name: ModelName, _ version: Version, in db: Database) throws -> (Int64, VersionRecord) {
        let request: SQLRequest<Row> = """
            SELECT \(sql: VersionRow.selection(version: "v", model: "m"))
            FROM version v JOIN model m ON m.id = v.model_id
            WHERE m.name = \(name.description) AND v.version_key = \(version.withoutBuild.description)
            """
        guard let row = try request.fetchOne(db), let id = row["id"] as Int64? else {
            throw CatalogError.versionNotFound(name, version)
        }
        return (id, try VersionRow.record(from: row))
    }

    private static func versionRecord(id: Int64, in db: Database) throws -> VersionRecord {
        let request: SQLRequest<Row> = """
            SELECT \(sql: VersionRow.selection(version: "v", model: "m"))
            FROM version v JOIN model m ON m.id = v.model_id WHERE v.id = \(id)
            """
        guard let row = try request.fetchOne(db) else {
            throw CatalogStorageError.unreadableRow(table: "version", id: id, reason: "vanished during a write")
        }
        return try VersionRow.record(from: row)
    }
}
