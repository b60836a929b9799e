import Foundation
import HTTPTypes
import Hummingbird
import MaxhubCore
import MaxhubStore
import NIOCore

/// The OCI distribution API under `/v2/`, for oras, skopeo, podman and docker: every version a caller may see as the
/// ModelPack artifact `NAME:VERSION`, its blobs, `tags/list`, and the token endpoint.
///
/// Authentication is the distribution spec's: a 401 names the token endpoint (`WWW-Authenticate: Bearer realm=...`),
/// which takes Basic `USER:TOKEN` with a maxhub token (so `podman login -u USER -p TOKEN` works) and answers with it as
/// the bearer; without credentials it answers an anonymous token where anonymous reads are allowed. The bearer is
/// checked as on `/api/v1` (unknown, revoked and expired tokens are refused). Errors take the spec's shape.
struct RegistryController<Catalog: CatalogStore, Blobs: BlobStore> {
    let catalog: Catalog
    let blobs: Blobs
    let configuration: HubConfiguration
    let downloads: BlobController<Catalog, Blobs>

    /// The bearer the token endpoint hands out to anonymous callers.
    static var anonymousToken: String { "anonymous" }

    var endpoints: RouteCollection<HubRequestContext> {
        RouteCollection(context: HubRequestContext.self)
            .get("v2", use: answer(base))
            .get("v2/**", use: answer(route))
            .head("v2/**", use: answer(route))
            .post("v2/**", use: answer(route))
            .put("v2/**", use: answer(route))
            .patch("v2/**", use: answer(route))
            .delete("v2/**", use: answer(route))
    }

    /// Runs a handler with the caller's identity, answering every failure in the registry's error shape.
    private func answer(
        _ handler: @escaping @Sendable (Request, HubRequestContext) async throws -> Response
    ) -> @Sendable (Request, HubRequestContext) async throws -> Response {
        { request, context in
            var context = context
            do {
                context.identity = try await identity(of: request)
                var response = try await handler(request, context)
                response.headers[.dockerDistributionAPIVersion] = "registry/2.0"
                return response
            } catch let error as RegistryError {
                return error.response(head: request.method == .head)
            } catch BlobStoreError.uploadNotFound(let id) {
                return RegistryError(status: .notFound, code: "BLOB_UPLOAD_UNKNOWN", message: "no upload \(id) here")
                    .response(head: request.method == .head)
            } catch {
                let problem = ProblemMiddleware.problem(for: error)
                if problem.status.code >= 500 {
                    context.logger.error("request failed", metadata: ["error": "\(error)", "path": "\(request.uri.path)"])
                }
                return RegistryError(status: problem.status, code: Self.code(for: problem), message: problem.detail, headers: problem.headers)
                    .response(head: request.method == .head)
            }
        }
    }

    /// The distribution spec's code for a failure the rest of the hub describes as problem details.
    static func code(for problem: HubError) -> String {
        switch problem.kind {
        case "digest-mismatch": return "DIGEST_INVALID"
        case "upload-offset", "chunk-mismatch": return "BLOB_UPLOAD_INVALID"
        case "too-large": return "SIZE_INVALID"
        default: return code(for: problem.status)
        }
    }

    static func code(for status: HTTPResponse.Status) -> String {
        switch status.code {
        case 401: "UNAUTHORIZED"
        case 403: "DENIED"
        case 404: "NAME_UNKNOWN"
        case 405: "UNSUPPORTED"
        case 413: "SIZE_INVALID"
        case 429: "TOOMANYREQUESTS"
        default: "UNSUPPORTED"
        }
    }

    // MARK: Who asks

    private static var anonymous: Identity { Identity(user: "anonymous", roles: [], tokenID: -1) }

