@testable import MaxhubStore
import Foundation
import GRDB
import MaxhubCore
import MaxhubTestSupport
import Testing

/// What the SQLite catalog promises beyond the contract: its schema's invariants, reopening, and fast searches.
@Suite(.onTestThreads) struct SQLiteCatalogStoreTests {
    private typealias Fixtures = CatalogFixtures

    @Test func auditRowsCannotBeUpdatedOrDeleted() async throws {
        let store = try SQLiteCatalogStore.inMemory()
        _ = try await store.publishVersion(try Fixtures.makeVersion())
        for sql in [
            "UPDATE audit_entry SET actor = 'mallory'",
            "DELETE FROM audit_entry",
            "DELETE FROM audit_entry WHERE id = (SELECT MAX(id) FROM audit_entry)",
        ] {
            let error = await #expect(throws: CatalogStorageError.self) { try await store.execute(sql: sql) }
            guard case .database(_, let message) = error else {
                Issue.record("unexpected \(String(describing: error))")
                continue
            }
            #expect(message.contains("append-only"), "\(message)")
        }
        let entries = try await store.auditEntries(AuditFilter())
        #expect(entries.map(\.actor) == ["alice"])
    }

    @Test func theSchemaRefusesWhatTheHubNeverWrites() async throws {
        let store = try SQLiteCatalogStore.inMemory()
        _ = try await store.publishVersion(try Fixtures.makeVersion())
        let refused = [
            "UPDATE version SET state = 'published'",
            "UPDATE version SET manifest = '{not json'",
            "UPDATE version SET archive_size = -1",
            "UPDATE version SET model_id = 42",
            "INSERT INTO model (name, created_at) VALUES ('digits-classifier', 'now')",
            "INSERT INTO audit_entry (at, actor, action, subject, to_state) VALUES ('t', 'a', 'b', 'c', 'gone')",
        ]
        for sql in refused {
            await #expect(throws: CatalogStorageError.self, "\(sql)") { try await store.execute(sql: sql) }
        }
    }

