import Foundation
import HTTPTypes
import Hummingbird
import MaxhubCore
import MaxhubStore

/// The hub's signing keys and the signatures of approved versions, in the OpenSSF model-signing format.
struct SigningController<Catalog: CatalogStore> {
    let catalog: Catalog
    let configuration: HubConfiguration

    var endpoints: RouteCollection<HubRequestContext> {
        RouteCollection(context: HubRequestContext.self)
            .get("signing-key", use: signingKey)
            .get("signing-keys", use: signingKeys)
            .get("models/:name/versions/:version/signature", use: filesSignature)
            .get("models/:name/versions/:version/review-signature", use: reviewSignature)
    }

    private func requireRead(_ context: HubRequestContext) throws(HubError) {
        if !configuration.anonymousRead { _ = try context.require(.reader) }
    }

    /// The public key the hub signs with now, as PEM (`model_signing verify key --public_key` reads it).
    @Sendable func signingKey(_ request: Request, context: HubRequestContext) async throws -> Response {
        try requireRead(context)
        guard let current = try await catalog.signingKeysMakingTheFirst().last else {
            throw HubError.notFound("the hub has no signing key")
        }
        var headers = HTTPFields()
        headers[.contentType] = "application/x-pem-file"
        headers[.eTag] = "\"\(current.fingerprint)\""
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: current.publicKeyPEM)))
    }

    /// Every key the hub has signed with, so that versions signed before a rotation still verify.
    @Sendable func signingKeys(_ request: Request, context: HubRequestContext) async throws -> SigningKeyList {
        try requireRead(context)
        let keys = try await catalog.signingKeysMakingTheFirst()
        return SigningKeyList(
            keys: keys.enumerated().map { index, key in
                SigningKeyList.Key(fingerprint: key.fingerprint, pem: key.publicKeyPEM, createdAt: key.createdAt, current: index == keys.count - 1)
            })
    }

    @Sendable func filesSignature(_ request: Request, context: HubRequestContext) async throws -> Response {
        try await signature(.files, context: context)
    }

    @Sendable func reviewSignature(_ request: Request, context: HubRequestContext) async throws -> Response {
        try await signature(.review, context: context)
    }

    /// A visible version's bundle: approved and yanked versions have one; pending and rejected ones none.
    private func signature(_ kind: VersionSignature.Kind, context: HubRequestContext) async throws -> Response {
        try requireRead(context)
        let name = try context.modelName()
        let version = try context.version()
        let visibility = VisibilityPolicy.exactVisibility(for: context.identity)
        guard let record = try await catalog.version(version, of: name, visibility: visibility) else {
            throw HubError.notFound("no version \(version) of \(name)")
        }
        let signatures = try await catalog.signatures(of: name, version: version, visibility: visibility)
        guard let signature = signatures.first(where: { $0.kind == kind }) else {
            throw HubError.notFound(
                "\(name)@\(record.version) has no \(kind == .files ? "signature" : "signed review"): it is \(record.state.rawValue), "
                    + "and only an approval is signed")
        }
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        headers[.eTag] = "\"\(Digest.of(signature.bundle).hex)\""
        headers[.cacheControl] = "no-cache"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: signature.bundle)))
    }
}
