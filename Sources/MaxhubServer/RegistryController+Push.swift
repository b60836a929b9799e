import Foundation
import HTTPTypes
import Hummingbird
import MaxhubCore
import MaxhubStore
import NIOCore

/// Pushes under `/v2/`, for curators: blob uploads (one request, chunks, or a mount of a blob the hub has), and
/// manifests, which are kept byte for byte under tags that never move. A model's own repository `NAME` holds its
/// versions, derived from its packages; images and other artifacts go to repositories below it (`NAME/serving`).
extension RegistryController {
    // MARK: Blob uploads

    /// `POST /v2/REPO/blobs/uploads/`: a mount (`?mount=DIGEST`) of a blob the hub holds, a whole blob in one request
    /// (`?digest=`), or a new resumable upload.
    func startUpload(_ repository: RegistryPush.Repository, request: Request, context: HubRequestContext) async throws -> Response {
        if let mount = request.query("mount"), let digest = try? Digest(parsing: mount), let size = try await blobs.size(of: digest) {
            // The store is content-addressed: every repository's blob is already here.
            await blobs.renew(digest)
            context.logger.info("blob mounted", metadata: ["digest": "\(digest)", "size": "\(size)", "repository": "\(repository.path)"])
            return Self.blobCreated(repository, digest)
        }
        if let text = request.query("digest") {
            guard let digest = try? Digest(parsing: text) else {
                throw RegistryError(status: .badRequest, code: "DIGEST_INVALID", message: "\(text) is not a sha256 digest")
            }
            let reference = try await downloads.uploadWhole(digest, request: request)
            downloads.recordStored(reference, context: context)
            return Self.blobCreated(repository, reference.digest)
        }
        let id = try await downloads.beginUpload()
        return Self.uploadState(.accepted, repository, id: id, size: 0)
    }

    /// `GET`, `PATCH`, `PUT` and `DELETE` of `/v2/REPO/blobs/uploads/ID`.
    func upload(_ repository: RegistryPush.Repository, id: String, request: Request, context: HubRequestContext) async throws -> Response {
        switch request.method {
        case .get:
            return Self.uploadState(.noContent, repository, id: id, size: try await downloads.uploadSize(id))
        case .patch:
            return Self.uploadState(.accepted, repository, id: id, size: try await downloads.appendChunk(to: id, request: request))
        case .put:
            let reference = try await downloads.completeUpload(id, request: request)
            downloads.recordStored(reference, context: context)
            return Self.blobCreated(repository, reference.digest)
        case .delete:
            try await downloads.cancelUpload(id)
            return Response(status: .noContent)
        default:
            throw RegistryError.unsupported("\(request.method) of an upload")
        }
    }

    static func blobCreated(_ repository: RegistryPush.Repository, _ digest: Digest) -> Response {
        var headers = HTTPFields()
        headers[.location] = "/v2/\(repository.path)/blobs/\(digest)"
        headers[.dockerContentDigest] = digest.description
        headers[.contentLength] = "0"
        return Response(status: .created, headers: headers, body: ResponseBody())
    }

    static func uploadState(_ status: HTTPResponse.Status, _ repository: RegistryPush.Repository, id: String, size: Int64) -> Response {
        var headers = HTTPFields()
        headers[.location] = "/v2/\(repository.path)/blobs/uploads/\(id)"
        headers[.dockerUploadUUID] = id
        headers[.range] = "0-\(max(0, size - 1))"
        headers[.contentLength] = "0"
        return Response(status: status, headers: headers, body: ResponseBody())
    }

    // MARK: Manifests

