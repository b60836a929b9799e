import Foundation
import MaxhubCore
import PostgresNIO

extension PostgresCatalogStore {
    public func recordReview(_ review: NewReview) async throws -> VersionRecord {
        try await write { session in
            let (id, current) = try await Self.lockedVersion(review.name, review.version, in: session)
            let target: ReviewState = review.decision == .approve ? .approved : .rejected
            guard let transition = current.state.transition(to: target) else {
                throw CatalogError.invalidTransition(review.name, current.version, from: current.state, to: target)
            }
            try await session.query(
                """
                INSERT INTO review (version_id, reviewer, decision, license_code, license_weights, license_data, note, reviewed_at)
                VALUES (\(id), \(review.reviewer), \(review.decision.rawValue), \(review.license.code), \(review.license.weights),
                        \(review.license.data), \(review.note), \(PostgresSQL.time(review.at)))
                """
            )
            try await session.query(
                """
                UPDATE version SET state = \(target.rawValue), license_code = \(review.license.code),
                    license_weights = \(review.license.weights), license_data = \(review.license.data)
                WHERE id = \(id)
                """
            )
            try await Self.insertSignatures(review.decision == .approve ? review.signatures : [], versionID: id, on: session)
            var detail = "licenses code=\(review.license.code) weights=\(review.license.weights) data=\(review.license.data)"
            if review.license != current.license {
                detail += " (declared code=\(current.license.code) weights=\(current.license.weights) data=\(current.license.data))"
            }
            if let note = review.note { detail += "; note: \(note)" }
            try await AuditEntryRow(
                at: review.at, actor: review.reviewer, action: transition.action, subject: "\(review.name)@\(current.version)",
                from: current.state, to: target, detail: detail
            ).insert(on: session.connection, logger: logger)
            return try await Self.versionRecord(id: id, in: session)
        }
    }

    public func changeState(_ change: StateChange) async throws -> VersionRecord {
        try await write { session in
            let (id, current) = try await Self.lockedVersion(change.name, change.version, in: session)
            // Only the yank and its undo; reviews go through `recordReview`.
            let moves: [(ReviewState, ReviewState)] = [(.approved, .yanked), (.yanked, .approved)]
            guard moves.contains(where: { $0 == (current.state, change.to) }), let transition = current.state.transition(to: change.to) else {
                throw CatalogError.invalidTransition(change.name, current.version, from: current.state, to: change.to)
            }
            let reason: String? = change.to == .yanked ? change.reason : nil
            try await session.query("UPDATE version SET state = \(change.to.rawValue), yank_reason = \(reason) WHERE id = \(id)")
            try await AuditEntryRow(
                at: change.at, actor: change.actor, action: transition.action, subject: "\(change.name)@\(current.version)",
                from: current.state, to: change.to, detail: change.reason
            ).insert(on: session.connection, logger: logger)
            return try await Self.versionRecord(id: id, in: session)
        }
    }

    public func archiveIsVisible(_ digest: Digest, visibility: CatalogVisibility) async throws -> Bool {
        try await !query(
            """
            SELECT 1 FROM version v WHERE v.archive_digest = \(digest.description) AND \(PostgresSQL.visible(visibility, on: "v")) LIMIT 1
            """
        ).isEmpty
    }

    public func versions(in state: ReviewState) async throws -> [VersionRecord] {
        try await query(
            """
            SELECT \(VersionRow.postgresSelection(version: "v", model: "m"))
            FROM version v JOIN model m ON m.id = v.model_id
            WHERE v.state = \(state.rawValue)
            ORDER BY v.published_at, v.id
            """
        ).map(VersionRow.record(postgres:))
    }

    /// The id and record of a version, its row locked until the write commits: a concurrent review or state change of
    /// the same version waits, then finds the state this one left.
    private static func lockedVersion(_ name: ModelName, _ version: Version, in session: Session) async throws -> (Int64, VersionRecord) {
        let locked = try await session.query(
            """
            SELECT v.id FROM version v JOIN model m ON m.id = v.model_id
            WHERE m.name = \(name.description) AND v.version_key = \(version.withoutBuild.description)
            FOR UPDATE OF v
            """
        )
        guard let id: Int64 = try locked.first?.makeRandomAccess().value("id") else {
            throw CatalogError.versionNotFound(name, version)
        }
        // Read after the lock is held, so that it sees the state the last write committed.
        return (id, try await versionRecord(id: id, in: session))
    }
}
