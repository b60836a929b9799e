import Foundation
import MaxhubArchive
import MaxhubCore
import MaxhubStore

/// The ModelPack artifacts of versions, with the layer facts they need: read from the catalog, or found by reading the
/// archive once (its first bytes and its tar stream) and then kept in the catalog for every hub.
struct ModelPackArtifacts<Catalog: CatalogStore, Blobs: BlobStore>: Sendable {
    let catalog: Catalog
    let blobs: Blobs

    func artifact(for record: VersionRecord) async throws -> ModelPackArtifact {
        try Self.artifact(for: record, facts: try await facts(of: record.archive.digest))
    }

    /// The artifact from facts already known; nil when no hub found them yet.
    func knownArtifact(for record: VersionRecord) async throws -> ModelPackArtifact? {
        guard let facts = try await catalog.layerFacts(of: record.archive.digest) else { return nil }
        return try Self.artifact(for: record, facts: facts)
    }

    static func artifact(for record: VersionRecord, facts: ArchiveLayerFacts) throws -> ModelPackArtifact {
        guard let compression = ModelPackArtifact.Compression(rawValue: facts.compression) else {
            throw CatalogStorageError.unreadableRow(table: "archive_layer", id: nil, reason: "unknown compression \(facts.compression)")
        }
        return ModelPackArtifact(
            name: record.name, version: record.version.withoutBuild, description: record.description, licenses: record.license,
            framework: record.framework, publishedAt: record.publishedAt, archive: record.archive, compression: compression,
            diffID: facts.diffID)
    }

    func facts(of archive: Digest) async throws -> ArchiveLayerFacts {
        if let known = try await catalog.layerFacts(of: archive) { return known }
        let found = try await blobs.withLocalFile(for: archive) { path in
            try await onOwnThread(named: "maxhub-layer") { () throws -> ArchiveLayerFacts in
                guard let handle = FileHandle(forReadingAtPath: path) else { throw BlobStoreError.blobNotFound(archive) }
                let magic = [UInt8](handle.readData(ofLength: 4))
                try? handle.close()
                guard let compression = ModelPackArtifact.Compression(magic: magic) else {
                    throw HubError.badRequest("the archive \(archive) is neither zstd nor gzip", kind: "invalid-archive")
                }
                let (diffID, size) = try ArchiveInspector.uncompressedDigest(archiveAt: path)
                return ArchiveLayerFacts(archive: archive, compression: compression.rawValue, diffID: diffID, uncompressedSize: size)
            }.get()
        }
        try await catalog.recordLayerFacts(found)
        return found
    }
}
