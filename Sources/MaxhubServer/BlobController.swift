import Hummingbird
import MaxhubCore
import MaxhubStore
import NIOCore

/// Blob downloads and uploads: `HEAD`/`GET /blobs/{digest}`, the monolithic upload, and OCI-style resumable uploads.
///
/// A blob is readable by those who may see a version whose archive it is (so an unreviewed package is not served to
/// readers). Curators, reviewers and admins may read any blob: a curator's client asks with `HEAD` whether the hub
/// has a blob before it uploads it, and `HEAD` and `GET` answer alike for everyone.
struct BlobController<Catalog: CatalogStore, Blobs: BlobStore> {
    let catalog: Catalog
    let blobs: Blobs
    let configuration: HubConfiguration
    let metrics: HubMetrics
    let inspections: UploadInspections

    var endpoints: RouteCollection<HubRequestContext> {
        RouteCollection(context: HubRequestContext.self)
            .head("blobs/:digest", use: head)
            .get("blobs/:digest", use: download)
            .post("blobs/uploads", use: startUpload)
            .get("blobs/uploads/:id", use: uploadStatus)
            .patch("blobs/uploads/:id", use: appendChunk)
            .put("blobs/uploads/:id", use: finishUpload)
            .delete("blobs/uploads/:id", use: cancelUpload)
    }

    // MARK: Downloads

    /// Throws 404 unless the caller may read this blob; `HEAD` and `GET` ask the same.
    private func requireAccess(to digest: Digest, context: HubRequestContext) async throws {
        if !configuration.anonymousRead { _ = try context.require(.reader) }
        let roles = context.identity?.roles ?? []
        if roles.permit(.reviewer) || roles.permit(.curator) { return }
        guard try await catalog.archiveIsVisible(digest, visibility: VisibilityPolicy.exactVisibility(for: context.identity)) else {
            throw HubError.notFound("no blob \(digest)")
        }
    }

    @Sendable func head(_ request: Request, context: HubRequestContext) async throws -> Response {
        try await head(try context.digest(), request: request, context: context)
    }

    /// `HEAD` of a blob by digest (also for `/v2/`, which may have decided who reads it: `accessChecked`).
    func head(_ digest: Digest, request: Request, context: HubRequestContext, accessChecked: Bool = false) async throws -> Response {
        if !accessChecked { try await requireAccess(to: digest, context: context) }
        guard let size = try await blobs.size(of: digest) else { throw HubError.notFound("no blob \(digest)") }
        // A curator asks before publishing a version that uses the blob: it must outlive a collection running meanwhile.
        if context.identity?.roles.permit(.curator) == true { await blobs.renew(digest) }
        var headers = Self.blobHeaders(digest)
        headers[.contentLength] = String(size)
        headers[.contentType] = "application/octet-stream"
        return Response(status: .ok, headers: headers, body: ResponseBody())
    }

    @Sendable func download(_ request: Request, context: HubRequestContext) async throws -> Response {
        try await download(try context.digest(), request: request, context: context)
    }

    /// `GET` of a blob by digest (also for `/v2/`, which may have decided who reads it: `accessChecked`): ranges,
    /// `If-None-Match`, and the redirect to an object store.
    func download(_ digest: Digest, request: Request, context: HubRequestContext, accessChecked: Bool = false) async throws -> Response {
        if !accessChecked { try await requireAccess(to: digest, context: context) }
        guard let size = try await blobs.size(of: digest) else { throw HubError.notFound("no blob \(digest)") }
        var headers = Self.blobHeaders(digest)
        if let tags = request.headers[.ifNoneMatch], Self.matches(tags, digest) {
            return Response(status: .notModified, headers: headers, body: ResponseBody())
        }
        if configuration.blobRedirect, let url = blobs.directURL(for: digest, lifetime: configuration.blobRedirectLifetime) {
            // The store serves the bytes (and the range); the URL lives minutes, so nobody may keep it.
            var redirect = HTTPFields()
            redirect[.location] = url
            redirect[.cacheControl] = "no-store"
            redirect[.dockerContentDigest] = digest.description
            return Response(status: .temporaryRedirect, headers: redirect, body: ResponseBody())
        }
        var range: Range<Int64>? = nil
        if let header = request.headers[.range], let requested = ByteRange(header: header), Self.rangeApplies(request, digest) {
            guard let resolved = requested.resolve(size: size) else {
                throw BlobStoreError.rangeNotSatisfiable(size: size)
            }
            range = resolved
        }
        let status: HTTPResponse.Status
        let length: Int64
        if let range {
            status = .partialContent
            length = range.upperBound - range.lowerBound
            headers[.contentRange] = "bytes \(range.lowerBound)-\(range.upperBound - 1)/\(size)"
        } else {
            status = .ok
            length = size
            headers[.contentDigest] = "sha-256=:\(digest.base64):"
        }
        headers[.contentType] = "application/octet-stream"
        let blobs = blobs
        let selected = range
        let body = ResponseBody(contentLength: Int(length)) { writer in
            try await blobs.read(digest, range: selected) { buffer in
                try await writer.write(buffer)
            }
            try await writer.finish(nil)
        }
        return Response(status: status, headers: headers, body: body)
    }