    /// `PUT /v2/REPO/manifests/REFERENCE`: keeps the manifest byte for byte once every blob it names is here (and, for
    /// an index, every manifest). In a model's own repository only its version's own manifest is taken, again.
    func pushManifest(
        _ repository: RegistryPush.Repository, reference: String, pusher: Identity, request: Request, context: HubRequestContext
    ) async throws -> Response {
        let mediaType = request.headers[.contentType].map { $0.split(separator: ";")[0].trimmingCharacters(in: .whitespaces) } ?? ""
        guard RegistryPush.manifestTypes.contains(mediaType) else {
            throw RegistryError(
                status: .unsupportedMediaType, code: "MANIFEST_INVALID",
                message: "a manifest must be sent as one of \(RegistryPush.manifestTypes.sorted().joined(separator: ", ")), not \"\(mediaType)\"")
        }
        let bytes: [UInt8]
        do {
            bytes = Array(buffer: try await request.body.collect(upTo: RegistryPush.maxManifestBytes))
        } catch is NIOTooManyBytesError {
            throw RegistryError(status: .contentTooLarge, code: "SIZE_INVALID", message: "a manifest may hold at most \(RegistryPush.maxManifestBytes) bytes")
        }
        let digest = Digest.of(bytes)
        var tag: String?
        if let named = try? Digest(parsing: reference) {
            guard named == digest else {
                throw RegistryError(status: .badRequest, code: "DIGEST_INVALID", message: "the manifest's digest is \(digest), not \(named)")
            }
        } else {
            guard RegistryPush.isTag(reference) else {
                throw RegistryError(status: .badRequest, code: "TAG_INVALID", message: "\(reference) is not a tag ([A-Za-z0-9_][A-Za-z0-9._-]{0,127})")
            }
            tag = reference
        }
        if repository.isModel {
            return try await pushToModel(repository, tag: tag, digest: digest, pusher: pusher)
        }
        let checked = try RegistryPush.check(bytes, mediaType: mediaType)
        for blob in checked.blobs {
            guard let size = try await blobs.size(of: blob.digest) else {
                throw RegistryError(status: .badRequest, code: "MANIFEST_BLOB_UNKNOWN", message: "the manifest names \(blob.digest), which is not here; push it first")
            }
            guard size == blob.size else {
                throw RegistryError(status: .badRequest, code: "MANIFEST_INVALID", message: "\(blob.digest) has \(size) bytes, not the \(blob.size) the manifest says")
            }
        }
        let push = ManifestPush(
            manifest: PushedManifest(repository: repository.path, digest: digest, mediaType: mediaType, body: bytes, pushedBy: pusher.user, pushedAt: Date()),
            blobs: checked.blobs.map(\.digest), manifests: checked.manifests, tag: tag, subject: checked.subject)
        let stored: Bool
        do {
            stored = try await catalog.pushManifest(push)
        } catch let error as ManifestPushError {
            switch error {
            case .tagTaken: throw RegistryError(status: .conflict, code: "DENIED", message: error.description)
            case .manifestUnknown: throw RegistryError(status: .badRequest, code: "MANIFEST_BLOB_UNKNOWN", message: error.description)
            }
        }
        if stored {
            context.logger.info(
                "manifest pushed", metadata: ["repository": "\(repository.path)", "digest": "\(digest)", "tag": "\(tag ?? "-")", "by": "\(pusher.user)"])
        }
        var response = Self.manifestCreated(repository.path, digest)
        if let subject = checked.subject { response.headers[.ociSubject] = subject.description }
        return response
    }

    /// A model's tags are its versions: a push of a version's own manifest is taken (it is there already), anything
    /// else under one of its versions is 409, and other tags are refused.
    private func pushToModel(_ repository: RegistryPush.Repository, tag: String?, digest: Digest, pusher: Identity) async throws -> Response {
        let name = repository.model
        let elsewhere = "push images and other artifacts under \(name)/SUB (such as \(name)/serving)"
        guard let tag, let version = try? Version(parsing: tag),
            let record = try await catalog.version(version, of: name, visibility: VisibilityPolicy.exactVisibility(for: pusher))
        else {
            throw RegistryError.denied("\(name)'s tags are its versions, published with maxhub publish; \(elsewhere)")
        }
        let artifact = try await ModelPackArtifacts(catalog: catalog, blobs: blobs).artifact(for: record)
        guard artifact.manifestDigest == digest else {
            throw RegistryError(
                status: .conflict, code: "DENIED",
                message: "\(name):\(tag) is \(artifact.manifestDigest), derived from the version; tags never move, \(elsewhere)")
        }
        return Self.manifestCreated(repository.path, digest)
    }