    /// The caller: nil without credentials, `anonymous` for the anonymous bearer, else the token's owner. A bearer or
    /// Basic password that is not a live maxhub token is a 401.
    private func identity(of request: Request) async throws -> Identity? {
        guard let header = request.headers[.authorization] else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2 else { throw unauthorized(request, "the Authorization header must be \"Bearer TOKEN\" or \"Basic ...\"") }
        let scheme = parts[0].lowercased()
        var secret = parts[1].trimmingCharacters(in: .whitespaces)
        if scheme == "basic" {
            guard let decoded = Data(base64Encoded: secret).map({ String(decoding: $0, as: UTF8.self) }), let colon = decoded.firstIndex(of: ":")
            else { throw unauthorized(request, "Basic credentials must be USER:TOKEN in base64") }
            secret = String(decoded[decoded.index(after: colon)...])
        } else if scheme != "bearer" {
            throw unauthorized(request, "the Authorization header must be \"Bearer TOKEN\" or \"Basic ...\"")
        }
        if scheme == "bearer", secret == Self.anonymousToken { return Self.anonymous }
        guard let token = try await catalog.token(withHash: TokenSecret.hash(of: secret)), token.revokedAt == nil else {
            throw unauthorized(request, "the token is unknown or revoked")
        }
        if let expiresAt = token.expiresAt, token.hasExpired(at: Date()) {
            throw unauthorized(request, "the token expired at \(HubJSON.format(expiresAt)); ask an admin for a new one")
        }
        return Identity(user: token.user, roles: token.roles, tokenID: token.id)
    }

    /// The identity that reads: nil for anonymous callers (who may read where anonymous reads are allowed).
    func reader(_ context: HubRequestContext) -> Identity? {
        context.identity.flatMap { $0.tokenID == Self.anonymous.tokenID ? nil : $0 }
    }

    private func realm(_ request: Request) -> String { WebCatalogController<Catalog>.hubURL(request) + "/v2/token" }

    private func unauthorized(_ request: Request, _ message: String, scope: String? = nil) -> RegistryError {
        .unauthorized(message, realm: realm(request), scope: scope)
    }

    /// Throws a 401 for an anonymous caller where reads need a token.
    private func requireRead(_ request: Request, _ context: HubRequestContext, name: String) throws {
        if !configuration.anonymousRead && reader(context) == nil {
            throw unauthorized(request, "reading \(name) needs a token", scope: "repository:\(name):pull")
        }
    }

    // MARK: Routes

    /// `GET /v2/`: 200 for a caller with a bearer (anonymous included), else a 401 that names the token endpoint, so
    /// that `podman login` checks the credentials it was given.
    @Sendable func base(_ request: Request, context: HubRequestContext) async throws -> Response {
        guard context.identity != nil else { throw unauthorized(request, "send a bearer from \(realm(request))") }
        if reader(context) == nil && !configuration.anonymousRead { throw unauthorized(request, "this hub needs a token to read") }
        return Self.json("{}")
    }

