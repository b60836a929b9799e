@testable import MaxhubStore
import Foundation
import MaxhubCore
import MaxhubTestSupport
import Testing

/// What the PostgreSQL catalog promises beyond the contract: hubs racing through pools of their own, reopening,
/// schema versions, the URLs it takes, its schema's invariants, and searches that rank as SQLite's do.
@Suite(.onTestThreads) struct PostgresCatalogStoreTests {
    private typealias Fixtures = CatalogFixtures

    /// Runs `body` with the URL of a new, empty database on the test server, then drops the database.
    private static func withDatabase(_ body: (PostgresServer, String) async throws -> Void) async throws {
        let server = try await PostgresServer.shared()
        let database = try await server.makeDatabase()
        do {
            try await body(server, server.url(database: database))
        } catch {
            try? await server.dropDatabase(database)
            throw error
        }
        try await server.dropDatabase(database)
    }

    /// Runs `body` with `count` stores on one database, each with a connection pool of its own, then shuts them down.
    private static func withStores(_ count: Int, url: String, _ body: ([PostgresCatalogStore]) async throws -> Void) async throws {
        var stores: [PostgresCatalogStore] = []
        for _ in 0..<count { stores.append(try await PostgresCatalogStore.connect(url: url)) }
        do {
            try await body(stores)
        } catch {
            for store in stores { await store.shutdown() }
            throw error
        }
        for store in stores { await store.shutdown() }
    }

    @Test func theServerStarted() async throws {
        let server = try await PostgresServer.shared()
        print("PostgreSQL started in \(String(format: "%.2f", server.startSeconds)) s")
        #expect(server.startSeconds > 0 && server.startSeconds < 60)
        let version = try await server.psql("SHOW server_version_num").trimmingCharacters(in: .whitespacesAndNewlines)
        #expect((Int(version) ?? 0) >= 150000, "\(version)")
    }

    // MARK: Races

