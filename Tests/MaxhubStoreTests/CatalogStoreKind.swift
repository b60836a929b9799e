@testable import MaxhubStore
import Foundation
import MaxhubCore
import MaxhubTestSupport
import Testing

/// The catalog stores `CatalogStoreContract` runs against. A new implementation adds a case and its factory here, and
/// passes the same tests.
enum CatalogStoreKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqliteInMemory
    case sqliteOnDisk
    /// The test process's PostgreSQL (`PostgresServer`), a new database for each store.
    case postgres

    var testDescription: String { rawValue }

    /// Runs `body` with a new, empty store of this kind, then removes what it left.
    func withStore(_ body: (CatalogHarness) async throws -> Void) async throws {
        switch self {
        case .sqliteInMemory:
            try await body(CatalogHarness(sqlite: try SQLiteCatalogStore.inMemory()))
        case .sqliteOnDisk:
            let folder = try TestFolder()
            defer { folder.remove() }
            try await body(CatalogHarness(sqlite: try SQLiteCatalogStore(path: folder.path("catalog.sqlite"))))
        case .postgres:
            let server = try await PostgresServer.shared()
            let database = try await server.makeDatabase()
            let store = try await PostgresCatalogStore.connect(url: server.url(database: database))
            do {
                try await body(CatalogHarness(postgres: store))
            } catch {
                await store.shutdown()
                try? await server.dropDatabase(database)
                throw error
            }
            await store.shutdown()
            try await server.dropDatabase(database)
        }
    }
}

/// A store under test and what the contract needs beyond the protocol.
struct CatalogHarness: Sendable {
    let store: any CatalogStore
    /// Moves a version to another review state (the protocol has no review method yet).
    let setState: @Sendable (_ name: String, _ version: String, _ state: ReviewState) async throws -> Void

    init(sqlite store: SQLiteCatalogStore) {
        self.store = store
        self.setState = { name, version, state in
            try await store.execute(
                sql: """
                    UPDATE version SET state = ?
                    WHERE model_id = (SELECT id FROM model WHERE name = ?) AND version_key = ?
                    """,
                arguments: [state.rawValue, name, try Version(parsing: version).withoutBuild.description]
            )
        }
    }

    init(postgres store: PostgresCatalogStore) {
        self.store = store
        self.setState = { name, version, state in
            try await store.execute(
                sql: """
                    UPDATE version SET state = $1
                    WHERE model_id = (SELECT id FROM model WHERE name = $2) AND version_key = $3
                    """,
                arguments: [state.rawValue, name, try Version(parsing: version).withoutBuild.description]
            )
        }
    }

    /// Publishes a version made by `CatalogFixtures.makeVersion` and moves it to `state`.
    @discardableResult
    func publish(
        _ name: String, _ version: String, state: ReviewState = .approved, task: String = "image-classification",
        description: String = "A model.", license: Manifest.Licenses = .init(code: "MIT", weights: "MIT", data: "CC0-1.0"),
        framework: String? = "onnxruntime", by publisher: String = "alice", at time: Date = CatalogFixtures.time
    ) async throws -> VersionRecord {
        var record = try await store.publishVersion(
            try CatalogFixtures.makeVersion(
                name: name, version: version, task: task, description: description, license: license, framework: framework,
                publishedBy: publisher, publishedAt: time
            )
        )
        if state != .pending {
            try await setState(name, version, state)
            record.state = state
        }
        return record
    }
}
