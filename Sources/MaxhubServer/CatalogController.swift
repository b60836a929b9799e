import Foundation
import Hummingbird
import Logging
import MaxhubArchive
import MaxhubCore
import MaxhubJSON
import MaxhubStore

/// The catalog's routes: search, a model, a version, resolution and publishing.
struct CatalogController<Catalog: CatalogStore, Blobs: BlobStore> {
    let catalog: Catalog
    let blobs: Blobs
    let configuration: HubConfiguration
    let metrics: HubMetrics
    let cache: CatalogResponseCache
    let inspections: UploadInspections

    var endpoints: RouteCollection<HubRequestContext> {
        RouteCollection(context: HubRequestContext.self)
            .get("models", use: cached(search))
            .get("models/:name", use: cached(model))
            .get("models/:name/resolve", use: cached(resolve))
            .get("models/:name/versions/:version", use: cached(version))
            .put("models/:name/versions/:version", use: publish)
    }

    private func requireRead(_ context: HubRequestContext) throws(HubError) {
        if !configuration.anonymousRead { _ = try context.require(.reader) }
    }

    /// A read answered from the response cache, rendered as JSON when the cache has no current answer.
    private func cached<Value: Encodable & ResponseGenerator>(
        _ read: @escaping @Sendable (Request, HubRequestContext) async throws -> EditedResponse<Value>
    ) -> @Sendable (Request, HubRequestContext) async throws -> Response {
        { [cache] request, context in
            try requireRead(context)
            return try await cache.answer(CatalogResponseCache.key(request, identity: context.identity), request: request) {
                let answer = try await read(request, context)
                var headers = answer.headers
                headers[.contentType] = "application/json; charset=utf-8"
                return (headers, ByteBuffer(data: try HubJSON.encoder().encode(answer.responseGenerator)))
            }
        }
    }

    private func cached<Value: Encodable & ResponseGenerator>(
        _ read: @escaping @Sendable (Request, HubRequestContext) async throws -> Value
    ) -> @Sendable (Request, HubRequestContext) async throws -> Response {
        cached { request, context in EditedResponse(headers: [:], response: try await read(request, context)) }
    }

    @Sendable func search(_ request: Request, context: HubRequestContext) async throws -> ModelPage {
        try requireRead(context)
        let query = ModelQuery(
            text: request.query("q"),
            task: request.query("task"),
            framework: request.query("framework"),
            license: request.query("license"),
            page: try request.integerQuery("page", in: 1...1_000_000, default: 1),
            perPage: try request.integerQuery("per_page", in: 1...100, default: 20)
        )
        let result = try await catalog.searchModels(query, visibility: VisibilityPolicy.visibility(for: context.identity))
        return ModelPage(
            models: result.models.map { ModelSummary($0.latest) },
            page: query.page,
            perPage: query.perPage,
            total: result.total
        )
    }

    @Sendable func model(_ request: Request, context: HubRequestContext) async throws -> ModelDetail {
        try requireRead(context)
        let name = try context.modelName()
        let versions = try await catalog.versions(of: name, visibility: VisibilityPolicy.visibility(for: context.identity))
        guard let latest = versions.latest else { throw HubError.notFound("no model named \(name)") }
        return ModelDetail(summary: ModelSummary(latest), versions: versions.map(VersionSummary.init))
    }

    @Sendable func version(_ request: Request, context: HubRequestContext) async throws -> EditedResponse<VersionDetail> {
        try requireRead(context)
        let name = try context.modelName()
        let version = try context.version()
        let visibility = VisibilityPolicy.exactVisibility(for: context.identity)
        guard let record = try await catalog.version(version, of: name, visibility: visibility) else {
            throw HubError.notFound("no version \(version) of \(name)")
        }
        var headers = HTTPFields()
        if record.state == .yanked {
            let reason = record.yankReason.map { ": \($0)" } ?? ""
            let text = "\(name)@\(record.version) is yanked\(reason)"
                .replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            headers[.warning] = "299 - \"\(text.filter { $0.isASCII && !$0.isNewline })\""
        }
        return EditedResponse(headers: headers, response: VersionDetail(record))
    }

