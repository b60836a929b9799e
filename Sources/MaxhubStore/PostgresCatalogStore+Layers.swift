import Foundation
import MaxhubCore
import PostgresNIO

extension PostgresCatalogStore {
    public func layerFacts(of archive: Digest) async throws -> ArchiveLayerFacts? {
        let rows = try await query(
            "SELECT compression, diff_id, uncompressed_size FROM archive_layer WHERE archive_digest = \(archive.description)")
        guard let row = rows.first else { return nil }
        let cells = row.makeRandomAccess()
        do {
            return ArchiveLayerFacts(
                archive: archive, compression: try cells.value("compression", as: String.self),
                diffID: try Digest(parsing: try cells.value("diff_id", as: String.self)),
                uncompressedSize: try cells.value("uncompressed_size", as: Int64.self))
        } catch {
            throw CatalogStorageError.unreadableRow(table: "archive_layer", id: nil, reason: "\(error)")
        }
    }

    public func recordLayerFacts(_ facts: ArchiveLayerFacts) async throws {
        _ = try await query(
            """
            INSERT INTO archive_layer (archive_digest, compression, diff_id, uncompressed_size)
            VALUES (\(facts.archive.description), \(facts.compression), \(facts.diffID.description), \(facts.uncompressedSize))
            ON CONFLICT (archive_digest) DO NOTHING
            """)
    }
}
