import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MaxhubCore
import MaxhubJSON
import MaxhubServer
import MaxhubStore
import MaxhubTestSupport
import NIOCore
import Testing

/// Approvals signed in the OpenSSF model-signing format: the key, the bundles, their lives through yanks, rejections
/// and rotations.
@Suite("Signed approvals on a live hub", .onTestThreads)
struct SignatureRouteTests {
    static func path(_ package: TestPackage, _ tail: String = "") -> String {
        "/api/v1/models/\(package.name.pathSegment)/versions/\(package.version)\(tail)"
    }

    static func bundle(_ response: TestResponse) throws -> SignatureBundle {
        try SignatureBundle(json: Array(Data(buffer: response.body)))
    }

    static func key(_ client: HubTestClient) async throws -> HubPublicKey {
        let answer = try await client.request(.get, "/api/v1/signing-key")
        #expect(answer.status == .ok && answer.headers[.contentType] == "application/x-pem-file")
        return try HubPublicKey(pem: String(buffer: answer.body))
    }

    @Test("an approval is signed over every extracted file and over its review; pending and rejected versions have none")
    func approvalsAreSigned() async throws {
        let hub = try await TestHub.make()
        try await hub.run { client in
            let package = try TestPackage.make(version: "1.0.0")
            #expect(try await client.publish(package).status == .created)
            #expect(try await client.request(.get, Self.path(package, "/signature"), as: .curator).status == .notFound, "pending")

            let verdict = ReviewRequest(decision: .approve, note: "weights from the authors' release")
            let reviewed = try await client.request(.post, Self.path(package, "/review"), as: .reviewer, body: try client.json(verdict))
            #expect(reviewed.status == .ok)
            let key = try await Self.key(client)
            let files = try await client.request(.get, Self.path(package, "/signature"))
            #expect(files.status == .ok)
            let (statement, signer) = try Self.bundle(files).verifyFiles(package.extractedFiles, trusting: [key])
            #expect(signer == key)
            #expect(statement.resources.map(\.name).contains("maxhub.yaml"))

            let review = try await client.request(.get, Self.path(package, "/review-signature"))
            #expect(review.status == .ok)
            let (record, _) = try Self.bundle(review).verifyReview(
                of: package.name, package.version, archive: package.reference.digest, filesDigest: statement.rootDigest, trusting: [key])
            #expect(record.predicate.reviewer == "reviewer-user" && record.predicate.publishedBy == "curator-user")
            #expect(record.predicate.note == "weights from the authors' release")
            #expect(record.predicate.licenses.code == "Apache-2.0")

            // A yank and its undo keep the very same bundle.
            let yank = try await client.request(.post, Self.path(package, "/yank"), as: .curator, body: try client.json(YankRequest(reason: "bad")))
            #expect(yank.status == .ok)
            #expect(try await client.request(.get, Self.path(package, "/signature")).body == files.body, "a yanked version keeps it")
            let undo = try await client.request(.post, Self.path(package, "/yank"), as: .admin, body: try client.json(YankRequest(undo: true)))
            #expect(undo.status == .ok)
            #expect(try await client.request(.get, Self.path(package, "/signature")).body == files.body)

            let rejected = try TestPackage.make(version: "1.1.0")
            #expect(try await client.publish(rejected).status == .created)
            let no = ReviewRequest(decision: .reject, note: "data licence unclear")
            #expect(try await client.request(.post, Self.path(rejected, "/review"), as: .reviewer, body: try client.json(no)).status == .ok)
            #expect(try await client.request(.get, Self.path(rejected, "/signature"), as: .admin).status == .notFound)
            #expect(try await client.request(.get, Self.path(rejected, "/review-signature"), as: .admin).status == .notFound)
            #expect(try await client.request(.get, "/api/v1/models/nothing/versions/1.0.0/signature").status == .notFound)
        }
    }

    @Test("after a rotation new approvals carry the new key, older bundles still verify with theirs, and both keys are listed")
    func rotations() async throws {
        let hub = try await TestHub.make()
        try await hub.run { client in
            let first = try TestPackage.make(version: "1.0.0")
            try await client.publishApproved(first)
            let oldKey = try await Self.key(client)

            let fresh = HubSigningKey()
            _ = try await hub.catalog.addSigningKey(
                NewSigningKey(
                    fingerprint: fresh.publicKey.fingerprint, publicKeyPEM: fresh.publicKey.pem, privateKeyPEM: fresh.pem,
                    createdBy: "admin", at: Date()),
                onlyIfNone: false)
            let second = try TestPackage.make(version: "2.0.0")
            try await client.publishApproved(second)
            #expect(try await Self.key(client) == fresh.publicKey, "the newest key is served")

            let newBundle = try Self.bundle(try await client.request(.get, Self.path(second, "/signature")))
            #expect(newBundle.keyHint == fresh.publicKey.fingerprint)
            #expect(throws: SignatureError.self) { try newBundle.verifyFiles(second.extractedFiles, trusting: [oldKey]) }
            let oldBundle = try Self.bundle(try await client.request(.get, Self.path(first, "/signature")))
            #expect(throws: Never.self) { try oldBundle.verifyFiles(first.extractedFiles, trusting: [oldKey, fresh.publicKey]) }

            let listed = try await client.request(.get, "/api/v1/signing-keys").decode(SigningKeyList.self)
            #expect(listed.keys.map(\.fingerprint) == [oldKey.fingerprint, fresh.publicKey.fingerprint])
            #expect(listed.keys.map(\.current) == [false, true])
        }
    }

    @Test("a version published before the hub recorded its maxhub.yaml digest is signed from its archive")
    func olderVersionsAreSignedFromTheirArchive() async throws {
        let hub = try await TestHub.make()
        try await hub.run { client in
            let package = try TestPackage.make(version: "0.9.0")
            #expect(try await client.upload(package.archive).status == .created)
            let manifest = try Manifest(document: package.manifest)
            _ = try await hub.catalog.publishVersion(
                NewVersion(
                    manifest: manifest, manifestJSON: package.manifest, archive: package.reference, publishedBy: "curator-user",
                    publishedAt: Date()))
            let reviewed = try await client.request(
                .post, Self.path(package, "/review"), as: .reviewer, body: try client.json(ReviewRequest(decision: .approve)))
            #expect(reviewed.status == .ok)
            let bundle = try Self.bundle(try await client.request(.get, Self.path(package, "/signature")))
            let key = try await Self.key(client)
            #expect(throws: Never.self) { try bundle.verifyFiles(package.extractedFiles, trusting: [key]) }
        }
    }
}
