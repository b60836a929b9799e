import Foundation
import Logging
import MaxhubArchive
import MaxhubCore
import MaxhubStore

/// Signs approvals with the hub's current key: the OpenSSF model-signing statement over the version's files (every
/// file of the extracted package, `maxhub.yaml` included) and maxhub's statement of the review itself.
///
/// The key lives in the catalog, so every replica signs with the same one, and a rotation on one is used by all at the
/// next approval. The first key is made when the catalog has none, by whichever hub asks first.
struct ApprovalSigner<Catalog: CatalogStore, Blobs: BlobStore>: Sendable {
    let catalog: Catalog
    let blobs: Blobs
    let limits: ArchiveLimits

    /// The signatures that approving `record` with `review` records.
    func signatures(approving record: VersionRecord, review: NewReview) async throws -> [VersionSignature] {
        guard let current = try await catalog.signingKeysMakingTheFirst().last else {
            throw CatalogStorageError.unreadableRow(table: "signing_key", id: nil, reason: "no signing key after making one")
        }
        let key = try HubSigningKey(pem: current.privateKeyPEM)
        let manifest = try Manifest(document: record.manifest)
        var files = Dictionary((manifest.files ?? []).map { ($0.path, $0.sha256) }, uniquingKeysWith: { first, _ in first })
        if let manifestFile = try await manifestFileDigest(of: record) { files[Manifest.fileName] = manifestFile.hex }
        let filesStatement = FilesStatement(subject: "\(record.name)@\(record.version)", files: files)
        let reviewStatement = ReviewStatement(
            name: record.name, version: record.version, reviewer: review.reviewer, reviewedAt: review.at, license: review.license,
            note: review.note, publishedBy: record.publishedBy, archive: record.archive, filesDigest: filesStatement.rootDigest)
        return [
            VersionSignature(kind: .files, keyFingerprint: current.fingerprint, bundle: try key.bundle(payload: filesStatement.json()).json()),
            VersionSignature(kind: .review, keyFingerprint: current.fingerprint, bundle: try key.bundle(payload: reviewStatement.json()).json()),
        ]
    }

    /// Signs the approved and yanked versions that have no signature (approved before the hub signed approvals), each
    /// from its recorded review; the number signed by this hub (of hubs doing this together, one signs each).
    func signUnsigned(logger: Logger) async throws -> Int {
        var signed = 0
        for record in try await catalog.unsignedVersions() {
            guard let review = record.review else {
                logger.warning("an approved version without its review stays unsigned", metadata: ["model": "\(record.name)@\(record.version)"])
                continue
            }
            let recorded = NewReview(
                name: record.name, version: record.version, reviewer: review.reviewer, decision: review.decision, license: review.license,
                note: review.note, at: review.reviewedAt)
            do {
                let signatures = try await signatures(approving: record, review: recorded)
                if try await catalog.addSignatures(signatures, to: record.name, version: record.version) { signed += 1 }
            } catch {
                logger.error("cannot sign an approved version", metadata: ["model": "\(record.name)@\(record.version)", "error": "\(error)"])
            }
        }
        return signed
    }

    /// The digest of the archive's `maxhub.yaml`: recorded at publish, or, for a version published before the hub
    /// recorded it, read from the archive (the trailing entry, so the whole archive is read).
    private func manifestFileDigest(of record: VersionRecord) async throws -> Digest? {
        if let recorded = record.manifestFileDigest { return recorded }
        let limits = limits
        return try await blobs.withLocalFile(for: record.archive.digest) { path in
            try await onOwnThread(named: "maxhub-sign") { () throws -> Digest? in
                let report = try ArchiveInspector(limits: limits).inspect(archiveAt: path, capturing: Manifest.fileName)
                return report.captured.map { Digest.of($0) }
            }.get()
        }
    }
}

extension CatalogStore {
    /// The catalog's signing keys, oldest first, after making the first one if there is none (whichever hub asks first).
    func signingKeysMakingTheFirst() async throws -> [SigningKeyRecord] {
        let keys = try await signingKeys()
        if !keys.isEmpty { return keys }
        let key = HubSigningKey()
        _ = try await addSigningKey(
            NewSigningKey(
                fingerprint: key.publicKey.fingerprint, publicKeyPEM: key.publicKey.pem, privateKeyPEM: key.pem,
                createdBy: "maxhub serve", at: Date()),
            onlyIfNone: true)
        return try await signingKeys()
    }
}
