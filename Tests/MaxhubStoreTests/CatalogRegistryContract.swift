import Foundation
import MaxhubCore
import MaxhubTestSupport
import Testing
@testable import MaxhubStore

/// What every `CatalogStore` keeps of pushes under `/v2/`, run against each `CatalogStoreKind`.
@Suite(.onTestThreads) struct CatalogRegistryContract {
    private static func push(
        _ text: String, tag: String?, blobs: [Digest] = [], manifests: [Digest] = [], repository: String = "digits/serving", subject: Digest? = nil
    ) -> ManifestPush {
        let bytes = Array(text.utf8)
        return ManifestPush(
            manifest: PushedManifest(
                repository: repository, digest: Digest.of(bytes), mediaType: "application/vnd.oci.image.manifest.v1+json", body: bytes,
                pushedBy: "carl", pushedAt: CatalogTime.date(text: CatalogTime.text(CatalogFixtures.time))!),
            blobs: blobs, manifests: manifests, tag: tag, subject: subject)
    }

    @Test(arguments: CatalogStoreKind.allCases)
    func referrersAreTheManifestsWhoseSubjectIsTheDigest(_ kind: CatalogStoreKind) async throws {
        try await kind.withStore { harness in
            let store = harness.store
            let image = Self.push(#"{"schemaVersion":2, "image": true}"#, tag: "1.0.0")
            _ = try await store.pushManifest(image)
            let subject = image.manifest.digest
            #expect(try await store.referrers(of: subject, in: "digits/serving").isEmpty)
            let signature = Self.push(#"{"schemaVersion":2, "signature": true}"#, tag: nil, subject: subject)
            let sbom = Self.push(#"{"schemaVersion":2, "sbom": true}"#, tag: nil, subject: subject)
            let elsewhere = Self.push(#"{"schemaVersion":2, "sbom": true}"#, tag: nil, repository: "digits/other", subject: subject)
            for push in [signature, sbom, sbom, elsewhere] { _ = try await store.pushManifest(push) }
            let found = try await store.referrers(of: subject, in: "digits/serving")
            #expect(found == [signature.manifest, sbom.manifest].sorted { $0.digest.description < $1.digest.description })
            #expect(try await store.referrers(of: subject, in: "digits/other") == [elsewhere.manifest])
            #expect(try await store.referrers(of: signature.manifest.digest, in: "digits/serving").isEmpty)
        }
    }

    @Test(arguments: CatalogStoreKind.allCases)
    func pushesAreKeptByteForByteUnderTagsThatNeverMove(_ kind: CatalogStoreKind) async throws {
        try await kind.withStore { harness in
            let store = harness.store
            let layer = Digest.of(Array("layer".utf8))
            let first = Self.push(#"{"schemaVersion":2, "n": 1}"#, tag: "1.0.0", blobs: [layer, layer])
            #expect(try await store.pushManifest(first))
            #expect(try await store.pushManifest(first) == false, "the same push again keeps nothing new")
            let kept = try #require(try await store.pushedManifest(in: "digits/serving", tag: "1.0.0"))
            #expect(kept == first.manifest)
            #expect(try await store.pushedManifest(in: "digits/serving", digest: first.manifest.digest) == first.manifest)
            #expect(try await store.pushedManifest(in: "digits/other", digest: first.manifest.digest) == nil)

            let second = Self.push(#"{"schemaVersion":2, "n": 2}"#, tag: "1.0.0")
            await #expect(throws: ManifestPushError.tagTaken(repository: "digits/serving", tag: "1.0.0", digest: first.manifest.digest)) {
                try await store.pushManifest(second)
            }
            #expect(try await store.pushedManifest(in: "digits/serving", digest: second.manifest.digest) == nil, "a refused push keeps nothing")

            let unknownChild = Self.push(#"{"schemaVersion":2, "manifests": []}"#, tag: "index", manifests: [second.manifest.digest])
            await #expect(throws: ManifestPushError.manifestUnknown(repository: "digits/serving", digest: second.manifest.digest)) {
                try await store.pushManifest(unknownChild)
            }
            #expect(try await store.pushManifest(Self.push(#"{"schemaVersion":2, "n": 2}"#, tag: nil)))
            #expect(try await store.pushManifest(Self.push(#"{"schemaVersion":2, "manifests": []}"#, tag: "Z", manifests: [second.manifest.digest])))
            #expect(try await store.pushedTags(in: "digits/serving") == ["1.0.0", "Z"])

            #expect(try await store.pushedManifestNames(layer, in: "digits/serving"))
            #expect(try await store.pushedManifestNames(layer, in: "digits/other") == false)
            let audit = try await store.auditEntries(AuditFilter(action: AuditAction.registryPush))
            #expect(audit.map(\.subject) == ["digits/serving:1.0.0", "digits/serving@\(second.manifest.digest)", "digits/serving:Z"])
        }
    }

    @Test(arguments: [CatalogStoreKind.sqliteOnDisk, .postgres])
    func gcAndFsckCountTheBlobsPushedManifestsName(_ kind: CatalogStoreKind) async throws {
        try await kind.withStore { harness in
            let store = try #require(harness.store as? any CatalogMaintenance)
            let layer = Digest.of(Array("layer".utf8))
            let push = Self.push(#"{"schemaVersion":2}"#, tag: "v1", blobs: [layer])
            #expect(try await store.blobIsReferenced(layer) == false)
            _ = try await store.pushManifest(push)
            #expect(try await store.blobIsReferenced(layer))
            #expect(try await store.blobUsers()[layer] == ["digits/serving@\(push.manifest.digest)"])
        }
    }
}
