import Foundation
import Hummingbird
import Logging
import MaxhubCore
import MaxhubStore

/// The review workflow's routes: reviewing a pending version, yanking and restoring, the review queue, the audit log.
struct ReviewController<Catalog: CatalogStore, Blobs: BlobStore> {
    let catalog: Catalog
    let signer: ApprovalSigner<Catalog, Blobs>

    var endpoints: RouteCollection<HubRequestContext> {
        RouteCollection(context: HubRequestContext.self)
            .post("models/:name/versions/:version/review", use: review)
            .post("models/:name/versions/:version/yank", use: yank)
            .get("reviews", use: queue)
            .get("audit", use: audit)
    }

    @Sendable func review(_ request: Request, context: HubRequestContext) async throws -> VersionDetail {
        let reviewer = try context.require(.reviewer)
        let name = try context.modelName()
        let version = try context.version()
        let body = try await request.decode(as: ReviewRequest.self, context: context)
        return VersionDetail(try await review(body, of: name, version: version, by: reviewer, logger: context.logger))
    }

    /// Records a reviewer's decision on a pending version: the rules of the workflow (four-eyes, pending only, a note
    /// to reject, known licenses to approve), shared by the API and the web catalog's review page.
    func review(
        _ body: ReviewRequest, of name: ModelName, version: Version, by reviewer: Identity, logger: Logger
    ) async throws -> VersionRecord {
        guard reviewer.roles.permit(.reviewer) else {
            throw HubError.forbidden("\(reviewer.user) has the roles \(reviewer.roles.map(\.rawValue).joined(separator: ", ")); this needs reviewer")
        }
        guard let record = try await catalog.version(version, of: name, visibility: .everything) else {
            throw HubError.notFound("no version \(version) of \(name)")
        }
        guard record.publishedBy != reviewer.user else {
            throw HubError.forbidden("\(reviewer.user) published \(name)@\(record.version) and may not review it; another reviewer must")
        }
        guard record.state == .pending else {
            throw CatalogError.invalidTransition(name, record.version, from: record.state, to: body.decision == .approve ? .approved : .rejected)
        }
        let note = body.note?.trimmingCharacters(in: .whitespacesAndNewlines)
        if body.decision == .reject && (note ?? "").isEmpty {
            throw HubError.badRequest("a rejection needs a note saying why", errors: [.init(path: "note", message: "required to reject")])
        }
        let license = try Self.confirmedLicenses(declared: record.license, verdict: body.license, checkDeclared: body.decision == .approve)
        var decision = NewReview(
            name: name, version: record.version, reviewer: reviewer.user, decision: body.decision, license: license,
            note: note?.isEmpty == false ? note : nil, at: Date())
        let signingStart = ContinuousClock.now
        if body.decision == .approve { decision.signatures = try await signer.signatures(approving: record, review: decision) }
        let signing = ContinuousClock.now - signingStart
        let reviewed = try await catalog.recordReview(decision)
        logger.info(
            "reviewed",
            metadata: [
                "model": "\(name)", "version": "\(record.version)", "by": "\(reviewer.user)", "decision": "\(body.decision)",
                "signing": "\(signing)",
            ])
        return reviewed
    }

    /// The licenses a review records: the verdict's corrections where given, else the declared ones. An approval
    /// confirms them, so each must be a known SPDX expression (written in its canonical form); a rejection checks only
    /// the corrections it gives, so a package declaring an unknown license can be rejected as it is.
    static func confirmedLicenses(
        declared: Manifest.Licenses, verdict: LicenseVerdict?, checkDeclared: Bool
    ) throws(HubError) -> Manifest.Licenses {
        var problems: [ProblemDetails.Item] = []
        func check(_ part: String, _ given: String?, _ declared: String) -> String {
            let text = given ?? declared
            if given == nil && !checkDeclared { return text }
            do {
                return try SPDXExpression(parsing: text).normalized
            } catch {
                let origin = given == nil ? " (as declared; give a verdict to correct it)" : ""
                problems.append(.init(path: "license.\(part)", message: "\(error.description)\(origin)"))
                return text
            }
        }
        let confirmed = Manifest.Licenses(
            code: check("code", verdict?.code, declared.code),
            weights: check("weights", verdict?.weights, declared.weights),
            data: check("data", verdict?.data, declared.data))
        guard problems.isEmpty else { throw .badRequest("unknown SPDX license", kind: "unknown-license", errors: problems) }
        return confirmed
    }

    @Sendable func yank(_ request: Request, context: HubRequestContext) async throws -> VersionDetail {
        let actor = try context.require(.reader)
        let name = try context.modelName()
        let version = try context.version()
        let body = try await request.decode(as: YankRequest.self, context: context)
        let visibility = VisibilityPolicy.exactVisibility(for: actor)
        guard let record = try await catalog.version(version, of: name, visibility: visibility) else {
            throw HubError.notFound("no version \(version) of \(name)")
        }
        if body.undo {
            guard actor.roles.permit(.admin) else { throw HubError.forbidden("only an admin may restore a yanked version") }
        } else {
            let isPublisher = record.publishedBy == actor.user && actor.roles.permit(.curator)
            guard isPublisher || actor.roles.permit(.reviewer) else {
                throw HubError.forbidden("only the publisher of \(name)@\(record.version), a reviewer or an admin may yank it")
            }
        }
        let reason = body.reason?.trimmingCharacters(in: .whitespacesAndNewlines)
        let changed = try await catalog.changeState(
            StateChange(
                name: name, version: record.version, to: body.undo ? .approved : .yanked, actor: actor.user,
                reason: reason?.isEmpty == false ? reason : nil, at: Date()))
        context.logger.info(
            "\(body.undo ? "unyanked" : "yanked")", metadata: ["model": "\(name)", "version": "\(record.version)", "by": "\(actor.user)"])
        return VersionDetail(changed)
    }

    @Sendable func queue(_ request: Request, context: HubRequestContext) async throws -> ReviewQueue {
        _ = try context.require(.reviewer)
        let text = request.query("state") ?? ReviewState.pending.rawValue
        guard let state = ReviewState(rawValue: text) else {
            throw HubError.badRequest("state must be one of \(ReviewState.allCases.map(\.rawValue).joined(separator: ", ")), not \"\(text)\"")
        }
        return ReviewQueue(state: state, versions: try await catalog.versions(in: state).map(VersionDetail.init))
    }

    @Sendable func audit(_ request: Request, context: HubRequestContext) async throws -> AuditPage {
        _ = try context.require(.admin)
        let limit = try request.integerQuery("limit", in: 1...1000, default: 100)
        let after = try request.integerQuery("after", in: 0...Int.max, default: 0)
        let filter = AuditFilter(
            actor: request.query("actor"), action: request.query("action"), subject: request.query("subject"),
            afterID: after > 0 ? Int64(after) : nil, limit: limit)
        let entries = try await catalog.auditEntries(filter)
        return AuditPage(entries: entries, nextAfter: entries.count == limit ? entries.last?.id : nil)
    }
}