    static func manifestCreated(_ path: String, _ digest: Digest) -> Response {
        var headers = HTTPFields()
        headers[.location] = "/v2/\(path)/manifests/\(digest)"
        headers[.dockerContentDigest] = digest.description
        headers[.contentLength] = "0"
        return Response(status: .created, headers: headers, body: ResponseBody())
    }

    // MARK: Reading what was pushed

    func pushedManifest(_ repository: RegistryPush.Repository, reference: String, request: Request) async throws -> Response {
        let found: PushedManifest?
        if let digest = try? Digest(parsing: reference) {
            found = try await catalog.pushedManifest(in: repository.path, digest: digest)
        } else {
            found = try await catalog.pushedManifest(in: repository.path, tag: reference)
        }
        guard let manifest = found else { throw RegistryError.manifestUnknown(repository.path, reference) }
        return Self.content(manifest.body, type: manifest.mediaType, digest: manifest.digest, request: request)
    }

    /// A blob that a manifest of the repository names; curators (who push) may read any blob the hub has, as on
    /// `/api/v1/blobs`, so that a `HEAD` before an upload finds what is here.
    func pushedBlob(_ repository: RegistryPush.Repository, digest text: String, request: Request, context: HubRequestContext) async throws -> Response {
        guard let digest = try? Digest(parsing: text) else {
            throw RegistryError(status: .badRequest, code: "DIGEST_INVALID", message: "\(text) is not a sha256 digest")
        }
        let roles = reader(context)?.roles ?? []
        var mayRead = roles.permit(.curator) || roles.permit(.reviewer)
        if !mayRead { mayRead = try await catalog.pushedManifestNames(digest, in: repository.path) }
        guard mayRead, try await blobs.size(of: digest) != nil else { throw RegistryError.blobUnknown(digest.description) }
        var readerContext = context
        readerContext.identity = reader(context)
        return request.method == .head
            ? try await downloads.head(digest, request: request, context: readerContext, accessChecked: true)
            : try await downloads.download(digest, request: request, context: readerContext, accessChecked: true)
    }

    /// `GET /v2/REPO/referrers/DIGEST`: an OCI index of the manifests pushed to the repository whose `subject` is the
    /// digest (empty when there are none), each with its artifact type (its own, else its config's media type) and
    /// annotations; `?artifactType=` keeps those of one type and says so in `OCI-Filters-Applied`.
    func referrers(_ repository: String, digest text: String, request: Request) async throws -> Response {
        guard let subject = try? Digest(parsing: text) else {
            throw RegistryError(status: .badRequest, code: "DIGEST_INVALID", message: "\(text) is not a sha256 digest")
        }
        let wanted = request.query("artifactType")
        var descriptors: [ReferrerDescriptor] = []
        for manifest in try await catalog.referrers(of: subject, in: repository) {
            let body = try? JSONDecoder().decode(RegistryPush.Body.self, from: Data(manifest.body))
            let descriptor = ReferrerDescriptor(
                mediaType: manifest.mediaType, digest: manifest.digest.description, size: manifest.body.count,
                artifactType: body?.artifactType ?? body?.config?.mediaType, annotations: body?.annotations)
            if wanted == nil || descriptor.artifactType == wanted { descriptors.append(descriptor) }
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let index = ReferrerIndex(manifests: descriptors)
        var headers = HTTPFields()
        headers[.contentType] = index.mediaType
        if wanted != nil { headers[.ociFiltersApplied] = "artifactType" }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: try encoder.encode(index))))
    }

    func pushedTags(_ repository: RegistryPush.Repository, request: Request) async throws -> Response {
        let tags = try await catalog.pushedTags(in: repository.path)
        guard !tags.isEmpty else { throw RegistryError(status: .notFound, code: "NAME_UNKNOWN", message: "nothing was pushed to \(repository.path)") }
        return try Self.tagList(repository.path, tags, request: request)
    }
}

/// What the referrers API answers: an OCI image index of descriptors.
struct ReferrerIndex: Encodable {
    var schemaVersion = 2
    var mediaType = "application/vnd.oci.image.index.v1+json"
    var manifests: [ReferrerDescriptor]
}

struct ReferrerDescriptor: Encodable {
    var mediaType: String
    var digest: String
    var size: Int
    var artifactType: String?
    var annotations: [String: String]?
}
