import Foundation
import MaxhubCore
import MaxhubTestSupport
import Testing
@testable import MaxhubStore

/// What every `CatalogStore` must do, run against each `CatalogStoreKind`.
@Suite(.onTestThreads) struct CatalogStoreContract {
    private typealias Fixtures = CatalogFixtures

    private static let approvedOnly = CatalogVisibility(states: [.approved])

    // MARK: Publishing

    @Test(arguments: CatalogStoreKind.allCases)
    func publishedVersionReadsBackWithEveryField(_ kind: CatalogStoreKind) async throws {
        try await kind.withStore { harness in
            let new = try Fixtures.makeVersion(
                name: "acme/digits-classifier", version: "1.2.0-rc.1+build.7",
                license: .init(code: "Apache-2.0", weights: "CC-BY-4.0", data: "CC0-1.0"), publishedBy: "alice"
            )
            let published = try await harness.store.publishVersion(new)
            let expected = VersionRecord(
                name: new.name, version: new.version, state: .pending, task: "image-classification",
                description: "Handwritten digit classifier (8x8 grayscale).",
                license: .init(code: "Apache-2.0", weights: "CC-BY-4.0", data: "CC0-1.0"), framework: "onnxruntime",
                archive: new.archive, publishedBy: "alice", publishedAt: CatalogTime.truncated(Fixtures.time),
                manifest: new.manifestJSON
            )
            #expect(published == expected)
            #expect(published.version.description == "1.2.0-rc.1+build.7", "build metadata is kept as written")
            #expect(published.publishedAt != Fixtures.time, "the time is truncated to the millisecond")

            let listed = try await harness.store.versions(of: new.name, visibility: .everything)
            #expect(listed == [expected])
            #expect(listed.first?.version.description == "1.2.0-rc.1+build.7")
            let found = try await harness.store.version(try Fixtures.version("1.2.0-rc.1"), of: new.name, visibility: .everything)
            #expect(found == expected)
            #expect(found?.version.description == "1.2.0-rc.1+build.7")
        }
    }

    @Test(arguments: CatalogStoreKind.allCases)
    func theDigestOfTheArchivesManifestFileIsKept(_ kind: CatalogStoreKind) async throws {
        try await kind.withStore { harness in
            var new = try Fixtures.makeVersion(name: "digits", version: "1.0.0")
            new.manifestFileDigest = Digest.of(Array("name: digits\n".utf8))
            #expect(try await harness.store.publishVersion(new).manifestFileDigest == new.manifestFileDigest)
            let found = try await harness.store.version(new.version, of: new.name, visibility: .everything)
            #expect(found?.manifestFileDigest == new.manifestFileDigest)
        }
    }

    @Test(arguments: CatalogStoreKind.allCases)
    func versionWithoutFrameworkHasNone(_ kind: CatalogStoreKind) async throws {
        try await kind.withStore { harness in
            let record = try await harness.store.publishVersion(try Fixtures.makeVersion(framework: nil))
            #expect(record.framework == nil)
            #expect(try await harness.store.versions(of: record.name, visibility: .everything).first?.framework == nil)
        }
    }

    @Test(arguments: CatalogStoreKind.allCases)
    func publishingAppendsAnAuditEntry(_ kind: CatalogStoreKind) async throws {
        try await kind.withStore { harness in
            _ = try await harness.store.publishVersion(try Fixtures.makeVersion(version: "1.0.0+b1", publishedBy: "carol"))
            let entries = try await harness.store.auditEntries(AuditFilter())
            #expect(entries.count == 1)
            let entry = try #require(entries.first)
            #expect(entry.action == AuditAction.publish)
            #expect(entry.actor == "carol")
            #expect(entry.subject == "digits-classifier@1.0.0+b1")
            #expect(entry.fromState == nil)
            #expect(entry.toState == .pending)
            #expect(entry.at == CatalogTime.truncated(Fixtures.time))
        }
    }

