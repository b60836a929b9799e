import Foundation
import HummingbirdTesting
import Logging
import MaxhubClient
import MaxhubCore
import MaxhubServer
import MaxhubStore
import MaxhubTestSupport

/// The real hub (`buildApplication` over SQLite on disk and a file blob store) on a live socket, with a token for each
/// role, for the Client to talk to as it talks to any hub.
struct LiveHub: Sendable {
    let url: String
    let folder: String
    let tokens: [Role: String]

    /// A client with the token of `role`, or none.
    func client(_ role: Role? = nil) -> HubClient {
        HubClient(baseURL: url, token: role.flatMap { tokens[$0] })
    }

    /// Where the hub keeps the blob `digest`.
    func blobPath(_ digest: Digest) -> String {
        "\(folder)/blobs/sha256/\(digest.hex.prefix(2))/\(digest.hex)"
    }

    /// Publishes `package` as a curator and approves it as a reviewer.
    @discardableResult
    func publishApproved(_ package: TestPackage, in scratch: TestFolder) async throws -> VersionDetail {
        let archive = try scratch.write("\(package.name.fileSystemName)-\(package.version).tar.zst", package.archive)
        let prepared = try PackagePublisher.prepare(archive)
        _ = try await PackagePublisher(client: client(.curator)).publish(prepared)
        return try await client(.reviewer).review(package.version, of: package.name, ReviewRequest(decision: .approve))
    }

    /// Runs `body` against a new hub with a scratch folder and an empty package cache in it, then removes both.
    static func withCache(_ body: @Sendable (LiveHub, TestFolder, PackageCache) async throws -> Void) async throws {
        let scratch = try TestFolder()
        defer { scratch.remove() }
        let cache = PackageCache(root: scratch.path("cache"))
        try await run { hub in try await body(hub, scratch, cache) }
    }

    /// Runs `body` against a new hub, then removes its data folder.
    static func run<Value: Sendable>(
        _ configure: (inout HubConfiguration) -> Void = { _ in }, _ body: @Sendable (LiveHub) async throws -> Value
    ) async throws -> Value {
        let folder = try makeTemporaryFolder("maxhub-client-hub")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var configuration = HubConfiguration(dataDirectory: folder, port: 0, logLevel: .warning)
        configure(&configuration)
        let catalog = try SQLiteCatalogStore(path: folder + "/catalog.sqlite")
        var tokens: [Role: String] = [:]
        for role in Role.allCases {
            let secret = TokenSecret.generate()
            _ = try await catalog.createToken(
                NewToken(user: "\(role)-user", roles: [role], hash: TokenSecret.hash(of: secret), createdBy: "test", createdAt: Date()))
            tokens[role] = secret
        }
        var logger = Logger(label: "maxhub-client-tests")
        logger.logLevel = configuration.logLevel
        let app = buildApplication(configuration: configuration, catalog: catalog, blobs: FileBlobStore(root: folder), logger: logger)
        let roleTokens = tokens
        return try await app.test(.live) { client in
            guard let port = client.port else { throw TestFailure("the live test client has no port") }
            return try await body(LiveHub(url: "http://127.0.0.1:\(port)", folder: folder, tokens: roleTokens))
        }
    }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
