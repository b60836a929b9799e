import Foundation
import MaxhubCore

/// Where the hub keeps its catalog: models, versions, tokens and the audit log.
///
/// Every write is one transaction that also appends its audit entry, so the catalog is always as it was before a write
/// or after it. Reads take a `CatalogVisibility`, the one place that decides which versions a caller may see.
/// `SQLiteCatalogStore` is the embedded implementation; `CatalogStoreContract` in the tests is what any other one (a
/// PostgreSQL store, say) must pass.
public protocol CatalogStore: Sendable {
    /// Records a new version as `pending` with its model card, creating its model on the first version, and appends a
    /// `version.publish` audit entry. Throws `CatalogError.versionExists` when the model already has this version (build metadata ignored).
    func publishVersion(_ version: NewVersion) async throws -> VersionRecord

    /// One page of the models that have a visible version, each described by its latest visible version, which must
    /// also match the query's text and filters. Ordered by relevance when there is text, by name otherwise.
    func searchModels(_ query: ModelQuery, visibility: CatalogVisibility) async throws -> ModelSearchResult

    /// How many of the models a search finds have each task, framework and license (`CatalogFacets`); the query's page
    /// is ignored.
    func facets(_ query: ModelQuery, visibility: CatalogVisibility) async throws -> CatalogFacets

    /// The model card of one visible version, found by SemVer equality; nil when the version is not visible or its
    /// archive carried no README.
    func modelCard(of name: ModelName, version: Version, visibility: CatalogVisibility) async throws -> ModelCard?

    /// The visible versions of a model, highest precedence first; empty when the model is unknown or none is visible.
    func versions(of name: ModelName, visibility: CatalogVisibility) async throws -> [VersionRecord]

    /// One visible version, found by SemVer equality (build metadata ignored).
    func version(_ version: Version, of name: ModelName, visibility: CatalogVisibility) async throws -> VersionRecord?

    /// Records the review of a pending version in one transaction: the version becomes approved or rejected, the
    /// reviewed licenses become the ones the catalog shows, the review is kept with its signatures (of an approval), and an
    /// audit entry is appended.
    /// Throws `CatalogError.versionNotFound` and, when the version is not pending, `CatalogError.invalidTransition`.
    func recordReview(_ review: NewReview) async throws -> VersionRecord

    /// Yanks an approved version or restores a yanked one (`to` is `.yanked` or `.approved`), with an audit entry.
    /// Throws `CatalogError.versionNotFound` and `CatalogError.invalidTransition`.
    func changeState(_ change: StateChange) async throws -> VersionRecord

    /// Whether some version whose archive is `digest` is visible under `visibility`.
    func archiveIsVisible(_ digest: Digest, visibility: CatalogVisibility) async throws -> Bool

    /// Every version in a state, oldest published first (the review queue).
    func versions(in state: ReviewState) async throws -> [VersionRecord]

    /// Stores a token (only its hash) and appends a `token.create` audit entry.
    func createToken(_ token: NewToken) async throws -> TokenRecord

    /// The token with this hash, revoked or not.
    func token(withHash hash: String) async throws -> TokenRecord?

    /// Every token, oldest first.
    func tokens() async throws -> [TokenRecord]

    /// Marks a token revoked and appends a `token.revoke` audit entry. Throws `CatalogError.tokenNotFound`;
    /// revoking a revoked token changes nothing and returns it.
    func revokeToken(id: Int64, by actor: String, at time: Date) async throws -> TokenRecord

    /// How many tokens exist, revoked ones included (zero on a new hub).
    func tokenCount() async throws -> Int

    /// Stores `token` as the catalog's first token, with its audit entry, only while the catalog has no token at all;
    /// returns it then, and nil when some token exists. Of hubs starting together on one empty catalog, exactly one
    /// makes it.
    func createFirstToken(_ token: NewToken) async throws -> TokenRecord?

    /// The hub-wide secret called `name` (the web catalog's CSRF key, say): the one stored, or `proposal` when none was
    /// stored yet, which is then stored. Every process on one catalog gets the same bytes, whichever proposed first.
    func sharedSecret(_ name: String, proposal: [UInt8]) async throws -> [UInt8]

    /// Every signing key, oldest first: the last one is the one the hub signs with.
    func signingKeys() async throws -> [SigningKeyRecord]

    /// Stores a signing key, which then signs, with a `key.create` audit entry. With `onlyIfNone`, only while the catalog
    /// has no key, returning nil when one exists: of hubs starting together on one empty catalog, exactly one makes it.
    func addSigningKey(_ key: NewSigningKey, onlyIfNone: Bool) async throws -> SigningKeyRecord?

    /// The signatures of a visible version (none while it is pending, or when it was rejected).
    func signatures(of name: ModelName, version: Version, visibility: CatalogVisibility) async throws -> [VersionSignature]

    /// Approved and yanked versions without signatures (approved before the hub signed approvals), oldest first.
    func unsignedVersions() async throws -> [VersionRecord]

    /// Keeps signatures for an approved or yanked version that has none, in one transaction; false when it has some
    /// already (another hub signed it first) or is in another state.
    func addSignatures(_ signatures: [VersionSignature], to name: ModelName, version: Version) async throws -> Bool

    /// The layer facts of an archive, once some hub recorded them.
    func layerFacts(of archive: Digest) async throws -> ArchiveLayerFacts?

    /// Keeps an archive's layer facts; facts already kept for it stay (they are derived from the same bytes).
    func recordLayerFacts(_ facts: ArchiveLayerFacts) async throws

    /// Keeps a pushed manifest and its tag, with an audit entry, in one transaction; returns false when both were kept
    /// already (a push of the same bytes again). Throws `ManifestPushError` when the tag names other content or an index
    /// names a manifest the repository lacks.
    func pushManifest(_ push: ManifestPush) async throws -> Bool

    /// A pushed manifest of the repository, by digest or by tag.
    func pushedManifest(in repository: String, digest: Digest) async throws -> PushedManifest?
    func pushedManifest(in repository: String, tag: String) async throws -> PushedManifest?

    /// The repository's tags, in byte order.
    func pushedTags(in repository: String) async throws -> [String]

    /// The manifests of `repository` whose `subject` is `subject` (the OCI referrers API), by digest.
    func referrers(of subject: Digest, in repository: String) async throws -> [PushedManifest]

    /// Whether a manifest pushed to the repository names the blob.
    func pushedManifestNames(_ blob: Digest, in repository: String) async throws -> Bool

    /// Audit entries matching the filter, oldest first.
    func auditEntries(_ filter: AuditFilter) async throws -> [AuditEntry]

    /// A number that moves on, in the same transaction, with every change to what the catalog shows (models,
    /// versions, their states, reviews and model cards), whichever process made it; it never moves back. Token changes
    /// do not move it. Hubs keep rendered answers while it stays put.
    func generation() async throws -> Int64
}
