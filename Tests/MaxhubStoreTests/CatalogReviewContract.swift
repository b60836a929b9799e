import Foundation
import MaxhubCore
import MaxhubTestSupport
import Testing
@testable import MaxhubStore

/// What every `CatalogStore` must do with reviews, yanks and the review queue, run against each `CatalogStoreKind`.
@Suite(.onTestThreads) struct CatalogReviewContract {
    private typealias Fixtures = CatalogFixtures

    private static func review(
        _ name: String, _ version: String, _ decision: ReviewRequest.Decision, by reviewer: String = "rita",
        license: Manifest.Licenses = .init(code: "MIT", weights: "MIT", data: "CC0-1.0"), note: String? = nil
    ) throws -> NewReview {
        NewReview(
            name: try Fixtures.name(name), version: try Fixtures.version(version), reviewer: reviewer, decision: decision,
            license: license, note: note, at: Fixtures.time.addingTimeInterval(60))
    }

    private static func change(_ name: String, _ version: String, to state: ReviewState, by actor: String, reason: String? = nil) throws -> StateChange {
        StateChange(
            name: try Fixtures.name(name), version: try Fixtures.version(version), to: state, actor: actor, reason: reason,
            at: Fixtures.time.addingTimeInterval(120))
    }

    @Test(arguments: CatalogStoreKind.allCases)
    func everyChangeToWhatTheCatalogShowsMovesTheGeneration(_ kind: CatalogStoreKind) async throws {
        try await kind.withStore { harness in
            var last = try await harness.store.generation()
            func moved(_ what: String) async throws {
                let now = try await harness.store.generation()
                #expect(now > last, "\(what) moves the generation")
                last = now
            }
            _ = try await harness.store.publishVersion(try Fixtures.makeVersion(name: "digits", version: "1.0.0"))
            try await moved("a publish")
            _ = try await harness.store.recordReview(try Self.review("digits", "1.0.0", .approve))
            try await moved("a review")
            _ = try await harness.store.changeState(try Self.change("digits", "1.0.0", to: .yanked, by: "rita", reason: "bad"))
            try await moved("a yank")
            _ = try await harness.store.changeState(try Self.change("digits", "1.0.0", to: .approved, by: "rita"))
            try await moved("an unyank")

            // A write that fails changes nothing, and tokens are not what the catalog shows.
            await #expect(throws: (any Error).self) {
                _ = try await harness.store.publishVersion(try Fixtures.makeVersion(name: "digits", version: "1.0.0"))
            }
            _ = try await harness.store.createToken(
                NewToken(user: "tim", roles: [.reader], hash: String(repeating: "ab", count: 32), createdBy: "admin", createdAt: Fixtures.time))
            #expect(try await harness.store.generation() == last)
        }
    }

    private static func newKey(by actor: String = "maxhub serve") -> NewSigningKey {
        let key = HubSigningKey()
        return NewSigningKey(
            fingerprint: key.publicKey.fingerprint, publicKeyPEM: key.publicKey.pem, privateKeyPEM: key.pem, createdBy: actor,
            at: Fixtures.time)
    }

    @Test(arguments: CatalogStoreKind.allCases)
    func ofRacingFirstSigningKeysExactlyOneIsMadeAndRotationsAddKeys(_ kind: CatalogStoreKind) async throws {
        try await kind.withStore { harness in
            let store = harness.store
            #expect(try await store.signingKeys().isEmpty)
            let made = try await withThrowingTaskGroup(of: SigningKeyRecord?.self) { group in
                for _ in 0..<6 { group.addTask { try await store.addSigningKey(Self.newKey(), onlyIfNone: true) } }
                var made: [SigningKeyRecord] = []
                for try await record in group { if let record { made.append(record) } }
                return made
            }
            #expect(made.count == 1)
            #expect(try await store.signingKeys() == made)
            let rotated = try #require(try await store.addSigningKey(Self.newKey(by: "admin"), onlyIfNone: false))
            #expect(try await store.addSigningKey(Self.newKey(), onlyIfNone: true) == nil, "the catalog has keys")
            let keys = try await store.signingKeys()
            #expect(keys.map(\.fingerprint) == [made[0].fingerprint, rotated.fingerprint], "oldest first; the newest signs")
            #expect(keys.last?.createdBy == "admin" && keys.last?.createdAt == CatalogTime.truncated(Fixtures.time))
            #expect(try HubSigningKey(pem: keys[1].privateKeyPEM).publicKey.pem == keys[1].publicKeyPEM)
            #expect(try await store.auditEntries(AuditFilter(action: AuditAction.keyCreate)).count == 2)
            #expect(try await store.generation() == 0, "keys are not part of what the catalog shows")
            // The same key twice is refused by the schema.
            var again = Self.newKey()
            again.fingerprint = rotated.fingerprint
            again.publicKeyPEM = rotated.publicKeyPEM
            await #expect(throws: (any Error).self) { _ = try await store.addSigningKey(again, onlyIfNone: false) }
        }
    }

    @Test(arguments: CatalogStoreKind.allCases)
    func anApprovalKeepsItsSignaturesAndARejectionHasNone(_ kind: CatalogStoreKind) async throws {
        try await kind.withStore { harness in
            let store = harness.store
            let key = try #require(try await store.addSigningKey(Self.newKey(), onlyIfNone: true))
            try await harness.publish("digits", "1.0.0", state: .pending)
            try await harness.publish("digits", "1.1.0", state: .pending)
            #expect(try await store.signatures(of: try Fixtures.name("digits"), version: try Fixtures.version("1.0.0"), visibility: .everything).isEmpty)
            let files = VersionSignature(kind: .files, keyFingerprint: key.fingerprint, bundle: Array(#"{"files": 1}"#.utf8))
            let reviewed = VersionSignature(kind: .review, keyFingerprint: key.fingerprint, bundle: Array(#"{"review": 1}"#.utf8))
            var approval = try Self.review("digits", "1.0.0", .approve)
            approval.signatures = [files, reviewed]
            _ = try await store.recordReview(approval)
            var rejection = try Self.review("digits", "1.1.0", .reject, note: "no licence for the data")
            rejection.signatures = [files]
            _ = try await store.recordReview(rejection)

            let name = try Fixtures.name("digits")
            #expect(try await store.signatures(of: name, version: try Fixtures.version("1.0.0"), visibility: .everything) == [files, reviewed])
            #expect(try await store.signatures(of: name, version: try Fixtures.version("1.1.0"), visibility: .everything).isEmpty)
            #expect(try await store.signatures(of: name, version: try Fixtures.version("1.0.0"), visibility: CatalogVisibility(states: [.rejected])).isEmpty)
            // A yank and its undo keep the signatures.
            _ = try await store.changeState(try Self.change("digits", "1.0.0", to: .yanked, by: "rita", reason: "bad"))
            _ = try await store.changeState(try Self.change("digits", "1.0.0", to: .approved, by: "rita"))
            #expect(try await store.signatures(of: name, version: try Fixtures.version("1.0.0"), visibility: .everything) == [files, reviewed])

            // A signature by a key the catalog does not hold is refused, with the whole approval.
            try await harness.publish("digits", "1.2.0", state: .pending)
            var stranger = try Self.review("digits", "1.2.0", .approve)
            stranger.signatures = [VersionSignature(kind: .files, keyFingerprint: String(repeating: "0", count: 64), bundle: Array("{}".utf8))]
            await #expect(throws: (any Error).self) { _ = try await store.recordReview(stranger) }
            #expect(try await store.version(try Fixtures.version("1.2.0"), of: name, visibility: .everything)?.state == .pending)
        }
    }

    @Test(arguments: CatalogStoreKind.allCases)
    func versionsApprovedWithoutSignaturesAreSignedOnce(_ kind: CatalogStoreKind) async throws {
        try await kind.withStore { harness in
            let store = harness.store
            let key = try #require(try await store.addSigningKey(Self.newKey(), onlyIfNone: true))
            try await harness.publish("digits", "1.0.0", state: .pending)
            try await harness.publish("digits", "1.1.0", state: .pending)
            try await harness.publish("digits", "1.2.0", state: .pending)
            _ = try await store.recordReview(try Self.review("digits", "1.0.0", .approve))
            _ = try await store.recordReview(try Self.review("digits", "1.1.0", .reject, note: "no"))
            var signedReview = try Self.review("digits", "1.2.0", .approve)
            let files = VersionSignature(kind: .files, keyFingerprint: key.fingerprint, bundle: Array(#"{"files": 1}"#.utf8))
            signedReview.signatures = [files]
            _ = try await store.recordReview(signedReview)
            #expect(try await store.unsignedVersions().map(\.version.description) == ["1.0.0"], "approved, and without signatures")

            let name = try Fixtures.name("digits")
            let version = try Fixtures.version("1.0.0")
            let outcomes = try await withThrowingTaskGroup(of: Bool.self) { group in
                for _ in 0..<4 { group.addTask { try await store.addSignatures([files], to: name, version: version) } }
                var outcomes: [Bool] = []
                for try await outcome in group { outcomes.append(outcome) }
                return outcomes
            }
            #expect(outcomes.filter { $0 }.count == 1, "one of the racing hubs signs it")
            #expect(try await store.signatures(of: name, version: version, visibility: .everything) == [files])
            #expect(try await store.unsignedVersions().isEmpty)
            #expect(try await store.addSignatures([files], to: name, version: try Fixtures.version("1.1.0")) == false, "a rejected version")
        }
    }

    @Test(arguments: CatalogStoreKind.allCases)
    func approvingRecordsTheReviewAndTheConfirmedLicenses(_ kind: CatalogStoreKind) async throws {
        try await kind.withStore { harness in
            try await harness.publish("digits", "1.0.0+b1", state: .pending)
            let corrected = Manifest.Licenses(code: "MIT", weights: "CC-BY-NC-4.0", data: "CC0-1.0")
            let approved = try await harness.store.recordReview(
                try Self.review("digits", "1.0.0", .approve, license: corrected, note: "weights are non-commercial"))
            #expect(approved.state == .approved)
            #expect(approved.license == corrected)
            #expect(approved.version.description == "1.0.0+b1")
            let review = try #require(approved.review)
            #expect(review == Review(
                reviewer: "rita", decision: .approve, license: corrected, note: "weights are non-commercial",
                reviewedAt: CatalogTime.truncated(Fixtures.time.addingTimeInterval(60))))
            let read = try await harness.store.version(try Fixtures.version("1.0.0"), of: try Fixtures.name("digits"), visibility: .everything)
            #expect(read == approved)
            let search = try await harness.store.searchModels(ModelQuery(license: "CC-BY-NC-4.0"), visibility: .everything)
            #expect(search.models.map(\.latest.name.description) == ["digits"])

            let entries = try await harness.store.auditEntries(AuditFilter(action: "version.approve"))
            #expect(entries.count == 1)
            #expect(entries.first?.actor == "rita")
            #expect(entries.first?.subject == "digits@1.0.0+b1")
            #expect(entries.first?.fromState == .pending)
            #expect(entries.first?.toState == .approved)
            #expect(entries.first?.detail?.contains("CC-BY-NC-4.0") == true)
        }
    }

    @Test(arguments: CatalogStoreKind.allCases)
    func onlyAPendingVersionCanBeReviewed(_ kind: CatalogStoreKind) async throws {
        try await kind.withStore { harness in
            try await harness.publish("digits", "1.0.0", state: .pending)
            let rejected = try await harness.store.recordReview(try Self.review("digits", "1.0.0", .reject, note: "data license unclear"))
            #expect(rejected.state == .rejected)
            #expect(rejected.review?.note == "data license unclear")
            await #expect(throws: CatalogError.invalidTransition(try Fixtures.name("digits"), try Fixtures.version("1.0.0"), from: .rejected, to: .approved)) {
                try await harness.store.recordReview(try Self.review("digits", "1.0.0", .approve))
            }
            await #expect(throws: CatalogError.versionNotFound(try Fixtures.name("digits"), try Fixtures.version("9.9.9"))) {
                try await harness.store.recordReview(try Self.review("digits", "9.9.9", .approve))
            }
            let entries = try await harness.store.auditEntries(AuditFilter(subject: "digits"))
            #expect(entries.map(\.action) == [AuditAction.publish, "version.reject"])
        }
    }

    @Test(arguments: CatalogStoreKind.allCases)
    func yankingAndRestoring(_ kind: CatalogStoreKind) async throws {
        try await kind.withStore { harness in
            try await harness.publish("digits", "1.0.0", state: .pending)
            _ = try await harness.store.recordReview(try Self.review("digits", "1.0.0", .approve))
            let yanked = try await harness.store.changeState(try Self.change("digits", "1.0.0", to: .yanked, by: "carol", reason: "broken"))
            #expect(yanked.state == .yanked)
            #expect(yanked.yankReason == "broken")
            #expect(yanked.review?.decision == .approve, "the review stays")
            let restored = try await harness.store.changeState(try Self.change("digits", "1.0.0", to: .approved, by: "ada"))
            #expect(restored.state == .approved)
            #expect(restored.yankReason == nil)
            let story = try await harness.store.auditEntries(AuditFilter(subject: "digits")).map {
                "\($0.action) \($0.actor) \($0.fromState?.rawValue ?? "-")>\($0.toState?.rawValue ?? "-")"
            }
            #expect(story == [
                "version.publish alice ->pending", "version.approve rita pending>approved", "version.yank carol approved>yanked",
                "version.unyank ada yanked>approved",
            ])
        }
    }

    @Test(arguments: CatalogStoreKind.allCases)
    func stateChangesOutsideTheWorkflowAreRefused(_ kind: CatalogStoreKind) async throws {
        try await kind.withStore { harness in
            try await harness.publish("digits", "1.0.0", state: .pending)
            try await harness.publish("digits", "2.0.0", state: .pending)
            _ = try await harness.store.recordReview(try Self.review("digits", "2.0.0", .reject, note: "no"))
            let name = try Fixtures.name("digits")
            let cases: [(String, ReviewState, ReviewState)] = [
                ("1.0.0", .pending, .yanked), ("1.0.0", .pending, .approved), ("2.0.0", .rejected, .approved),
                ("2.0.0", .rejected, .yanked),
            ]
            for (version, from, to) in cases {
                await #expect(throws: CatalogError.invalidTransition(name, try Fixtures.version(version), from: from, to: to)) {
                    try await harness.store.changeState(try Self.change("digits", version, to: to, by: "ada"))
                }
            }
            await #expect(throws: CatalogError.versionNotFound(name, try Fixtures.version("3.0.0"))) {
                try await harness.store.changeState(try Self.change("digits", "3.0.0", to: .yanked, by: "ada"))
            }
            #expect(try await harness.store.versions(of: name, visibility: .everything).map(\.state) == [.rejected, .pending])
        }
    }

    @Test(arguments: CatalogStoreKind.allCases)
    func theQueueIsOldestPublishedFirst(_ kind: CatalogStoreKind) async throws {
        try await kind.withStore { harness in
            try await harness.publish("b-model", "1.0.0", state: .pending, at: Fixtures.time.addingTimeInterval(10))
            try await harness.publish("a-model", "2.0.0", state: .pending, at: Fixtures.time.addingTimeInterval(20))
            try await harness.publish("c-model", "1.0.0", state: .pending, at: Fixtures.time)
            try await harness.publish("d-model", "1.0.0", state: .approved)
            let queue = try await harness.store.versions(in: .pending)
            #expect(queue.map(\.name.description) == ["c-model", "b-model", "a-model"])
            #expect(try await harness.store.versions(in: .approved).map(\.name.description) == ["d-model"])
            #expect(try await harness.store.versions(in: .yanked).isEmpty)
        }
    }
}