    @Sendable func route(_ request: Request, context: HubRequestContext) async throws -> Response {
        let segments = context.parameters.getCatchAll().map(String.init)
        if segments == ["token"], request.method == .get { return try await token(request, context: context) }
        if segments.isEmpty { return try await base(request, context: context) }
        guard let split = segments.lastIndex(where: { ["manifests", "blobs", "tags", "referrers"].contains($0) }), split > 0 else {
            throw RegistryError(status: .notFound, code: "NAME_UNKNOWN", message: "no such registry route")
        }
        let path = segments[..<split].joined(separator: "/")
        let rest = Array(segments[split...])
        let isUpload = rest.count >= 2 && rest[0] == "blobs" && rest[1] == "uploads"
        if (request.method != .get && request.method != .head) || isUpload {
            guard let pusher = reader(context) else {
                throw unauthorized(request, "pushing needs a token", scope: "repository:\(path):push")
            }
            guard pusher.roles.permit(.curator) else {
                throw RegistryError.denied("\(pusher.user) has the roles \(pusher.roles.map(\.rawValue).joined(separator: ", ")); pushing needs curator")
            }
            let repository = try RegistryPush.Repository(path)
            switch (request.method, rest.count) {
            case (.post, 2) where isUpload: return try await startUpload(repository, request: request, context: context)
            case (_, 3) where isUpload: return try await upload(repository, id: rest[2], request: request, context: context)
            case (.put, 2) where rest[0] == "manifests":
                return try await pushManifest(repository, reference: rest[1], pusher: pusher, request: request, context: context)
            case (.delete, _): throw RegistryError.unsupported("this hub keeps what was pushed: manifests, tags and blobs are not deleted")
            default: throw RegistryError(status: .notFound, code: "NAME_UNKNOWN", message: "no such registry route")
            }
        }
        try requireRead(request, context, name: path)
        let repository = try RegistryPush.Repository(path)
        if rest.first == "referrers", rest.count == 2 {
            // A model's own repository takes no pushes but its versions', so nothing there has a subject: an empty index.
            return try await referrers(repository.path, digest: rest[1], request: request)
        }
        if !repository.isModel {
            switch (rest.first, rest.count) {
            case ("manifests", 2): return try await pushedManifest(repository, reference: rest[1], request: request)
            case ("blobs", 2): return try await pushedBlob(repository, digest: rest[1], request: request, context: context)
            case ("tags", 2) where rest[1] == "list": return try await pushedTags(repository, request: request)
            default: throw RegistryError(status: .notFound, code: "NAME_UNKNOWN", message: "no such registry route")
            }
        }
        let name = repository.model
        switch (rest.first, rest.count) {
        case ("manifests", 2): return try await manifest(name, reference: rest[1], request: request, context: context)
        case ("blobs", 2): return try await blob(name, digest: rest[1], request: request, context: context)
        case ("tags", 2) where rest[1] == "list": return try await tags(name, request: request, context: context)
        default: throw RegistryError(status: .notFound, code: "NAME_UNKNOWN", message: "no such registry route")
        }
    }