    @Test func sixteenPublishesThroughSixteenPoolsLetExactlyOneIn() async throws {
        try await Self.withDatabase { _, url in
            try await Self.withStores(16, url: url) { stores in
                let outcomes = try await withThrowingTaskGroup(of: Result<VersionRecord, CatalogError>.self) { group in
                    for store in stores {
                        group.addTask {
                            do {
                                return .success(try await store.publishVersion(try Fixtures.makeVersion(name: "digits", version: "1.0.0")))
                            } catch let error as CatalogError {
                                return .failure(error)
                            }
                        }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                let published = outcomes.compactMap { try? $0.get() }
                let refusals = outcomes.compactMap { outcome -> CatalogError? in
                    guard case .failure(let error) = outcome else { return nil }
                    return error
                }
                let refusal = CatalogError.versionExists(try Fixtures.name("digits"), try Fixtures.version("1.0.0"), .pending)
                #expect(published.count == 1)
                #expect(refusals.count == 15)
                #expect(refusals.allSatisfy { $0 == refusal }, "\(refusals)")
                let reader = stores[0]
                #expect(try await reader.versions(of: try Fixtures.name("digits"), visibility: .everything) == published)
                #expect(try await reader.auditEntries(AuditFilter()).count == 1)
            }
        }
    }

    @Test func reviewsAndStateChangesRacingForOneVersionLetExactlyOneIn() async throws {
        try await Self.withDatabase { _, url in
            try await Self.withStores(8, url: url) { stores in
                let name = try Fixtures.name("digits")
                let license = Manifest.Licenses(code: "MIT", weights: "MIT", data: "CC0-1.0")
                @Sendable func review(_ version: Version, _ decision: ReviewRequest.Decision, by reviewer: String) -> NewReview {
                    NewReview(
                        name: name, version: version, reviewer: reviewer, decision: decision, license: license, note: "checked",
                        at: Fixtures.time)
                }
                /// Runs `write` through every store at once; returns how many succeeded, the others being refused as
                /// invalid transitions.
                func race(_ write: @escaping @Sendable (Int, PostgresCatalogStore) async throws -> Void) async throws -> Int {
                    try await withThrowingTaskGroup(of: Bool.self) { group in
                        for (index, store) in stores.enumerated() {
                            group.addTask {
                                do {
                                    try await write(index, store)
                                    return true
                                } catch CatalogError.invalidTransition {
                                    return false
                                }
                            }
                        }
                        return try await group.reduce(into: 0) { $0 += $1 ? 1 : 0 }
                    }
                }

                // Half approve, half reject: one review wins, the others find the version no longer pending.
                let first = try Fixtures.version("1.0.0")
                _ = try await stores[0].publishVersion(try Fixtures.makeVersion(name: "digits", version: "1.0.0"))
                let reviews = try await race { index, store in
                    _ = try await store.recordReview(review(first, index.isMultiple(of: 2) ? .approve : .reject, by: "rita\(index)"))
                }
                #expect(reviews == 1)
                let reviewed = try #require(try await stores[0].version(first, of: name, visibility: .everything))
                let entries = try await stores[0].auditEntries(AuditFilter(subject: "digits@1.0.0"))
                #expect(entries.count == 2)
                #expect(entries.last?.toState == reviewed.state)
                #expect(entries.last?.actor == reviewed.review?.reviewer)

                // Yanks of an approved version: one yanks it, the others find it yanked.
                let second = try Fixtures.version("2.0.0")
                _ = try await stores[0].publishVersion(try Fixtures.makeVersion(name: "digits", version: "2.0.0"))
                _ = try await stores[0].recordReview(review(second, .approve, by: "rita"))
                let yanks = try await race { index, store in
                    _ = try await store.changeState(
                        StateChange(name: name, version: second, to: .yanked, actor: "ada\(index)", reason: "broken", at: Fixtures.time))
                }
                #expect(yanks == 1)
                #expect(try await stores[0].auditEntries(AuditFilter(action: "version.yank")).count == 1)
            }
        }
    }

    @Test func hubsStartingTogetherApplyEachMigrationOnce() async throws {
        try await Self.withDatabase { _, url in
            let stores = try await withThrowingTaskGroup(of: PostgresCatalogStore.self) { group in
                for _ in 0..<8 { group.addTask { try await PostgresCatalogStore.connect(url: url) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            for store in stores {
                #expect(try await store.appliedMigrations() == PostgresSchema.migrations.map(\.name))
                await store.shutdown()
            }
        }
    }

    @Test func aReaderPagingTheAuditLogDuringConcurrentWritesMissesNothing() async throws {
        try await Self.withDatabase { _, url in
            try await Self.withStores(5, url: url) { stores in
                let writers = Array(stores.dropFirst())
                let reader = stores[0]
                let paged = try await withThrowingTaskGroup(of: [AuditEntry].self) { group in
                    for (index, store) in writers.enumerated() {
                        group.addTask {
                            for number in 0..<15 {
                                _ = try await store.publishVersion(try Fixtures.makeVersion(name: "model-\(index)", version: "1.0.\(number)"))
                                _ = try await store.createToken(Fixtures.makeToken(user: "user-\(index)-\(number)"))
                            }
                            return []
                        }
                    }
                    // Pages by id while the writers commit; an id that committed after a higher one would be skipped,
                    // and the reader would never see all 120.
                    group.addTask {
                        var seen: [AuditEntry] = []
                        let deadline = ContinuousClock.now + .seconds(30)
                        while seen.count < 120, ContinuousClock.now < deadline {
                            let page = try await reader.auditEntries(AuditFilter(afterID: seen.last?.id, limit: 7))
                            seen += page
                            if page.isEmpty { try await Task.sleep(for: .milliseconds(5)) }
                        }
                        return seen
                    }
                    return try await group.reduce(into: []) { $0 += $1 }
                }
                let all = try await reader.auditEntries(AuditFilter(limit: 1000))
                #expect(all.count == 120)
                #expect(paged.map(\.id) == all.map(\.id))
                let same = paged == all
                #expect(same, "the entries paged are those listed afterwards")
            }
        }
    }

    // MARK: Opening

    @Test func aReopenedStoreSeesEverything() async throws {
        try await Self.withDatabase { _, url in
            let first = try await PostgresCatalogStore.connect(url: url)
            let published = try await first.publishVersion(
                try Fixtures.makeVersion(version: "1.0.0-rc.1+b", readme: ModelCard(text: "# Digits")))
            let token = try await first.createToken(Fixtures.makeToken())
            let generation = try await first.generation()
            #expect(try await first.appliedMigrations() == ["v1", "v2-hub-secrets", "v3-signatures", "v4-archive-layers", "v5-registry", "v6-registry-subjects"])
            await first.shutdown()
            for _ in 0..<2 {
                let reopened = try await PostgresCatalogStore.connect(url: url)
                #expect(try await reopened.appliedMigrations() == ["v1", "v2-hub-secrets", "v3-signatures", "v4-archive-layers", "v5-registry", "v6-registry-subjects"], "each migration runs once")
                #expect(try await reopened.versions(of: published.name, visibility: .everything) == [published])
                #expect(try await reopened.modelCard(of: published.name, version: published.version, visibility: .everything)?.text == "# Digits")
                #expect(try await reopened.tokens() == [token])
                #expect(try await reopened.auditEntries(AuditFilter()).count == 2)
                #expect(try await reopened.generation() == generation)
                let found = try await reopened.searchModels(ModelQuery(text: "digit"), visibility: .everything)
                #expect(found.models.map(\.latest) == [published])
                await reopened.shutdown()
            }
        }
    }

    @Test func aDatabaseWithANewerSchemaIsNotOpened() async throws {
        try await Self.withDatabase { _, url in
            let store = try await PostgresCatalogStore.connect(url: url)
            try await store.execute(sql: "INSERT INTO maxhub_migration (position, name) VALUES (99, 'v99-from-the-future')")
            await store.shutdown()
            let error = await #expect(throws: CatalogStorageError.self) { try await PostgresCatalogStore.connect(url: url) }
            guard case .cannotOpen(_, let reason) = error else {
                Issue.record("unexpected \(String(describing: error))")
                return
            }
            #expect(reason.contains("newer"), "\(reason)")
            #expect(reason.contains("v99-from-the-future"), "\(reason)")
        }
    }

    @Test func anUnreachableServerFailsFast() async throws {
        let clock = ContinuousClock()
        let start = clock.now
        let error = await #expect(throws: CatalogStorageError.self) {
            try await PostgresCatalogStore.connect(url: "postgres://maxhub:secret@127.0.0.1:1/catalog")
        }
        // A refused connection fails at once, where the pool would retry for a minute; the bound leaves room for a
        // loaded machine whose test tasks wait their turn.
        #expect(clock.now - start < .seconds(45))
        guard case .cannotOpen(let path, let reason) = error else {
            Issue.record("unexpected \(String(describing: error))")
            return
        }
        #expect(path == "postgres://maxhub:***@127.0.0.1:1/catalog")
        #expect(reason.contains("cannot connect"), "\(reason)")
        #expect(error?.description.contains("secret") == false)
    }

    @Test func aMissingDatabaseOrUserIsAClearError() async throws {
        let server = try await PostgresServer.shared()
        let missing = await #expect(throws: CatalogStorageError.self) {
            try await PostgresCatalogStore.connect(url: server.url(database: "no_such_database"))
        }
        #expect(missing?.description.contains("\"no_such_database\" does not exist") == true, "\(String(describing: missing))")
        let stranger = await #expect(throws: CatalogStorageError.self) {
            try await PostgresCatalogStore.connect(url: "postgres://stranger@127.0.0.1:\(server.port)/postgres?connect_timeout=30")
        }
        #expect(stranger?.description.contains("\"stranger\" does not exist") == true, "\(String(describing: stranger))")
        let plain = await #expect(throws: CatalogStorageError.self) {
            try await PostgresCatalogStore.connect(url: server.url(database: "postgres") + "&sslmode=require")
        }
        #expect(plain?.description.contains("does not offer TLS") == true, "\(String(describing: plain))")
    }

    @Test(arguments: [
        ("http://maxhub@127.0.0.1:5432/catalog", "not a PostgreSQL URL"),
        ("maxhub@127.0.0.1:5432/catalog", "not a PostgreSQL URL"),
        ("postgres://127.0.0.1:5432/catalog", "names no user"),
        ("postgres://maxhub@127.0.0.1:5432", "names no database"),
        ("postgres://maxhub@127.0.0.1:5432/catalog/extra", "names no database"),
        ("postgres://maxhub@:5432/catalog", "names no host"),
        ("postgres://maxhub:hunter2@127.0.0.1:port/catalog", "not a PostgreSQL URL"),
        ("postgres://maxhub:hunter2@127.0.0.1:99999/catalog", "not a port number"),
        ("postgres://maxhub@127.0.0.1/catalog?sslmode=sometimes", "sslmode=sometimes"),
        ("postgres://maxhub@127.0.0.1/catalog?pool=3", "unknown, empty or repeated setting pool"),
        ("postgres://maxhub@127.0.0.1/catalog?host=relative/folder", "not the absolute path"),
        ("postgres://maxhub@127.0.0.1/catalog?connect_timeout=soon", "not a number of seconds"),
    ])
    func aMalformedURLIsRefused(_ url: String, _ reason: String) async throws {
        let error = await #expect(throws: CatalogStorageError.self) { try await PostgresCatalogStore.connect(url: url) }
        #expect(error?.description.contains(reason) == true, "\(String(describing: error))")
        #expect(error?.description.contains("hunter2") == false, "the password stays out of messages")
    }

    @Test func urlsSayWhereTheCatalogIs() throws {
        let tcp = try PostgresLocation(parsing: "postgresql://hub:p%40ss@db.example:6543/catalog?sslmode=verify-full&connect_timeout=2")
        #expect(tcp.endpoint == .tcp(host: "db.example", port: 6543))
        #expect(tcp.user == "hub")
        #expect(tcp.password == "p@ss")
        #expect(tcp.database == "catalog")
        #expect(tcp.tls == .verifyFull)
        #expect(tcp.connectTimeout == .seconds(2))
        #expect(tcp.description == "postgres://hub:***@db.example:6543/catalog")
        let socket = try PostgresLocation(parsing: "postgres://hub@/catalog?host=/run/postgresql")
        #expect(socket.endpoint == .socket(path: "/run/postgresql/.s.PGSQL.5432"))
        #expect(socket.password == nil)
        #expect(socket.tls == .prefer)
        #expect(socket.connectTimeout == .seconds(5))
        let ipv6 = try PostgresLocation(parsing: "postgres://hub@[::1]:5433/catalog")
        #expect(ipv6.endpoint == .tcp(host: "::1", port: 5433))
        #expect(ipv6.description == "postgres://hub@[::1]:5433/catalog")
    }

    @Test func aUnixSocketReachesTheServer() async throws {
        let server = try await PostgresServer.shared()
        let database = try await server.makeDatabase()
        let store = try await PostgresCatalogStore.connect(url: server.socketURL(database: database))
        let published = try await store.publishVersion(try Fixtures.makeVersion())
        #expect(try await store.versions(of: published.name, visibility: .everything) == [published])
        await store.shutdown()
        try await server.dropDatabase(database)
    }

    // MARK: Schema

    @Test func theSchemaKeepsTheLogAppendOnlyReviewsFinalAndReadmesImmutable() async throws {
        try await Self.withDatabase { _, url in
            let store = try await PostgresCatalogStore.connect(url: url)
            _ = try await store.publishVersion(try Fixtures.makeVersion(readme: ModelCard(text: "# Digits")))
            _ = try await store.recordReview(
                NewReview(
                    name: try Fixtures.name("digits-classifier"), version: try Fixtures.version("1.0.0"), reviewer: "rita",
                    decision: .approve, license: .init(code: "MIT", weights: "MIT", data: "CC0-1.0"), note: nil, at: Fixtures.time))
            let refusals: [(String, String)] = [
                ("UPDATE audit_entry SET actor = 'mallory'", "append-only"),
                ("DELETE FROM audit_entry", "append-only"),
                ("TRUNCATE audit_entry", "append-only"),
                ("UPDATE review SET reviewer = 'mallory'", "a review is final"),
                ("DELETE FROM review", "a review is final"),
                ("UPDATE version_readme SET text = 'changed'", "immutable"),
            ]
            for (sql, message) in refusals {
                let error = await #expect(throws: CatalogStorageError.self, "\(sql)") { try await store.execute(sql: sql) }
                #expect(error?.description.contains(message) == true, "\(String(describing: error))")
            }
            #expect(try await store.auditEntries(AuditFilter()).map(\.actor) == ["alice", "rita"])
            await store.shutdown()
        }
    }

    @Test func theSchemaRefusesWhatTheHubNeverWrites() async throws {
        try await Self.withDatabase { _, url in
            let store = try await PostgresCatalogStore.connect(url: url)
            _ = try await store.publishVersion(try Fixtures.makeVersion())
            let refused = [
                "UPDATE version SET state = 'published'",
                "UPDATE version SET manifest = '{not json'",
                "UPDATE version SET archive_size = -1",
                "UPDATE version SET model_id = 42",
                "INSERT INTO model (name, created_at) VALUES ('digits-classifier', now())",
                "INSERT INTO audit_entry (at, actor, action, subject, to_state) VALUES (now(), 'a', 'b', 'c', 'gone')",
                "INSERT INTO review (version_id, reviewer, decision, license_code, license_weights, license_data, reviewed_at) "
                    + "SELECT id, 'rita', 'reject', 'MIT', 'MIT', 'MIT', now() FROM version",
                "INSERT INTO catalog_generation (id, value) VALUES (2, 0)",
            ]
            for sql in refused {
                await #expect(throws: CatalogStorageError.self, "\(sql)") { try await store.execute(sql: sql) }
            }
            let unique = await #expect(throws: CatalogStorageError.self) {
                try await store.execute(sql: "INSERT INTO model (name, created_at) VALUES ('digits-classifier', now())")
            }
            guard case .server(let sqlState, _) = unique else {
                Issue.record("unexpected \(String(describing: unique))")
                return
            }
            #expect(sqlState == "23505")
            await store.shutdown()
        }
    }