    static func blobHeaders(_ digest: Digest) -> HTTPFields {
        var headers = HTTPFields()
        headers[.eTag] = "\"\(digest)\""
        headers[.acceptRanges] = "bytes"
        headers[.cacheControl] = "public, max-age=31536000, immutable"
        headers[.dockerContentDigest] = digest.description
        headers[.reprDigest] = "sha-256=:\(digest.base64):"
        headers[.legacyDigest] = "sha-256=\(digest.base64)"
        return headers
    }

    /// Whether an `If-None-Match` list names this blob (or is `*`).
    static func matches(_ tags: String, _ digest: Digest) -> Bool {
        CatalogResponseCache.matches(tags, "\"\(digest)\"") || CatalogResponseCache.matches(tags, digest.description)
    }

    /// `If-Range` names the representation a client holds; a range applies only to that one.
    static func rangeApplies(_ request: Request, _ digest: Digest) -> Bool {
        guard let ifRange = request.headers[.ifRange] else { return true }
        return ifRange.trimmingCharacters(in: .whitespaces) == "\"\(digest)\""
    }

    // MARK: Uploads

    @Sendable func startUpload(_ request: Request, context: HubRequestContext) async throws -> Response {
        _ = try context.require(.curator)
        guard let digestText = request.query("digest") else {
            let id = try await beginUpload()
            return try uploadResponse(.accepted, id: id, offset: 0, context: context, request: request)
        }
        let reference = try await uploadWhole(try Self.digest(digestText), request: request)
        return try stored(reference, request: request, context: context)
    }

    @Sendable func uploadStatus(_ request: Request, context: HubRequestContext) async throws -> Response {
        _ = try context.require(.curator)
        let id = context.parameters.get("id") ?? ""
        let offset = try await blobs.uploadSize(id)
        return try uploadResponse(.ok, id: id, offset: offset, context: context, request: request)
    }

    @Sendable func appendChunk(_ request: Request, context: HubRequestContext) async throws -> Response {
        _ = try context.require(.curator)
        let id = context.parameters.get("id") ?? ""
        let size = try await appendChunk(to: id, request: request)
        return try uploadResponse(.accepted, id: id, offset: size, context: context, request: request)
    }

    @Sendable func finishUpload(_ request: Request, context: HubRequestContext) async throws -> Response {
        _ = try context.require(.curator)
        let id = context.parameters.get("id") ?? ""
        let reference = try await completeUpload(id, request: request)
        return try stored(reference, request: request, context: context)
    }

    @Sendable func cancelUpload(_ request: Request, context: HubRequestContext) async throws -> Response {
        _ = try context.require(.curator)
        try await cancelUpload(context.parameters.get("id") ?? "")
        return Response(status: .noContent)
    }

    // MARK: Uploads, whatever the API (`/api/v1/blobs/uploads` and `/v2/NAME/blobs/uploads`)

    /// Starts a resumable upload; returns its id.
    func beginUpload() async throws -> String {
        try await blobs.startUpload(.resumable)
    }

    /// Stores the request's body as the blob `digest` in one request.
    func uploadWhole(_ digest: Digest, request: Request) async throws -> ArchiveReference {
        try checkDeclaredLength(request)
        let id = try await blobs.startUpload(.monolithic)
        do {
            let size = try await append(to: id, at: 0, request.body, limit: configuration.maxUploadSize)
            return try await finish(id, size: size, expecting: digest)
        } catch {
            inspections.abandon(id)
            try? await blobs.cancelUpload(id)
            throw error
        }
    }

    /// Appends a `PATCH`'s body: where its `Content-Range` says, or its `Upload-Offset`, else at the upload's end.
    /// Returns the upload's size after it.
    func appendChunk(to id: String, request: Request) async throws -> Int64 {
        guard let header = request.headers[.contentRange] else {
            try checkDeclaredLength(request)
            let start: Int64
            if let declared = request.headers[.uploadOffset] {
                guard let offset = Int64(declared), offset >= 0 else {
                    throw HubError.badRequest("Upload-Offset must be a byte count, not \"\(declared)\"")
                }
                start = offset
            } else {
                start = try await blobs.uploadSize(id)
            }
            return try await append(to: id, at: start, request.body, limit: configuration.maxUploadSize)
        }
        guard let range = ContentRange(header: header) else {
            throw HubError.badRequest("Content-Range must be FIRST-LAST or bytes FIRST-LAST/TOTAL, not \"\(header)\"")
        }
        try checkDeclaredLength(request)
        // The chunk must carry exactly the bytes its Content-Range names; what arrived is kept either way, and the
        // Range header of the answer says how far the upload got.
        let end = range.end
        let size: Int64
        do {
            size = try await append(to: id, at: range.first, request.body, limit: min(configuration.maxUploadSize, end))
        } catch BlobStoreError.tooLarge where end < configuration.maxUploadSize {
            throw chunkMismatch(header, held: try await blobs.uploadSize(id))
        }
        guard size == end else {
            inspections.abandon(id)
            throw chunkMismatch(header, held: size)
        }
        return size
    }