    @Sendable func resolve(_ request: Request, context: HubRequestContext) async throws -> Resolution {
        try requireRead(context)
        let name = try context.modelName()
        let range: VersionRange
        do {
            range = try VersionRange(parsing: request.query("range") ?? "")
        } catch {
            throw HubError.badRequest(error.description, kind: "invalid-range")
        }
        let includePrerelease = try request.booleanQuery("pre")
        let versions = try await catalog.versions(of: name, visibility: VisibilityPolicy.visibility(for: context.identity))
        guard !versions.isEmpty else { throw HubError.notFound("no model named \(name)") }
        let candidates = versions.filter { VisibilityPolicy.resolvableStates.contains($0.state) }
        guard let chosen = range.highestSatisfying(candidates.map(\.version), includePrerelease: includePrerelease),
            let record = candidates.first(where: { $0.version == chosen })
        else {
            let known = candidates.map(\.version.description).joined(separator: ", ")
            throw HubError.notFound("no version of \(name) satisfies \"\(range.text)\" (available: \(known.isEmpty ? "none" : known))")
        }
        return Resolution(name: name, range: range.description, version: record.version, state: record.state, archive: record.archive)
    }

    /// Whether a `Content-Type` names JSON (`application/json`, parameters such as `charset` allowed).
    static func isJSON(_ contentType: String?) -> Bool {
        guard let mediaType = contentType?.split(separator: ";").first else { return false }
        return mediaType.trimmingCharacters(in: .whitespaces).lowercased() == "application/json"
    }

    @Sendable func publish(_ request: Request, context: HubRequestContext) async throws -> EditedResponse<VersionDetail> {
        let identity = try context.require(.curator)
        let name = try context.modelName()
        let version = try context.version()
        guard Self.isJSON(request.headers[.contentType]) else {
            throw HubError(
                .unsupportedMediaType, kind: "unsupported-media-type",
                "publish takes the manifest and archive as JSON: send the body with Content-Type: application/json")
        }
        var context = context
        context.maxUploadSize = configuration.maxJSONBodySize
        let body = try await request.decode(as: PublishRequest.self, context: context)

        let manifest = try PublishCheck.manifest(from: body.manifest, name: name, version: version)
        if let existing = try await catalog.version(version, of: name, visibility: .everything) {
            throw CatalogError.versionExists(name, existing.version, existing.state)
        }
        guard let storedSize = try await blobs.size(of: body.archive.digest) else {
            throw HubError.badRequest("the archive \(body.archive.digest) is not on the hub; upload it first", kind: "archive-unknown")
        }
        guard storedSize == body.archive.size else {
            throw HubError.badRequest(
                "the archive \(body.archive.digest) has \(storedSize) bytes, not \(body.archive.size)", kind: "archive-mismatch")
        }
        let checked: PublishCheck.CheckedArchive
        if let inspected = try PublishCheck.inspected(inspections.report(for: body.archive.digest), matches: manifest) {
            checked = inspected
            metrics.archivesCheckedOnArrival.increment()
        } else {
            let limits = configuration.archiveLimits
            // A whole archive's read is long work for the CPU: on a thread of its own, never on the blocking pool
            // that every file read and write of the hub waits for.
            checked = try await blobs.withLocalFile(for: body.archive.digest) { path in
                try await onOwnThread(named: "maxhub-check") { () throws -> PublishCheck.CheckedArchive in
                    try PublishCheck.archive(at: path, matches: manifest, limits: limits)
                }.get()
            }
            metrics.archivesCheckedAfterUpload.increment()
        }
        let record = try await catalog.publishVersion(
            NewVersion(
                manifest: manifest,
                manifestJSON: try JSONValue(json: manifest.canonicalJSON()),
                archive: body.archive,
                publishedBy: identity.user,
                publishedAt: Date(),
                readme: checked.card,
                manifestFileDigest: checked.manifestFile
            )
        )
        metrics.publishes.increment()
        context.logger.info(
            "published", metadata: ["model": "\(name)", "version": "\(version)", "by": "\(identity.user)", "archive": "\(body.archive.digest)"])
        var headers = HTTPFields()
        headers[.location] = "/api/v1/models/\(name.pathSegment)/versions/\(record.version)"
        return EditedResponse(status: .created, headers: headers, response: VersionDetail(record))
    }
}

extension ModelSummary {
    init(_ record: VersionRecord) {
        self.init(
            name: record.name, latestVersion: record.version, state: record.state, task: record.task,
            description: record.description, license: record.license, framework: record.framework, updatedAt: record.publishedAt)
    }
}

extension VersionSummary {
    init(_ record: VersionRecord) {
        self.init(
            version: record.version, state: record.state, archive: record.archive, publishedBy: record.publishedBy,
            publishedAt: record.publishedAt)
    }
}

extension VersionDetail {
    init(_ record: VersionRecord) {
        self.init(
            name: record.name, version: record.version, state: record.state, license: record.license, archive: record.archive,
            publishedBy: record.publishedBy, publishedAt: record.publishedAt, manifest: record.manifest, review: record.review,
            yankReason: record.yankReason)
    }
}
