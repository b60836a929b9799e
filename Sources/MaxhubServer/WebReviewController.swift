import Foundation
import Hummingbird
import MaxhubCore
import MaxhubStore

/// The reviewer's pages: the queue of pending versions, a version's review page, and its approve or reject form, which
/// goes through the same workflow as the API's review route.
struct WebReviewController<Catalog: CatalogStore, Blobs: BlobStore> {
    let catalog: Catalog
    let reviews: ReviewController<Catalog, Blobs>
    let keys: WebSessionKeys

    /// The versions the queue lists at most, so that it stays under 100 KB; its summary says when some are left out.
    static var listedQueue: Int { 100 }

    var endpoints: RouteCollection<HubRequestContext> {
        RouteCollection(context: HubRequestContext.self)
            .add(middleware: WebSessionMiddleware(catalog: catalog, keys: keys))
            .add(middleware: WebErrorMiddleware())
            .get("review", use: queue)
            .get("review/:name/:version", use: reviewPage)
            .post("review/:name/:version", use: decide)
    }

    @Sendable func queue(_ request: Request, context: HubRequestContext) async throws -> Response {
        let reviewer = try context.require(.reviewer)
        let pending = try await catalog.versions(in: .pending)
        let chrome = PageChrome(title: "Review queue", section: .review, context: context)
        let view = QueueView(
            chrome: chrome,
            notice: request.query("reviewed").map { "Your review of \($0) is recorded." },
            summary: pending.isEmpty
                ? "Nothing is waiting for review."
                : "\(pending.count) version\(pending.count == 1 ? "" : "s") waiting, oldest first"
                    + (pending.count > Self.listedQueue ? "; the oldest \(Self.listedQueue) are listed." : "."),
            hasVersions: !pending.isEmpty,
            versions: pending.prefix(Self.listedQueue).map { record in
                QueueView.Row(
                    name: record.name.description, version: record.version.description,
                    href: "/review/\(WebLinks.encode(record.name.description))/\(WebLinks.encode(record.version.description))",
                    task: record.task, licenses: "code \(record.license.code), weights \(record.license.weights), data \(record.license.data)",
                    publishedBy: record.publishedBy, isOwn: record.publishedBy == reviewer.user, publishedAt: WebFormat.date(record.publishedAt))
            })
        return WebPage.response("queue", view)
    }

    @Sendable func reviewPage(_ request: Request, context: HubRequestContext) async throws -> Response {
        let reviewer = try context.require(.reviewer)
        return try await reviewResponse(name: try context.modelName(), version: try context.version(), reviewer: reviewer, context: context)
    }

    private func reviewResponse(
        name: ModelName, version: Version, reviewer: Identity, context: HubRequestContext, form: [String: String]? = nil,
        error: HubError? = nil
    ) async throws -> Response {
        guard let record = try await catalog.version(version, of: name, visibility: .everything) else {
            throw HubError.notFound("no version \(version) of \(name)")
        }
        let card = try await catalog.modelCard(of: name, version: record.version, visibility: .everything)
        let manifest = try? record.manifest.decode(Manifest.self)
        let declared = manifest?.license ?? record.license
        let (fileSummary, files) = FileRow.rows(for: manifest?.files ?? [])
        let chrome = PageChrome(title: "Review \(name)@\(record.version)", section: .review, context: context)
        var message = error?.detail
        if let items = error?.errors, !items.isEmpty {
            message = (message ?? "") + ": " + items.map { "\($0.path): \($0.message)" }.joined(separator: "; ")
        }
        let view = ReviewView(
            chrome: chrome, name: name.description, version: record.version.description,
            action: "/review/\(WebLinks.encode(name.description))/\(WebLinks.encode(record.version.description))",
            description: record.description, task: record.task, framework: WebFormat.framework(manifest), publishedBy: record.publishedBy,
            publishedAt: WebFormat.date(record.publishedAt), state: record.state.rawValue, isPending: record.state == .pending,
            isOwn: record.publishedBy == reviewer.user, error: message, cardHTML: card?.pageHTML.html,
            fileSummary: fileSummary, files: files,
            declaredCode: declared.code, declaredWeights: declared.weights, declaredData: declared.data,
            licenseCode: form?["license_code"] ?? record.license.code, licenseWeights: form?["license_weights"] ?? record.license.weights,
            licenseData: form?["license_data"] ?? record.license.data, note: form?["note"] ?? "")
        return WebPage.response("review", view, status: error?.status ?? .ok)
    }

    @Sendable func decide(_ request: Request, context: HubRequestContext) async throws -> Response {
        let reviewer = try context.require(.reviewer)
        guard let session = context.webSession else {
            throw HubError.forbidden("reviewing in the browser needs a signed-in session; use the API with a bearer token otherwise")
        }
        let form = try await WebForm.fields(of: request)
        try WebForm.check(request, form, session: session, keys: keys)
        let name = try context.modelName()
        let version = try context.version()
        guard let decision = form["decision"].flatMap(ReviewRequest.Decision.init(rawValue:)) else {
            throw HubError.badRequest("decision must be approve or reject")
        }
        do {
            guard let record = try await catalog.version(version, of: name, visibility: .everything) else {
                throw HubError.notFound("no version \(version) of \(name)")
            }
            func verdict(_ field: String, _ declared: String) -> String? {
                let given = (form[field] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
                return given.isEmpty || given == declared ? nil : given
            }
            let license = LicenseVerdict(
                code: verdict("license_code", record.license.code), weights: verdict("license_weights", record.license.weights),
                data: verdict("license_data", record.license.data))
            let body = ReviewRequest(
                decision: decision, license: license == LicenseVerdict() ? nil : license, note: form["note"])
            let reviewed = try await reviews.review(body, of: name, version: version, by: reviewer, logger: context.logger)
            return WebPage.redirect(to: WebLinks.link("/review", [("reviewed", "\(name)@\(reviewed.version)")]))
        } catch {
            let problem = ProblemMiddleware.problem(for: error)
            guard problem.status.code < 500, problem.status != .notFound else { throw error }
            return try await reviewResponse(name: name, version: version, reviewer: reviewer, context: context, form: form, error: problem)
        }
    }
}