    /// Appends the request's body, if any, and stores the upload under the digest its `?digest=` names.
    func completeUpload(_ id: String, request: Request) async throws -> ArchiveReference {
        guard let digestText = request.query("digest") else {
            throw HubError.badRequest("finishing an upload needs ?digest=sha256:...")
        }
        let digest = try Self.digest(digestText)
        let current = try await blobs.uploadSize(id)
        try checkDeclaredLength(request)
        let size = try await append(to: id, at: current, request.body, limit: configuration.maxUploadSize)
        return try await finish(id, size: size, expecting: digest)
    }

    func cancelUpload(_ id: String) async throws {
        _ = try await blobs.uploadSize(id)
        inspections.abandon(id)
        try await blobs.cancelUpload(id)
    }

    func uploadSize(_ id: String) async throws -> Int64 {
        try await blobs.uploadSize(id)
    }

    /// Counts and logs a blob an upload stored.
    func recordStored(_ reference: ArchiveReference, context: HubRequestContext) {
        metrics.uploadedBlobs.increment()
        context.logger.info("blob stored", metadata: ["digest": "\(reference.digest)", "size": "\(reference.size)"])
    }

    private static func digest(_ text: String) throws(HubError) -> Digest {
        do {
            return try Digest(parsing: text)
        } catch {
            throw HubError.badRequest(error.description)
        }
    }

    /// Appends a request's bytes to an upload, copying them into the upload's inspection when they follow on from
    /// what it has read.
    private func append(to id: String, at offset: Int64, _ body: RequestBody, limit: Int64) async throws -> Int64 {
        let pipe = inspections.claim(id, at: offset)
        do {
            let size = try await blobs.append(to: id, at: offset, UploadInspections.tee(body, into: pipe), limit: limit)
            if pipe != nil { inspections.fed(id, size: size) }
            return size
        } catch {
            inspections.abandon(id)
            throw error
        }
    }

    /// Stores an upload under its digest, then waits for its inspection to read the last bytes.
    private func finish(_ id: String, size: Int64, expecting digest: Digest) async throws -> ArchiveReference {
        let reference: ArchiveReference
        do {
            reference = try await blobs.finishUpload(id, expecting: digest)
        } catch {
            inspections.abandon(id)
            throw error
        }
        await inspections.complete(id, as: reference)
        return reference
    }

    private func chunkMismatch(_ header: String, held: Int64) -> HubError {
        var headers = HTTPFields()
        if held > 0 { headers[.range] = "0-\(held - 1)" }
        return HubError(
            .badRequest, kind: "chunk-mismatch", "the chunk's length differs from its Content-Range \"\(header)\"; the upload holds \(held) bytes",
            headers: headers)
    }

    /// A declared `Content-Length` over the limit is refused before a byte is read.
    private func checkDeclaredLength(_ request: Request) throws(HubError) {
        if let text = request.headers[.contentLength], let length = Int64(text), length > configuration.maxUploadSize {
            throw HubError(.contentTooLarge, kind: "too-large", "the upload is larger than the hub's limit of \(configuration.maxUploadSize) bytes")
        }
    }

    private func stored(_ reference: ArchiveReference, request: Request, context: HubRequestContext) throws -> Response {
        recordStored(reference, context: context)
        var response = try context.responseEncoder.encode(reference, from: request, context: context)
        response.status = .created
        response.headers[.location] = "/api/v1/blobs/\(reference.digest)"
        response.headers[.dockerContentDigest] = reference.digest.description
        return response
    }

    private func uploadResponse(
        _ status: HTTPResponse.Status, id: String, offset: Int64, context: HubRequestContext, request: Request
    ) throws -> Response {
        var response = try context.responseEncoder.encode(UploadStatus(id: id, offset: offset), from: request, context: context)
        response.status = status
        response.headers[.location] = "/api/v1/blobs/uploads/\(id)"
        response.headers[.dockerUploadUUID] = id
        if offset > 0 { response.headers[.range] = "0-\(offset - 1)" }
        return response
    }
}