    /// `GET /v2/token`: Basic `USER:TOKEN` (a maxhub token) answers that token as the bearer; no credentials, the
    /// anonymous bearer where anonymous reads are allowed.
    func token(_ request: Request, context: HubRequestContext) async throws -> Response {
        let bearer: String
        if context.identity != nil, let header = request.headers[.authorization], header.lowercased().hasPrefix("basic "),
            let decoded = Data(base64Encoded: String(header.dropFirst(6)).trimmingCharacters(in: .whitespaces)),
            let colon = decoded.firstIndex(of: UInt8(ascii: ":"))
        {
            bearer = String(decoding: decoded[decoded.index(after: colon)...], as: UTF8.self)
        } else if context.identity == nil || reader(context) == nil {
            guard configuration.anonymousRead else { throw unauthorized(request, "this hub needs USER:TOKEN (Basic) to issue a bearer") }
            bearer = Self.anonymousToken
        } else if let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer ") {
            bearer = String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces)
        } else {
            throw unauthorized(request, "send USER:TOKEN as Basic credentials")
        }
        let answer = RegistryTokenAnswer(token: bearer, access_token: bearer, expires_in: 3600, issued_at: HubJSON.format(Date()))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return Self.json(String(decoding: try encoder.encode(answer), as: UTF8.self))
    }

    /// A version as its ModelPack manifest, by tag (the version, build metadata left out) or by digest.
    func manifest(_ name: ModelName, reference: String, request: Request, context: HubRequestContext) async throws -> Response {
        let visibility = VisibilityPolicy.exactVisibility(for: reader(context))
        let artifacts = ModelPackArtifacts(catalog: catalog, blobs: blobs)
        let artifact: ModelPackArtifact
        if let digest = try? Digest(parsing: reference) {
            // A digest came from a manifest some hub derived, whose facts it kept: those versions are looked at first,
            // and an archive is read only when none of them matches.
            let records = try await catalog.versions(of: name, visibility: visibility)
            var found: ModelPackArtifact?
            var unknown: [VersionRecord] = []
            for record in records {
                guard let candidate = try await artifacts.knownArtifact(for: record) else {
                    unknown.append(record)
                    continue
                }
                if candidate.manifestDigest == digest {
                    found = candidate
                    break
                }
            }
            if found == nil {
                for record in unknown {
                    let candidate = try await artifacts.artifact(for: record)
                    if candidate.manifestDigest == digest {
                        found = candidate
                        break
                    }
                }
            }
            guard let found else { throw RegistryError.manifestUnknown(name.description, reference) }
            artifact = found
        } else {
            guard let version = try? Version(parsing: reference),
                let record = try await catalog.version(version, of: name, visibility: visibility)
            else {
                if try await catalog.versions(of: name, visibility: visibility).isEmpty { throw RegistryError.nameUnknown(name.description) }
                throw RegistryError.manifestUnknown(name.description, reference)
            }
            artifact = try await artifacts.artifact(for: record)
        }
        return Self.content(artifact.manifest, type: ModelPackArtifact.manifestMediaType, digest: artifact.manifestDigest, request: request)
    }

    /// A manifest or a small blob the hub holds whole, with the headers a registry answers it with.
    static func content(_ bytes: [UInt8], type: String, digest: Digest, request: Request) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = type
        headers[.dockerContentDigest] = digest.description
        headers[.eTag] = "\"\(digest)\""
        headers[.contentLength] = String(bytes.count)
        if request.method == .head { return Response(status: .ok, headers: headers, body: ResponseBody()) }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// A blob of the model: a version's archive (streamed as `/api/v1/blobs` streams it), or a version's config.
    func blob(_ name: ModelName, digest text: String, request: Request, context: HubRequestContext) async throws -> Response {
        guard let digest = try? Digest(parsing: text) else {
            throw RegistryError(status: .badRequest, code: "DIGEST_INVALID", message: "\(text) is not a sha256 digest")
        }
        let visibility = VisibilityPolicy.exactVisibility(for: reader(context))
        let versions = try await catalog.versions(of: name, visibility: visibility)
        if versions.contains(where: { $0.archive.digest == digest }) {
            var readerContext = context
            readerContext.identity = reader(context)
            return request.method == .head
                ? try await downloads.head(digest, request: request, context: readerContext)
                : try await downloads.download(digest, request: request, context: readerContext)
        }
        // A config names facts some hub found when it derived the version's manifest.
        let artifacts = ModelPackArtifacts(catalog: catalog, blobs: blobs)
        for record in versions {
            guard let artifact = try await artifacts.knownArtifact(for: record), artifact.configDigest == digest else { continue }
            return Self.content(artifact.config, type: ModelPackArtifact.configMediaType, digest: digest, request: request)
        }
        throw RegistryError.blobUnknown(digest.description)
    }

    /// `tags/list`: the versions the caller may see, in lexical order, `n` at a time after `last`.
    func tags(_ name: ModelName, request: Request, context: HubRequestContext) async throws -> Response {
        let versions = try await catalog.versions(of: name, visibility: VisibilityPolicy.visibility(for: reader(context)))
        guard !versions.isEmpty else { throw RegistryError.nameUnknown(name.description) }
        return try Self.tagList(name.description, Set(versions.map(\.version.withoutBuild.description)).sorted(), request: request)
    }

    /// A `tags/list` answer: `tags` (sorted) `n` at a time after `last`, with a `Link` to the next page.
    static func tagList(_ repository: String, _ sorted: [String], request: Request) throws -> Response {
        var tags = sorted
        if let last = request.query("last") { tags = tags.filter { $0 > last } }
        var headers = HTTPFields()
        if let text = request.query("n") {
            guard let count = Int(text), count >= 0 else {
                throw RegistryError(status: .badRequest, code: "PAGINATION_NUMBER_INVALID", message: "n must be a count, not \(text)")
            }
            if tags.count > count, let lastShown = tags.prefix(count).last {
                headers[.registryLink] = "</v2/\(repository)/tags/list?n=\(count)&last=\(lastShown)>; rel=\"next\""
            }
            tags = Array(tags.prefix(count))
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var response = Self.json(String(decoding: try encoder.encode(RegistryTagList(name: repository, tags: tags)), as: UTF8.self))
        for field in headers { response.headers.append(field) }
        return response
    }

    static func json(_ text: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}

/// What the token endpoint answers (the distribution spec's token response).
struct RegistryTokenAnswer: Encodable {
    var token: String
    var access_token: String
    var expires_in: Int
    var issued_at: String
}

/// What `tags/list` answers.
struct RegistryTagList: Encodable {
    var name: String
    var tags: [String]
}