    @Test(arguments: CatalogStoreKind.allCases)
    func anExistingVersionIsRefusedWithItsState(_ kind: CatalogStoreKind) async throws {
        try await kind.withStore { harness in
            try await harness.publish("digits", "1.0.0+first", state: .approved)
            let name = try Fixtures.name("digits")
            for text in ["1.0.0", "1.0.0+first", "1.0.0+second"] {
                let again = try Fixtures.makeVersion(name: "digits", version: text, description: "Other content.")
                let error = await #expect(throws: CatalogError.self) { try await harness.store.publishVersion(again) }
                #expect(error == .versionExists(name, try Fixtures.version("1.0.0"), .approved))
            }
            // Nothing of the refused publishes remains.
            let versions = try await harness.store.versions(of: name, visibility: .everything)
            #expect(versions.map(\.version.description) == ["1.0.0+first"])
            #expect(versions.first?.description == "A model.")
            #expect(try await harness.store.auditEntries(AuditFilter()).count == 1)
        }
    }

    @Test(arguments: CatalogStoreKind.allCases)
    func aVersionNumberIsTakenWhateverItsState(_ kind: CatalogStoreKind) async throws {
        try await kind.withStore { harness in
            for (number, state) in [("1.0.0", ReviewState.pending), ("1.0.1", .rejected), ("1.0.2", .yanked)] {
                try await harness.publish("digits", number, state: state)
                let error = await #expect(throws: CatalogError.self) {
                    try await harness.store.publishVersion(try Fixtures.makeVersion(name: "digits", version: number))
                }
                #expect(error == .versionExists(try Fixtures.name("digits"), try Fixtures.version(number), state))
            }
        }
    }

    @Test(arguments: CatalogStoreKind.allCases)
    func theSameVersionOfAnotherModelIsFine(_ kind: CatalogStoreKind) async throws {
        try await kind.withStore { harness in
            try await harness.publish("digits", "1.0.0")
            try await harness.publish("acme/digits", "1.0.0")
            #expect(try await harness.store.versions(of: try Fixtures.name("acme/digits"), visibility: .everything).count == 1)
        }
    }

    // MARK: Reading versions

    @Test(arguments: CatalogStoreKind.allCases)
    func versionsComeHighestPrecedenceFirst(_ kind: CatalogStoreKind) async throws {
        try await kind.withStore { harness in
            let ordered = [
                "2.0.0", "1.10.0", "1.2.0", "1.0.0", "1.0.0-rc.1", "1.0.0-beta.11", "1.0.0-beta.2", "1.0.0-beta", "1.0.0-alpha.beta",
                "1.0.0-alpha.1", "1.0.0-alpha", "0.9.0",
            ]
            for text in ordered.shuffled() {
                try await harness.publish("digits", text)
            }
            let versions = try await harness.store.versions(of: try Fixtures.name("digits"), visibility: .everything)
            #expect(versions.map(\.version.description) == ordered)
        }
    }

    @Test(arguments: CatalogStoreKind.allCases)
    func anUnknownModelHasNoVersions(_ kind: CatalogStoreKind) async throws {
        try await kind.withStore { harness in
            try await harness.publish("digits", "1.0.0")
            let unknown = try Fixtures.name("nothing")
            #expect(try await harness.store.versions(of: unknown, visibility: .everything).isEmpty)
            #expect(try await harness.store.version(try Fixtures.version("1.0.0"), of: unknown, visibility: .everything) == nil)
            #expect(
                try await harness.store.version(try Fixtures.version("1.0.1"), of: try Fixtures.name("digits"), visibility: .everything)
                    == nil
            )
        }
    }

    @Test(arguments: CatalogStoreKind.allCases)
    func visibilityFollowsStatesAndPublisher(_ kind: CatalogStoreKind) async throws {
        try await kind.withStore { harness in
            try await harness.publish("digits", "1.0.0", state: .pending, by: "alice")
            try await harness.publish("digits", "1.0.1", state: .approved, by: "alice")
            try await harness.publish("digits", "1.0.2", state: .rejected, by: "bob")
            try await harness.publish("digits", "1.0.3", state: .yanked, by: "bob")
            let name = try Fixtures.name("digits")
            let cases: [(CatalogVisibility, [String])] = [
                (.everything, ["1.0.3", "1.0.2", "1.0.1", "1.0.0"]),
                (Self.approvedOnly, ["1.0.1"]),
                (CatalogVisibility(states: [.approved, .yanked]), ["1.0.3", "1.0.1"]),
                (CatalogVisibility(states: [.approved], publisher: "alice"), ["1.0.1", "1.0.0"]),
                (CatalogVisibility(states: [.approved], publisher: "bob"), ["1.0.3", "1.0.2", "1.0.1"]),
                (CatalogVisibility(states: [], publisher: "bob"), ["1.0.3", "1.0.2"]),
                (CatalogVisibility(states: []), []),
                (CatalogVisibility(states: [.pending, .rejected], publisher: "nobody"), ["1.0.2", "1.0.0"]),
            ]
            for (visibility, expected) in cases {
                let versions = try await harness.store.versions(of: name, visibility: visibility)
                #expect(versions.map(\.version.description) == expected, "\(visibility)")
                #expect(versions.allSatisfy(visibility.allows))
                for number in ["1.0.0", "1.0.1", "1.0.2", "1.0.3"] {
                    let found = try await harness.store.version(try Fixtures.version(number), of: name, visibility: visibility)
                    #expect((found != nil) == expected.contains(number), "\(number) with \(visibility)")
                }
            }
        }
    }

    // MARK: Search

    @Test(arguments: CatalogStoreKind.allCases)
    func searchMatchesWordPrefixesInNameDescriptionAndTask(_ kind: CatalogStoreKind) async throws {
        try await kind.withStore { harness in
            try await harness.publish("acme/digits-classifier", "1.0.0", task: "image-classification", description: "Handwritten digits.")
            try await harness.publish("sentiment", "1.0.0", task: "text-classification", description: "Movie review polarity.")
            try await harness.publish("whisper-tiny", "1.0.0", task: "automatic-speech-recognition", description: "Speech to text.")
            let cases: [(String, [String])] = [
                ("digits", ["acme/digits-classifier"]),
                ("acme", ["acme/digits-classifier"]),
                ("dig", ["acme/digits-classifier"]),
                ("DIGITS", ["acme/digits-classifier"]),
                ("classif", ["acme/digits-classifier", "sentiment"]),
                ("text", ["sentiment", "whisper-tiny"]),
                ("text classification", ["sentiment"]),
                ("text-classification", ["sentiment"]),
                ("movie polar", ["sentiment"]),
                ("speech", ["whisper-tiny"]),
                ("whisper tiny", ["whisper-tiny"]),
                ("digits speech", []),
                ("igits", []),
                ("zebra", []),
            ]
            for (text, expected) in cases {
                let result = try await harness.store.searchModels(ModelQuery(text: text), visibility: .everything)
                #expect(Set(result.models.map(\.latest.name.description)) == Set(expected), "\(text)")
                #expect(result.total == expected.count, "\(text)")
            }
        }
    }

    @Test(arguments: CatalogStoreKind.allCases)
    func searchRanksNameMatchesFirstThenOrdersByName(_ kind: CatalogStoreKind) async throws {
        try await kind.withStore { harness in
            try await harness.publish(
                "a-summarizer", "1.0.0", task: "summarization",
                description: "Summaries of long documents, distilled from a larger bert model with many layers and heads."
            )
            try await harness.publish("bert-base", "1.0.0", task: "fill-mask", description: "The base model.")
            try await harness.publish("c-model", "1.0.0", description: "Nothing to see.")
            let result = try await harness.store.searchModels(ModelQuery(text: "bert"), visibility: .everything)
            #expect(result.models.map(\.latest.name.description) == ["bert-base", "a-summarizer"])

            let all = try await harness.store.searchModels(ModelQuery(), visibility: .everything)
            #expect(all.models.map(\.latest.name.description) == ["a-summarizer", "bert-base", "c-model"])
        }
    }

    @Test(arguments: CatalogStoreKind.allCases)
    func searchFiltersByTaskFrameworkAndAnyLicense(_ kind: CatalogStoreKind) async throws {
        try await kind.withStore { harness in
            try await harness.publish(
                "one", "1.0.0", task: "image-classification", license: .init(code: "MIT", weights: "Apache-2.0", data: "CC0-1.0"),
                framework: "onnxruntime"
            )
            try await harness.publish(
                "two", "1.0.0", task: "text-classification", license: .init(code: "Apache-2.0", weights: "MIT", data: "CC-BY-4.0"),
                framework: "pytorch"
            )
            try await harness.publish(
                "three", "1.0.0", task: "image-classification", license: .init(code: "GPL-3.0-only", weights: "GPL-3.0-only", data: "MIT"),
                framework: nil
            )
            let cases: [(ModelQuery, [String])] = [
                (ModelQuery(task: "image-classification"), ["one", "three"]),
                (ModelQuery(task: "image"), []),
                (ModelQuery(framework: "pytorch"), ["two"]),
                (ModelQuery(framework: "onnx"), []),
                (ModelQuery(license: "MIT"), ["one", "three", "two"]),
                (ModelQuery(license: "Apache-2.0"), ["one", "two"]),
                (ModelQuery(license: "CC-BY-4.0"), ["two"]),
                (ModelQuery(license: "mit"), []),
                (ModelQuery(task: "image-classification", license: "MIT"), ["one", "three"]),
                (ModelQuery(task: "image-classification", framework: "onnxruntime", license: "CC0-1.0"), ["one"]),
                (ModelQuery(text: "one", task: "text-classification"), []),
                (ModelQuery(text: "two", framework: "pytorch"), ["two"]),
            ]
            for (query, expected) in cases {
                let result = try await harness.store.searchModels(query, visibility: .everything)
                #expect(result.models.map(\.latest.name.description) == expected, "\(query)")
                #expect(result.total == expected.count, "\(query)")
            }
        }
    }

    @Test(arguments: CatalogStoreKind.allCases)
    func searchDescribesAModelByItsLatestVisibleVersion(_ kind: CatalogStoreKind) async throws {
        try await kind.withStore { harness in
            // A release, a higher prerelease, and a higher release that only the publisher and reviewers see.
            try await harness.publish("digits", "1.0.0", task: "image-classification", description: "Old digits.")
            try await harness.publish("digits", "1.1.0-beta.1", task: "object-detection", description: "Beta boxes.")
            try await harness.publish("digits", "2.0.0", state: .pending, task: "image-segmentation", description: "New masks.", by: "bob")
            // Only prereleases visible: the highest prerelease describes the model.
            try await harness.publish("edge", "0.1.0-alpha", description: "Alpha thing.")
            try await harness.publish("edge", "0.1.0-beta", description: "Beta thing.")
            try await harness.publish("edge", "0.2.0", state: .rejected, description: "Rejected thing.")

            func latest(_ query: ModelQuery, _ visibility: CatalogVisibility) async throws -> [String] {
                try await harness.store.searchModels(query, visibility: visibility).models.map {
                    "\($0.latest.name)@\($0.latest.version)"
                }
            }
            #expect(try await latest(ModelQuery(), Self.approvedOnly) == ["digits@1.0.0", "edge@0.1.0-beta"])
            #expect(try await latest(ModelQuery(), .everything) == ["digits@2.0.0", "edge@0.2.0"])
            #expect(try await latest(ModelQuery(), CatalogVisibility(states: [.approved], publisher: "bob")) == ["digits@2.0.0", "edge@0.1.0-beta"])
            // Text and filters apply to the latest visible version only.
            #expect(try await latest(ModelQuery(text: "old"), Self.approvedOnly) == ["digits@1.0.0"])
            #expect(try await latest(ModelQuery(text: "old"), .everything) == [])
            #expect(try await latest(ModelQuery(text: "boxes"), Self.approvedOnly) == [])
            #expect(try await latest(ModelQuery(text: "masks"), CatalogVisibility(states: [.approved], publisher: "bob")) == ["digits@2.0.0"])
            #expect(try await latest(ModelQuery(task: "object-detection"), .everything) == [])
            #expect(try await latest(ModelQuery(task: "image-segmentation"), Self.approvedOnly) == [])
            #expect(try await latest(ModelQuery(text: "alpha"), Self.approvedOnly) == [])
            #expect(try await latest(ModelQuery(text: "beta thing"), Self.approvedOnly) == ["edge@0.1.0-beta"])
            // A model with nothing visible is not listed.
            #expect(try await latest(ModelQuery(), CatalogVisibility(states: [.yanked])) == [])
            #expect(try await latest(ModelQuery(), CatalogVisibility(states: [.rejected])) == ["edge@0.2.0"])

            let summary = try #require(try await harness.store.searchModels(ModelQuery(text: "digits"), visibility: Self.approvedOnly).models.first)
            let versions = try await harness.store.versions(of: try Fixtures.name("digits"), visibility: Self.approvedOnly)
            #expect(summary.latest == versions.latest)
        }
    }

    @Test(arguments: CatalogStoreKind.allCases)
    func searchPagesAndCountsEveryMatch(_ kind: CatalogStoreKind) async throws {
        try await kind.withStore { harness in
            let names = (0..<25).map { String(format: "model-%02d", $0) }
            for name in names.shuffled() {
                try await harness.publish(name, "1.0.0", description: "A numbered model.")
            }
            try await harness.publish("hidden", "1.0.0", state: .pending, description: "A numbered model.")
            for text: String? in [nil, "numbered"] {
                var seen: [String] = []
                for page in 1...4 {
                    let result = try await harness.store.searchModels(ModelQuery(text: text, page: page, perPage: 10), visibility: Self.approvedOnly)
                    #expect(result.total == 25)
                    #expect(result.models.count == [10, 10, 5, 0][page - 1])
                    seen += result.models.map(\.latest.name.description)
                }
                #expect(seen.count == 25)
                #expect(Set(seen) == Set(names))
                if text == nil { #expect(seen == names) }
            }
            let beyond = try await harness.store.searchModels(ModelQuery(page: Int.max, perPage: Int.max), visibility: Self.approvedOnly)
            #expect(beyond.total == 25)
            #expect(beyond.models.isEmpty)
            let nothing = try await harness.store.searchModels(ModelQuery(page: 0, perPage: 0), visibility: Self.approvedOnly)
            #expect(nothing.total == 25)
            #expect(nothing.models.isEmpty)
        }
    }

    @Test(arguments: CatalogStoreKind.allCases)
    func hostileSearchTextIsOnlyEverWords(_ kind: CatalogStoreKind) async throws {
        try await kind.withStore { harness in
            try await harness.publish("android-near", "1.0.0", description: "Runs near android phones or tablets.")
            try await harness.publish("other", "1.0.0", description: "Something else.")
            let cases: [(String, [String])] = [
                ("\"", ["android-near", "other"]),
                ("*", ["android-near", "other"]),
                ("(", ["android-near", "other"]),
                ("\"\"*) (", ["android-near", "other"]),
                ("\"\"*) OR (", ["android-near"]),
                ("   ", ["android-near", "other"]),
                ("", ["android-near", "other"]),
                ("AND", ["android-near"]),
                ("NEAR", ["android-near"]),
                ("NEAR(android phones)", ["android-near"]),
                ("NEAR(android phones, 2)", []),
                ("or", ["android-near"]),
                ("NOT other", []),
                ("name:other", []),
                ("description:else", []),
                ("^other", ["other"]),
                ("other*", ["other"]),
                ("\"other", ["other"]),
                ("android\" OR \"other", []),
                ("' OR 1=1 --", []),
                ("{name description}: x", []),
                ("phones\\tablets", ["android-near"]),
                ("😀 android 😀", ["android-near"]),
                ("anдroid", []),
                ("a\u{0301}ndroid", ["android-near"]),
                (String(repeating: "android ", count: 500), ["android-near"]),
                (String(repeating: "(", count: 10_000), ["android-near", "other"]),
            ]
            for (text, expected) in cases {
                let result = try await harness.store.searchModels(ModelQuery(text: text), visibility: .everything)
                #expect(result.models.map(\.latest.name.description).sorted() == expected, "\(text.prefix(40))")
            }
        }
    }

    // MARK: Tokens

    @Test(arguments: CatalogStoreKind.allCases)
    func tokensAreStoredFoundAndListedOldestFirst(_ kind: CatalogStoreKind) async throws {
        try await kind.withStore { harness in
            #expect(try await harness.store.tokenCount() == 0)
            #expect(try await harness.store.tokens().isEmpty)
            let first = Fixtures.makeToken(user: "admin", roles: [.admin], createdBy: "maxhub")
            let second = Fixtures.makeToken(user: "alice", roles: [.reviewer, .curator], createdBy: "admin", at: Fixtures.time + 60)
            let third = Fixtures.makeToken(user: "bob", roles: [], createdBy: "admin", at: Fixtures.time - 60)
            var records: [TokenRecord] = []
            for token in [first, second, third] {
                records.append(try await harness.store.createToken(token))
            }
            for (record, token) in zip(records, [first, second, third]) {
                #expect(record.user == token.user)
                #expect(record.roles == token.roles)
                #expect(record.hash == token.hash)
                #expect(record.createdBy == token.createdBy)
                #expect(record.createdAt == CatalogTime.truncated(token.createdAt))
                #expect(record.revokedAt == nil)
                #expect(try await harness.store.token(withHash: token.hash) == record)
            }
            #expect(Set(records.map(\.id)).count == 3)
            #expect(try await harness.store.tokens() == records, "in the order they were created")
            #expect(try await harness.store.tokenCount() == 3)
            #expect(try await harness.store.token(withHash: TokenSecret.hash(of: "mxh_unknown")) == nil)

            let audit = try await harness.store.auditEntries(AuditFilter(action: AuditAction.tokenCreate))
            #expect(audit.map(\.subject) == records.map { "token:\($0.id)" })
            #expect(audit.map(\.actor) == ["maxhub", "admin", "admin"])
            #expect(audit[1].detail?.contains("alice") == true)
            #expect(audit[1].detail?.contains("reviewer,curator") == true)
            #expect(audit.allSatisfy { $0.detail?.contains(first.hash) != true })
        }
    }

    @Test(arguments: CatalogStoreKind.allCases)
    func revokingIsRecordedOnceAndIdempotent(_ kind: CatalogStoreKind) async throws {
        try await kind.withStore { harness in
            let created = try await harness.store.createToken(Fixtures.makeToken(user: "alice"))
            let revokedAt = Fixtures.time + 3600.000_9
            let revoked = try await harness.store.revokeToken(id: created.id, by: "admin", at: revokedAt)
            var expected = created
            expected.revokedAt = CatalogTime.truncated(revokedAt)
            #expect(revoked == expected)
            #expect(try await harness.store.token(withHash: created.hash) == expected, "a revoked token is still found")
            #expect(try await harness.store.tokens() == [expected])
            #expect(try await harness.store.tokenCount() == 1, "revoked tokens count")

            let again = try await harness.store.revokeToken(id: created.id, by: "someone", at: revokedAt + 60)
            #expect(again == expected, "revoking again changes nothing")
            let entries = try await harness.store.auditEntries(AuditFilter(action: AuditAction.tokenRevoke))
            #expect(entries.count == 1)
            #expect(entries.first?.actor == "admin")
            #expect(entries.first?.subject == "token:\(created.id)")
            #expect(entries.first?.at == CatalogTime.truncated(revokedAt))

            let error = await #expect(throws: CatalogError.self) {
                try await harness.store.revokeToken(id: created.id + 1000, by: "admin", at: revokedAt)
            }
            #expect(error == .tokenNotFound(created.id + 1000))
        }
    }

    @Test(arguments: CatalogStoreKind.allCases)
    func ofRacingFirstTokensExactlyOneIsMade(_ kind: CatalogStoreKind) async throws {
        try await kind.withStore { harness in
            let store = harness.store
            let made = try await withThrowingTaskGroup(of: TokenRecord?.self) { group in
                for index in 0..<8 {
                    group.addTask { try await store.createFirstToken(Fixtures.makeToken(user: "admin-\(index)", roles: [.admin])) }
                }
                var made: [TokenRecord] = []
                for try await record in group { if let record { made.append(record) } }
                return made
            }
            #expect(made.count == 1, "\(made.map(\.user))")
            #expect(try await store.tokens() == made)
            #expect(try await store.auditEntries(AuditFilter(action: AuditAction.tokenCreate)).count == 1)
            #expect(try await store.createFirstToken(Fixtures.makeToken(user: "late", roles: [.admin])) == nil, "the catalog has a token")
            #expect(try await store.tokenCount() == 1)
        }
    }

    @Test(arguments: CatalogStoreKind.allCases)
    func aSharedSecretIsTheFirstOneProposed(_ kind: CatalogStoreKind) async throws {
        try await kind.withStore { harness in
            let store = harness.store
            let proposals = (0..<8).map { index in (0..<32).map { UInt8(truncatingIfNeeded: $0 * 7 + index) } }
            let answers = try await withThrowingTaskGroup(of: [UInt8].self) { group in
                for proposal in proposals { group.addTask { try await store.sharedSecret("web", proposal: proposal) } }
                var answers: [[UInt8]] = []
                for try await answer in group { answers.append(answer) }
                return answers
            }
            #expect(Set(answers).count == 1, "every caller got the same secret")
            #expect(proposals.contains(answers[0]))
            #expect(try await store.sharedSecret("web", proposal: [1, 2, 3]) == answers[0], "a stored secret stays")
            #expect(try await store.sharedSecret("signing", proposal: [9]) == [9], "each name has its own")
            #expect(try await store.generation() == 0, "a secret is not part of what the catalog shows")
        }
    }

    // MARK: Audit

    @Test(arguments: CatalogStoreKind.allCases)
    func auditEntriesComeOldestFirstAndFilter(_ kind: CatalogStoreKind) async throws {
        try await kind.withStore { harness in
            try await harness.publish("digits", "1.0.0", state: .pending, by: "alice")
            try await harness.publish("digits-extra", "1.0.0", state: .pending, by: "bob")
            let token = try await harness.store.createToken(Fixtures.makeToken(user: "carol", createdBy: "admin"))
            try await harness.publish("digits", "1.1.0", state: .pending, by: "bob")
            try await harness.publish("acme/digits", "1.0.0", state: .pending, by: "alice")
            _ = try await harness.store.revokeToken(id: token.id, by: "admin", at: Fixtures.time)

            let all = try await harness.store.auditEntries(AuditFilter())
            #expect(all.map(\.subject) == [
                "digits@1.0.0", "digits-extra@1.0.0", "token:\(token.id)", "digits@1.1.0", "acme/digits@1.0.0", "token:\(token.id)",
            ])
            #expect(all.map(\.id) == all.map(\.id).sorted())
            #expect(Set(all.map(\.id)).count == all.count)

            func subjects(_ filter: AuditFilter) async throws -> [String] {
                try await harness.store.auditEntries(filter).map(\.subject)
            }
            #expect(try await subjects(AuditFilter(actor: "alice")) == ["digits@1.0.0", "acme/digits@1.0.0"])
            #expect(try await subjects(AuditFilter(action: AuditAction.tokenRevoke)) == ["token:\(token.id)"])
            #expect(try await subjects(AuditFilter(subject: "digits")) == ["digits@1.0.0", "digits@1.1.0"])
            #expect(try await subjects(AuditFilter(subject: "digits@1.1.0")) == ["digits@1.1.0"])
            #expect(try await subjects(AuditFilter(subject: "acme/digits")) == ["acme/digits@1.0.0"])
            #expect(try await subjects(AuditFilter(subject: "digit")) == [])
            #expect(try await subjects(AuditFilter(subject: "token:\(token.id)")) == ["token:\(token.id)", "token:\(token.id)"])
            #expect(try await subjects(AuditFilter(actor: "bob", subject: "digits")) == ["digits@1.1.0"])
            #expect(try await subjects(AuditFilter(actor: "nobody")) == [])

            // Paging by id.
            var paged: [AuditEntry] = []
            var after: Int64?
            while true {
                let page = try await harness.store.auditEntries(AuditFilter(afterID: after, limit: 4))
                #expect(page.count <= 4)
                guard let last = page.last else { break }
                paged += page
                after = last.id
            }
            #expect(paged == all)
            #expect(try await harness.store.auditEntries(AuditFilter(limit: 2)) == Array(all.prefix(2)))
            #expect(try await harness.store.auditEntries(AuditFilter(limit: 0)).isEmpty)
            #expect(try await harness.store.auditEntries(AuditFilter(action: AuditAction.publish, afterID: all[1].id)).map(\.subject) == [
                "digits@1.1.0", "acme/digits@1.0.0",
            ])
        }
    }
}
