import Foundation
import GRDB
import MaxhubCore

extension SQLiteCatalogStore {
    public func layerFacts(of archive: Digest) async throws -> ArchiveLayerFacts? {
        try await read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM archive_layer WHERE archive_digest = ?", arguments: [archive.description])
            else { return nil }
            do {
                return ArchiveLayerFacts(
                    archive: archive, compression: try row.decode(String.self, forColumn: "compression"),
                    diffID: try Digest(parsing: try row.decode(String.self, forColumn: "diff_id")),
                    uncompressedSize: try row.decode(Int64.self, forColumn: "uncompressed_size"))
            } catch {
                throw CatalogStorageError.unreadableRow(table: "archive_layer", id: nil, reason: "\(error)")
            }
        }
    }

    public func recordLayerFacts(_ facts: ArchiveLayerFacts) async throws {
        try await write { db in
            try db.execute(
                literal: """
                    INSERT INTO archive_layer (archive_digest, compression, diff_id, uncompressed_size)
                    VALUES (\(facts.archive.description), \(facts.compression), \(facts.diffID.description), \(facts.uncompressedSize))
                    ON CONFLICT (archive_digest) DO NOTHING
                    """)
        }
    }
}