    // MARK: Search

    @Test func wordsAreLowercasedAndLoseTheirDiacritics() {
        #expect(
            PostgresFullText.words(of: "Café ÉCOLE a\u{0301}ndroid İstanbul acme/digits-classifier (8x8) 日本")
                == ["cafe", "ecole", "android", "istanbul", "acme", "digits", "classifier", "8x8", "日本"])
        #expect(PostgresFullText.terms(of: "  \"*( 💥 ") == nil)
        #expect(PostgresFullText.terms(of: nil) == nil)
        #expect(PostgresFullText.terms(of: (0..<100).map { "w\($0)" }.joined(separator: " "))?.count == FullTextQuery.maximumWords)
        #expect(PostgresFullText.lexemeQuery(["digits", "cl"]) == "'digits':* & 'cl':*")
        #expect(PostgresFullText.lexemeQuery("it's\\") == "'it''s\\\\':*")
        #expect(PostgresFullText.lexemeQuery(String(repeating: "é", count: 300)) == "'" + String(repeating: "é", count: 255) + "':*")
    }

    /// Searches, facets and pages of one catalog in SQLite and in PostgreSQL give the same models in the same order:
    /// PostgreSQL computes FTS5's bm25 as SQLite does.
    @Test func searchesFindAndRankAsSQLiteDoes() async throws {
        try await Self.withDatabase { _, url in
            let postgres = try await PostgresCatalogStore.connect(url: url)
            let sqlite = try SQLiteCatalogStore.inMemory()
            let words = ["vision", "language", "speech", "tabular", "classifier", "detector", "tiny", "large", "Café", "ÉCOLE"]
            let tasks = ["image-classification", "text-classification", "object-detection", "automatic-speech-recognition"]
            for index in 0..<60 {
                let name = index.isMultiple(of: 7) ? "acme/\(words[index % 4])-\(index)" : String(format: "model-%02d", index)
                for (number, version) in ["1.0.0", "1.1.0", "2.0.0-beta.1"].enumerated() where number <= index % 3 {
                    let repeated = Array(repeating: words[(index + number) % words.count], count: 1 + index % 4).joined(separator: " ")
                    let longer = index.isMultiple(of: 5) ? " with a much longer description of what it does" : ""
                    let new = try Fixtures.makeVersion(
                        name: name, version: version, task: tasks[(index + number) % tasks.count],
                        description: "A \(words[index % words.count]) \(repeated) model, number \(index)\(longer).",
                        license: .init(
                            code: ["MIT", "Apache-2.0", "BSD-3-Clause"][index % 3], weights: ["MIT", "CC-BY-4.0"][index % 2], data: "CC0-1.0"),
                        framework: index.isMultiple(of: 4) ? nil : ["onnxruntime", "pytorch"][index % 2], publishedBy: "user-\(index % 5)")
                    let published = try await postgres.publishVersion(new)
                    #expect(try await sqlite.publishVersion(new) == published)
                    let state: ReviewState = [.approved, .approved, .pending, .yanked, .rejected][(index + number) % 5]
                    if state != .pending {
                        try await sqlite.execute(
                            sql: "UPDATE version SET state = ? WHERE version_key = ? AND model_id = (SELECT id FROM model WHERE name = ?)",
                            arguments: [state.rawValue, version, name])
                        try await postgres.execute(
                            sql: "UPDATE version SET state = $1 WHERE version_key = $2 AND model_id = (SELECT id FROM model WHERE name = $3)",
                            arguments: [state.rawValue, version, name])
                    }
                }
            }
            let queries = [
                ModelQuery(), ModelQuery(text: "vision"), ModelQuery(text: "model"), ModelQuery(text: "m"), ModelQuery(text: "a"),
                ModelQuery(text: "classifier tiny"), ModelQuery(text: "model 1"), ModelQuery(text: "acme"), ModelQuery(text: "cafe"),
                ModelQuery(text: "école"), ModelQuery(text: "Ecole LARGE"), ModelQuery(text: "speech recognition"),
                ModelQuery(text: "longer description"), ModelQuery(text: "model model model"), ModelQuery(text: "number 4"),
                ModelQuery(text: "tabular", license: "MIT"), ModelQuery(text: "detect", framework: "pytorch"),
                ModelQuery(text: "model", task: "object-detection"), ModelQuery(text: "model", page: 2, perPage: 7),
                ModelQuery(license: "CC-BY-4.0", page: 3, perPage: 5),
            ]
            let visibilities = [CatalogVisibility(states: [.approved]), CatalogVisibility(states: [.approved], publisher: "user-2"), .everything]
            for query in queries {
                for visibility in visibilities {
                    let expected = try await sqlite.searchModels(query, visibility: visibility)
                    let found = try await postgres.searchModels(query, visibility: visibility)
                    #expect(found.total == expected.total, "\(query) \(visibility)")
                    func references(_ result: ModelSearchResult) -> [String] {
                        result.models.map { "\($0.latest.name)@\($0.latest.version)" }
                    }
                    #expect(references(found) == references(expected), "\(query) \(visibility)")
                    let sameRecords = found == expected
                    #expect(sameRecords, "every field of the results of \(query) \(visibility)")
                    #expect(try await postgres.facets(query, visibility: visibility) == sqlite.facets(query, visibility: visibility), "\(query)")
                }
            }
            await postgres.shutdown()
        }
    }

    @Test func aVeryLongWordIsFoundWhole() async throws {
        try await Self.withDatabase { _, url in
            let store = try await PostgresCatalogStore.connect(url: url)
            let long = String(repeating: "abc", count: 400)
            _ = try await store.publishVersion(try Fixtures.makeVersion(name: "long", description: "A \(long)x word."))
            _ = try await store.publishVersion(try Fixtures.makeVersion(name: "longer", description: "A \(long)y word."))
            func found(_ text: String) async throws -> [String] {
                try await store.searchModels(ModelQuery(text: text), visibility: .everything).models.map(\.latest.name.description)
            }
            #expect(try await found(String(long.prefix(300))) == ["long", "longer"])
            #expect(try await found(long + "x") == ["long"])
            #expect(try await found(long + "y") == ["longer"])
            #expect(try await found(long + "z") == [])
            await store.shutdown()
        }
    }
}