    @Test func anUnreadableRowIsAClearError() async throws {
        let store = try SQLiteCatalogStore.inMemory()
        _ = try await store.publishVersion(try Fixtures.makeVersion())
        try await store.execute(sql: "UPDATE version SET version = 'one.two'")
        let error = await #expect(throws: CatalogStorageError.self) {
            try await store.versions(of: try Fixtures.name("digits-classifier"), visibility: .everything)
        }
        guard case .unreadableRow(let table, let id, _) = error else {
            Issue.record("unexpected \(String(describing: error))")
            return
        }
        #expect(table == "version")
        #expect(id == 1)
        #expect(error?.description.contains("one.two") == true)
    }

    @Test func anOnDiskCatalogKeepsItsDataWhenReopened() async throws {
        let folder = try TestFolder()
        defer { folder.remove() }
        let path = folder.path("catalog.sqlite")
        let published: VersionRecord
        let token: TokenRecord
        do {
            let store = try SQLiteCatalogStore(path: path)
            published = try await store.publishVersion(try Fixtures.makeVersion(version: "1.0.0-rc.1+b"))
            token = try await store.createToken(Fixtures.makeToken())
            #expect(try await store.appliedMigrations() == ["v1", "v2-reviews", "v3-readmes", "v4-token-expiry", "v5-catalog-generation", "v6-hub-secrets", "v7-signatures", "v8-archive-layers", "v9-registry", "v10-registry-subjects"])
            #expect(FileManager.default.fileExists(atPath: path + "-wal"), "the pool runs in WAL mode")
        }
        for _ in 0..<2 {
            let reopened = try SQLiteCatalogStore(path: path)
            #expect(try await reopened.appliedMigrations() == ["v1", "v2-reviews", "v3-readmes", "v4-token-expiry", "v5-catalog-generation", "v6-hub-secrets", "v7-signatures", "v8-archive-layers", "v9-registry", "v10-registry-subjects"], "the migrator runs each migration once")
            #expect(try await reopened.versions(of: published.name, visibility: .everything) == [published])
            #expect(try await reopened.tokens() == [token])
            #expect(try await reopened.auditEntries(AuditFilter()).count == 2)
            let found = try await reopened.searchModels(ModelQuery(text: "digit"), visibility: .everything)
            #expect(found.models.map(\.latest) == [published])
        }
    }

    @Test func manifestsPushedBeforeSubjectsWereKeptAreReadForTheirSubject() async throws {
        let folder = try TestFolder()
        defer { folder.remove() }
        let path = folder.path("catalog.sqlite")
        let subject = Digest.of(Array("image".utf8))
        let referrer = #"{"schemaVersion":2,"subject":{"digest":"\#(subject)","size":5}}"#
        do {
            let queue = try DatabaseQueue(path: path)
            try CatalogSchema.migrator.migrate(queue, upTo: "v9-registry")
            try await queue.write { db in
                for body in [referrer, #"{"schemaVersion":2}"#] {
                    try db.execute(
                        sql: "INSERT INTO registry_manifest VALUES ('digits/serving', ?, 'application/vnd.oci.image.manifest.v1+json', ?, 'carl', ?)",
                        arguments: [Digest.of(Array(body.utf8)).description, body, CatalogTime.text(CatalogFixtures.time)])
                }
            }
        }
        let store = try SQLiteCatalogStore(path: path)
        let found = try await store.referrers(of: subject, in: "digits/serving")
        #expect(found.map(\.digest) == [Digest.of(Array(referrer.utf8))])
    }

    @Test func aFolderThatIsNotThereIsAClearError() {
        #expect(throws: CatalogStorageError.self) { try SQLiteCatalogStore(path: "/nonexistent/maxhub/catalog.sqlite") }
    }

    @Test func concurrentPublishesOfTheSameVersionLetExactlyOneIn() async throws {
        let folder = try TestFolder()
        defer { folder.remove() }
        let store = try SQLiteCatalogStore(path: folder.path("catalog.sqlite"))
        let outcomes = try await withThrowingTaskGroup(of: Bool.self) { group in
            for index in 0..<8 {
                group.addTask {
                    do {
                        _ = try await store.publishVersion(try Fixtures.makeVersion(version: "1.0.0+try\(index)"))
                        return true
                    } catch is CatalogError {
                        return false
                    }
                }
            }
            return try await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(outcomes.filter { $0 }.count == 1)
        #expect(try await store.auditEntries(AuditFilter()).count == 1)
    }

    // MARK: Searching a large catalog

    /// 1,000 models of 3 versions each (a prerelease, two releases in assorted states), shared by every test below.
    private static let large = LargeCatalog()

    @Test(arguments: [
        ModelQuery(), ModelQuery(text: "vision"), ModelQuery(text: "model 7"), ModelQuery(task: "text-classification"),
        ModelQuery(text: "classifier", framework: "pytorch", license: "MIT", page: 3), ModelQuery(license: "Apache-2.0", page: 40),
    ])
    func searchPlansNeverScanVersions(_ query: ModelQuery) async throws {
        let store = try await Self.large.store()
        for visibility in [CatalogVisibility(states: [.approved]), CatalogVisibility(states: [.approved], publisher: "user-3"), .everything] {
            let plan = try await store.searchPlan(query, visibility: visibility)
            // Scanning the full-text hits, or the models once each by the name index, is the plan; scanning versions is not.
            for line in plan where line.hasPrefix("SCAN ") {
                let table = line.split(separator: " ")[1]
                let allowed = table == "version_search" || table == "hits" || (table == "m" && line.contains(" INDEX "))
                #expect(allowed, "\(line) in \(plan)")
            }
            #expect(plan.contains { $0.contains("w USING COVERING INDEX version_latest") }, "\(plan)")
        }
    }

    /// How fast these are is `bench/hub-catalog.sh`'s to say; that they stay on the indexes is the plan test's.
    @Test func searchingAThousandModelsFindsThemForEveryKindOfQuery() async throws {
        let store = try await Self.large.store()
        let visibility = CatalogVisibility(states: [.approved], publisher: "user-3")
        let queries = [
            ModelQuery(), ModelQuery(page: 50), ModelQuery(text: "vision"), ModelQuery(text: "model 7"), ModelQuery(text: "m"),
            ModelQuery(task: "text-classification"), ModelQuery(text: "classifier", framework: "pytorch", license: "MIT"),
        ]
        for query in queries {
            let result = try await store.searchModels(query, visibility: visibility)
            #expect(result.total > 0, "\(query)")
            #expect(result.models.count == min(query.perPage, max(0, result.total - (query.page - 1) * query.perPage)), "\(query)")
        }
    }

    @Test func theLargeCatalogAnswersAsTheRuleSays() async throws {
        let store = try await Self.large.store()
        let approved = CatalogVisibility(states: [.approved])
        let all = try await store.searchModels(ModelQuery(perPage: 2000), visibility: approved)
        #expect(all.total == all.models.count)
        for summary in all.models.prefix(50) {
            let versions = try await store.versions(of: summary.latest.name, visibility: approved)
            #expect(summary.latest == versions.latest)
        }
    }
}

/// A catalog of 1,000 models, built once for the tests that need it.
actor LargeCatalog {
    private var built: SQLiteCatalogStore?

    func store() async throws -> SQLiteCatalogStore {
        if let built { return built }
        let store = try SQLiteCatalogStore.inMemory()
        let tasks = ["image-classification", "text-classification", "object-detection", "translation"]
        let frameworks = ["onnxruntime", "pytorch", "tensorflow"]
        let licenses = ["MIT", "Apache-2.0", "CC-BY-4.0", "BSD-3-Clause"]
        let words = ["vision", "language", "speech", "tabular", "classifier", "detector", "tiny", "large"]
        for index in 0..<1000 {
            let name = String(format: "model-%04d", index)
            for (number, version) in ["1.0.0", "1.1.0", "2.0.0-beta.1"].enumerated() {
                let new = try CatalogFixtures.makeVersion(
                    name: name, version: version, task: tasks[(index + number) % tasks.count],
                    description: "A \(words[index % words.count]) \(words[(index / 8 + number) % words.count]) model number \(index).",
                    license: .init(code: licenses[index % 4], weights: licenses[(index / 4) % 4], data: "CC0-1.0"),
                    framework: frameworks[(index + number) % 3], publishedBy: "user-\(index % 10)"
                )
                _ = try await store.publishVersion(new)
            }
        }
        // Per model: 1.0.0 approved; 1.1.0 approved, pending, rejected or yanked in turn; 2.0.0-beta.1 pending.
        try await store.execute(
            sql: """
                UPDATE version SET state = CASE (id - 1) % 3
                    WHEN 0 THEN 'approved'
                    WHEN 2 THEN 'pending'
                    ELSE CASE ((id - 1) / 3) % 4 WHEN 0 THEN 'approved' WHEN 1 THEN 'pending' WHEN 2 THEN 'rejected' ELSE 'yanked' END
                END
                """
        )
        built = store
        return store
    }
}
