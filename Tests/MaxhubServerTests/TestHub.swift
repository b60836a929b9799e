import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import MaxhubCore
import MaxhubJSON
import MaxhubServer
import MaxhubStore
import MaxhubTestSupport
import NIOCore

/// A hub on a real socket over a temp data folder (SQLite on disk, files), with a token for each role.
struct TestHub {
    let folder: String
    let catalog: SQLiteCatalogStore
    let blobs: FileBlobStore
    let configuration: HubConfiguration
    let tokens: [Role: String]

    static func make(_ configure: (inout HubConfiguration) -> Void = { _ in }) async throws -> TestHub {
        let folder = try makeTemporaryFolder("maxhub-hub-tests")
        var configuration = HubConfiguration(dataDirectory: folder, port: 0, logLevel: .warning)
        configure(&configuration)
        let catalog = try SQLiteCatalogStore(path: folder + "/catalog.sqlite")
        let blobs = FileBlobStore(root: folder)
        var tokens: [Role: String] = [:]
        for role in Role.allCases {
            let secret = TokenSecret.generate()
            _ = try await catalog.createToken(
                NewToken(user: "\(role)-user", roles: [role], hash: TokenSecret.hash(of: secret), createdBy: "test", createdAt: Date()))
            tokens[role] = secret
        }
        return TestHub(folder: folder, catalog: catalog, blobs: blobs, configuration: configuration, tokens: tokens)
    }

    /// Runs `body` against the hub on a live socket, then removes the data folder.
    func run<Value: Sendable>(_ body: @Sendable (HubTestClient) async throws -> Value) async throws -> Value {
        var logger = Logger(label: "maxhub-test")
        logger.logLevel = configuration.logLevel
        let app = buildApplication(configuration: configuration, catalog: catalog, blobs: blobs, logger: logger)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let tokens = tokens
        return try await app.test(.live) { client in
            try await body(HubTestClient(client: client, tokens: tokens))
        }
    }

    /// Files left under `uploads/`, at any depth.
    func uploadFiles() -> [String] {
        let root = folder + "/uploads"
        guard let enumerator = FileManager.default.enumerator(atPath: root) else { return [] }
        return enumerator.compactMap { $0 as? String }.filter { path in
            var isFolder: ObjCBool = false
            return FileManager.default.fileExists(atPath: root + "/" + path, isDirectory: &isFolder) && !isFolder.boolValue
        }
    }
}

/// The test client with the conveniences the API tests share.
struct HubTestClient: Sendable {
    let client: any TestClientProtocol
    let tokens: [Role: String]

    @discardableResult
    func request(
        _ method: HTTPRequest.Method, _ uri: String, as role: Role? = nil, headers: HTTPFields = [:], body: ByteBuffer? = nil
    ) async throws -> TestResponse {
        var headers = headers
        if let role, let token = tokens[role] { headers[.authorization] = "Bearer \(token)" }
        return try await client.execute(uri: uri, method: method, headers: headers, body: body)
    }

    /// The headers of a JSON request body.
    static let jsonBody: HTTPFields = [.contentType: "application/json"]

    func json<T: Encodable>(_ value: T) throws -> ByteBuffer {
        ByteBuffer(data: try HubJSON.encoder().encode(value))
    }

    /// Uploads bytes in one request and returns the response.
    @discardableResult
    func upload(_ bytes: [UInt8], declaring digest: Digest? = nil, as role: Role = .curator) async throws -> TestResponse {
        let declared = digest ?? Digest.of(bytes)
        return try await request(.post, "/api/v1/blobs/uploads?digest=\(declared)", as: role, body: ByteBuffer(bytes: bytes))
    }

    /// Publishes a package and approves it as the reviewer, so that everyone sees it and ranges pick it.
    func publishApproved(_ package: TestPackage) async throws {
        let published = try await publish(package)
        guard published.status == .created else { throw HubTestError(message: "publish answered \(published.status)") }
        let path = "/api/v1/models/\(package.name.pathSegment)/versions/\(package.version)/review"
        let reviewed = try await request(.post, path, as: .reviewer, body: try json(ReviewRequest(decision: .approve)))
        guard reviewed.status == .ok else { throw HubTestError(message: "review answered \(reviewed.status)") }
    }

    /// Uploads a package's archive and publishes it; returns the publish response.
    @discardableResult
    func publish(_ package: TestPackage, as role: Role = .curator, manifest: JSONValue? = nil, path: String? = nil) async throws -> TestResponse {
        try await upload(package.archive)
        let body = PublishRequest(manifest: manifest ?? package.manifest, archive: package.reference)
        let uri = path ?? "/api/v1/models/\(package.name.pathSegment)/versions/\(package.version)"
        return try await request(.put, uri, as: role, headers: Self.jsonBody, body: try json(body))
    }
}

extension TestResponse {
    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try HubJSON.decoder().decode(T.self, from: Data(buffer: body))
    }

    var problem: ProblemDetails? { try? decode(ProblemDetails.self) }

    var bytes: [UInt8] { Array(buffer: body) }
}

struct HubTestError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
