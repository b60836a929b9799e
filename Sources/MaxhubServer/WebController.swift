import Foundation
import Hummingbird
import MaxhubCore
import MaxhubStore

/// The web catalog at `/`: server-rendered pages over the same store, visibility rules and review workflow as the JSON
/// API. Home and search, a model's page, the API documentation, signing in and out, and the reviewer's queue and review
/// page.
struct WebController<Catalog: CatalogStore> {
    let catalog: Catalog
    let configuration: HubConfiguration
    let reviews: ReviewController<Catalog>
    let keys: WebSessionKeys

    /// Models on one page of results.
    static var perPage: Int { 20 }
    /// Values shown for each facet (the selected one always is).
    static var facetValues: Int { 12 }
    /// What a page lists at most, so that every page stays under 100 KB: files, versions, inputs, outputs and claims
    /// of a model, versions in the queue. A page that leaves some out says so.
    static var listedFiles: Int { 100 }
    static var listedVersions: Int { 50 }
    static var listedPorts: Int { 50 }
    static var listedQueue: Int { 100 }
    /// The most HTML a model card may take on a page; a longer rendering is redone from a shorter part of the README.
    static var cardHTMLBudget: Int { 52 << 10 }

    var endpoints: RouteCollection<HubRequestContext> {
        RouteCollection(context: HubRequestContext.self)
            .add(middleware: WebSessionMiddleware(catalog: catalog, keys: keys))
            .add(middleware: WebErrorMiddleware())
            .get("/", use: home)
            .get("models/:name", use: model)
            .get("docs", use: docs)
            .get("login", use: loginForm)
            .post("login", use: login)
            .post("logout", use: logout)
            .get("review", use: queue)
            .get("review/:name/:version", use: reviewPage)
            .post("review/:name/:version", use: decide)
    }

    private func requireRead(_ context: HubRequestContext) throws(HubError) {
        if !configuration.anonymousRead { _ = try context.require(.reader) }
    }

    // MARK: Home and search

    struct HomeView {
        struct Facet {
            var key: String
            var title: String
            var noun: String
            var values: [FacetValue]
            var clearHref: String?
        }

        struct FacetValue {
            var value: String
            var count: Int
            var href: String
            var selected: Bool
        }

        struct Hidden {
            var name: String
            var value: String
        }

        struct Model {
            var name: String
            var href: String
            var version: String
            var state: String
            var showState: Bool
            var task: String
            var framework: String?
            var license: String
            var description: String
        }

        var chrome: PageChrome
        var q: String
        var hiddenFilters: [Hidden]
        var facets: [Facet]
        var summary: String
        var models: [Model]
        var hasPages: Bool
        var page: Int
        var pageCount: Int
        var previousHref: String?
        var nextHref: String?
    }

    @Sendable func home(_ request: Request, context: HubRequestContext) async throws -> Response {
        try requireRead(context)
        let query = ModelQuery(
            text: request.query("q"), task: request.query("task"), framework: request.query("framework"),
            license: request.query("license"), page: try request.integerQuery("page", in: 1...1_000_000, default: 1),
            perPage: Self.perPage)
        let visibility = VisibilityPolicy.visibility(for: context.identity)
        async let searching = catalog.searchModels(query, visibility: visibility)
        async let counting = catalog.facets(query, visibility: visibility)
        let (result, facets) = try await (searching, counting)

        func link(task: String?, framework: String?, license: String?, page: Int? = nil) -> String {
            WebLinks.link(
                "/", [("q", query.text), ("task", task), ("framework", framework), ("license", license), ("page", page.map(String.init))])
        }
        func facet(_ key: String, _ title: String, _ noun: String, _ counts: [FacetCount], selected: String?, href: (String?) -> String)
            -> HomeView.Facet
        {
            var shown = Array(counts.prefix(Self.facetValues))
            if let selected, !shown.contains(where: { $0.value == selected }) {
                shown.append(counts.first { $0.value == selected } ?? FacetCount(value: selected, count: 0))
            }
            return HomeView.Facet(
                key: key, title: title, noun: noun,
                values: shown.map { .init(value: $0.value, count: $0.count, href: href($0.value), selected: $0.value == selected) },
                clearHref: selected == nil ? nil : href(nil))
        }
        let pageCount = max(1, (result.total + Self.perPage - 1) / Self.perPage)
        let words = query.text.map { " matching “\($0)”" } ?? ""
        let summary =
            result.total == 0 ? "No models\(words)" : "\(result.total) model\(result.total == 1 ? "" : "s")\(words)"
        let view = HomeView(
            chrome: PageChrome(title: query.text.map { "Search: \($0)" } ?? "Models", section: .catalog, context: context),
            q: query.text ?? "",
            hiddenFilters: [("task", query.task), ("framework", query.framework), ("license", query.license)].compactMap { name, value in
                value.map { HomeView.Hidden(name: name, value: $0) }
            },
            facets: [
                facet("task", "Task", "task", facets.tasks, selected: query.task) { link(task: $0, framework: query.framework, license: query.license) },
                facet("framework", "Framework", "framework", facets.frameworks, selected: query.framework) {
                    link(task: query.task, framework: $0, license: query.license)
                },
                facet("license", "License", "license", facets.licenses, selected: query.license) {
                    link(task: query.task, framework: query.framework, license: $0)
                },
            ],
            summary: summary,
            models: result.models.map { summary in
                let latest = summary.latest
                let licenses = [latest.license.code, latest.license.weights, latest.license.data].reduce(into: [String]()) {
                    if !$0.contains($1) { $0.append($1) }
                }
                return HomeView.Model(
                    name: latest.name.description, href: WebLinks.model(latest.name.description), version: latest.version.description,
                    state: latest.state.rawValue, showState: latest.state != .approved, task: latest.task, framework: latest.framework,
                    license: licenses.joined(separator: ", "), description: Self.clipped(latest.description, 300))
            },
            hasPages: pageCount > 1 || query.page > 1,
            page: query.page,
            pageCount: pageCount,
            previousHref: query.page > 1
                ? link(task: query.task, framework: query.framework, license: query.license, page: query.page == 2 ? nil : query.page - 1) : nil,
            nextHref: query.page < pageCount ? link(task: query.task, framework: query.framework, license: query.license, page: query.page + 1) : nil
        )
        return WebPage.response("home", view, chrome: view.chrome)
    }

    // MARK: A model

    struct FileRow {
        var path: String
        var size: String
        var sha256: String
    }

    struct ModelView {
        struct Port {
            var name: String
            /// Not `description`: a nil one would show the model's (Mustache looks a missing name up in outer contexts).
            var note: String?
            var type: String
            var elementType: String?
            var shape: String
            var labels: String?
            var hasSteps: Bool
            var steps: [String]
        }

        struct VersionRow {
            var version: String
            var href: String
            var state: String
            var publishedAt: String
            var reviewedAt: String
            var selected: Bool
        }

        struct ClaimRow {
            var metric: String
            var value: String
            var dataset: String
        }

        var chrome: PageChrome
        var name: String
        var version: String
        var state: String
        var description: String
        var task: String
        var framework: String?
        var publishedBy: String
        var publishedAt: String
        var publishedAtISO: String
        var yankReason: String?
        var pullCommand: String
        var runCommand: String
        var cardHTML: String?
        var cardTruncated: Bool
        var inputs: [Port]
        var outputs: [Port]
        var hasClaims: Bool
        var claims: [ClaimRow]
        var fileSummary: String
        var files: [FileRow]
        var archiveDigest: String
        var archiveSize: String
        var licenseCode: String
        var licenseWeights: String
        var licenseData: String
        var licenseNote: String
        var versions: [VersionRow]
        var source: String?
    }

    @Sendable func model(_ request: Request, context: HubRequestContext) async throws -> Response {
        try requireRead(context)
        let name = try context.modelName()
        var versions = try await catalog.versions(of: name, visibility: VisibilityPolicy.visibility(for: context.identity))
        let selected: VersionRecord
        if let text = request.query("version") {
            guard let version = try? Version(parsing: text) else { throw HubError.badRequest("\"\(text)\" is not a version") }
            // An exact version may be a yanked one, which only an exact request shows.
            guard let record = try await catalog.version(version, of: name, visibility: VisibilityPolicy.exactVisibility(for: context.identity))
            else { throw HubError.notFound("no version \(version) of \(name)") }
            selected = record
            if !versions.contains(where: { $0.version == record.version }) {
                versions.append(record)
                versions.sort { $0.version > $1.version }
            }
        } else {
            guard let latest = versions.latest else { throw HubError.notFound("no model named \(name)") }
            selected = latest
        }
        let card = try await catalog.modelCard(
            of: name, version: selected.version, visibility: VisibilityPolicy.exactVisibility(for: context.identity))
        let cardHTML = card.map { Self.cardHTML($0.text) }
        let manifest = try? selected.manifest.decode(Manifest.self)
        let hub = Self.hubURL(request)
        let reference = "\(name)@\(selected.version)"
        let licenseNote =
            if let review = selected.review {
                "Reviewed by \(review.reviewer) on \(WebFormat.date(review.reviewedAt))\(review.note.map { ": \($0)" } ?? ".")"
            } else {
                "As the publisher declared them; not reviewed yet."
            }
        let (fileSummary, files) = Self.fileRows(manifest?.files ?? [])
        let view = ModelView(
            chrome: PageChrome(title: "\(name) \(selected.version)", section: .catalog, context: context),
            name: name.description, version: selected.version.description, state: selected.state.rawValue,
            description: selected.description, task: selected.task, framework: Self.framework(manifest),
            publishedBy: selected.publishedBy, publishedAt: WebFormat.date(selected.publishedAt), publishedAtISO: WebFormat.iso(selected.publishedAt),
            yankReason: selected.state == .yanked ? (selected.yankReason ?? "no reason given") : nil,
            pullCommand: "maxhub pull \(reference) --url \(hub)", runCommand: "maxhub run \(reference) --url \(hub)",
            cardHTML: cardHTML?.html, cardTruncated: (card?.truncated ?? false) || (cardHTML?.shortened ?? false),
            inputs: (manifest?.inputs ?? []).prefix(Self.listedPorts).map { input in
                let steps = (input.processing ?? []).map { step in
                    let options = (try? step.options.jsonString(sortedKeys: true)) ?? ""
                    return options == "{}" ? step.name : "\(step.name) \(options)"
                }
                return ModelView.Port(
                    name: input.name, note: input.description, type: input.type, elementType: input.elementType,
                    shape: Self.shape(input.shape), labels: nil, hasSteps: !steps.isEmpty, steps: steps)
            },
            outputs: (manifest?.outputs ?? []).prefix(Self.listedPorts).map { output in
                ModelView.Port(
                    name: output.name, note: output.description, type: output.type, elementType: output.elementType,
                    shape: Self.shape(output.shape), labels: output.labels, hasSteps: false, steps: [])
            },
            hasClaims: !(manifest?.claims ?? []).isEmpty,
            claims: (manifest?.claims ?? []).prefix(Self.listedPorts).map { claim in
                let tolerance = claim.tolerance.map { " ± \($0)" } ?? ""
                let split = claim.split.map { " (\($0))" } ?? ""
                return ModelView.ClaimRow(metric: claim.metric, value: "\(claim.value)\(tolerance)", dataset: claim.dataset + split)
            },
            fileSummary: fileSummary, files: files,
            archiveDigest: selected.archive.digest.description, archiveSize: WebFormat.size(selected.archive.size),
            licenseCode: selected.license.code, licenseWeights: selected.license.weights, licenseData: selected.license.data,
            licenseNote: licenseNote,
            versions: Self.versionsToList(versions, selected: selected).map { record in
                ModelView.VersionRow(
                    version: record.version.description, href: WebLinks.model(name.description, version: record.version.description),
                    state: record.state.rawValue, publishedAt: WebFormat.date(record.publishedAt),
                    reviewedAt: record.review.map { WebFormat.date($0.reviewedAt) } ?? "—", selected: record.version == selected.version)
            },
            source: manifest?.source.flatMap { HTMLAllowlist.safeURL($0.url, schemes: ["http", "https"]) }
        )
        return WebPage.response("model", view, chrome: view.chrome)
    }

    /// The versions a model page lists: the highest `listedVersions`, and the selected one.
    static func versionsToList(_ versions: [VersionRecord], selected: VersionRecord) -> [VersionRecord] {
        var listed = Array(versions.prefix(listedVersions))
        if !listed.contains(where: { $0.version == selected.version }) { listed.append(selected) }
        return listed
    }

    /// A README as safe HTML within `cardHTMLBudget`: rendered whole when it fits, else from ever shorter beginnings.
    static func cardHTML(_ markdown: String) -> (html: String, shortened: Bool) {
        var text = Substring(markdown)
        var html = SafeMarkdown.html(from: String(text))
        var shortened = false
        while html.utf8.count > cardHTMLBudget && !text.isEmpty {
            text = text.prefix(text.count / 2)
            html = SafeMarkdown.html(from: String(text))
            shortened = true
        }
        return (html, shortened)
    }

    /// Text cut to `limit` characters, with an ellipsis when cut.
    static func clipped(_ text: String, _ limit: Int) -> String {
        text.count <= limit ? text : String(text.prefix(limit - 1)) + "…"
    }

    static func framework(_ manifest: Manifest?) -> String? {
        guard let framework = manifest?.framework else { return nil }
        return framework.version.map { "\(framework.name) \($0.text)" } ?? framework.name
    }

    static func shape(_ shape: [Int]?) -> String {
        guard let shape, !shape.isEmpty else { return "—" }
        return shape.map { $0 < 0 ? "?" : String($0) }.joined(separator: " × ")
    }

    static func fileRows(_ files: [Manifest.File]) -> (summary: String, rows: [FileRow]) {
        let total = files.reduce(Int64(0)) { $0 + $1.size }
        var summary = "\(files.count) file\(files.count == 1 ? "" : "s"), \(WebFormat.size(total)) in all"
        if files.count > listedFiles { summary += "; the first \(listedFiles) are listed" }
        let rows = files.prefix(listedFiles).map { FileRow(path: clipped($0.path, 200), size: WebFormat.size($0.size), sha256: $0.sha256) }
        return (summary, rows)
    }

    /// The hub's address as the browser reached it, for the commands a page shows.
    static func hubURL(_ request: Request) -> String {
        let authority = request.head.authority ?? "127.0.0.1"
        return (request.isSecure ? "https://" : "http://") + authority.filter { !$0.isWhitespace }
    }

    // MARK: API documentation

    @Sendable func docs(_ request: Request, context: HubRequestContext) async throws -> Response {
        var view = APIDocsView.shared
        let chrome = PageChrome(title: "API", section: .docs, context: context)
        view.chrome = chrome
        return WebPage.response("docs", view, chrome: chrome)
    }

    // MARK: Signing in and out

    struct LoginView {
        var chrome: PageChrome
        var next: String
        var error: String?
    }

    @Sendable func loginForm(_ request: Request, context: HubRequestContext) async throws -> Response {
        let chrome = PageChrome(title: "Sign in", section: .login, context: context)
        let view = LoginView(chrome: chrome, next: WebLinks.localTarget(request.query("next")) ?? "", error: nil)
        return WebPage.response("login", view, chrome: chrome)
    }

    @Sendable func login(_ request: Request, context: HubRequestContext) async throws -> Response {
        guard request.isSameOrigin else { throw HubError.forbidden("this form was sent from another site") }
        let form = try await Self.formFields(request)
        let next = WebLinks.localTarget(form["next"])
        let token = (form["token"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !token.isEmpty, let record = try await catalog.token(withHash: TokenSecret.hash(of: token)), record.revokedAt == nil else {
            let chrome = PageChrome(title: "Sign in", section: .login, context: context)
            let view = LoginView(chrome: chrome, next: next ?? "", error: "That token is unknown or revoked.")
            return WebPage.response("login", view, chrome: chrome, status: .unauthorized)
        }
        context.logger.info("signed in", metadata: ["user": "\(record.user)", "token": "\(record.id)"])
        var headers = HTTPFields()
        headers[.setCookie] = WebSessionKeys.cookie(token, secure: request.isSecure)
        return WebPage.redirect(to: next ?? (record.roles.permit(.reviewer) ? "/review" : "/"), headers: headers)
    }

    @Sendable func logout(_ request: Request, context: HubRequestContext) async throws -> Response {
        let form = try await Self.formFields(request)
        if let session = context.webSession {
            try checkForm(request, form, session: session)
        }
        var headers = HTTPFields()
        headers[.setCookie] = WebSessionKeys.cookie(nil, secure: request.isSecure)
        return WebPage.redirect(to: "/", headers: headers)
    }

    /// A form that changes something must come from this hub's own page: its CSRF token matches the session, and the
    /// browser's `Origin`, when it sends one, is this hub.
    private func checkForm(_ request: Request, _ form: [String: String], session: WebSession) throws(HubError) {
        guard request.isSameOrigin, keys.isValid(csrf: form["csrf"], for: session.token) else {
            throw HubError.forbidden("this form is stale or was sent from another site; reload the page and try again")
        }
    }

    /// The fields of an `application/x-www-form-urlencoded` body (64 KiB at most); the first value of a repeated name.
    static func formFields(_ request: Request) async throws -> [String: String] {
        var request = request
        let body = try await request.collectBody(upTo: 64 << 10)
        var fields: [String: String] = [:]
        for pair in String(buffer: body).split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = Request.formDecode(parts[0])
            if fields[name] == nil { fields[name] = parts.count > 1 ? Request.formDecode(parts[1]) : "" }
        }
        return fields
    }

    // MARK: Reviewing

    struct QueueView {
        struct Row {
            var name: String
            var version: String
            var href: String
            var task: String
            var licenses: String
            var publishedBy: String
            var isOwn: Bool
            var publishedAt: String
        }

        var chrome: PageChrome
        var notice: String?
        var summary: String
        var hasVersions: Bool
        var versions: [Row]
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
        return WebPage.response("queue", view, chrome: chrome)
    }

    struct ReviewView {
        var chrome: PageChrome
        var name: String
        var version: String
        var action: String
        var description: String
        var task: String
        var framework: String?
        var publishedBy: String
        var publishedAt: String
        var state: String
        var isPending: Bool
        var isOwn: Bool
        var error: String?
        var cardHTML: String?
        var fileSummary: String
        var files: [FileRow]
        var declaredCode: String
        var declaredWeights: String
        var declaredData: String
        var licenseCode: String
        var licenseWeights: String
        var licenseData: String
        var note: String
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
        let (fileSummary, files) = Self.fileRows(manifest?.files ?? [])
        let chrome = PageChrome(title: "Review \(name)@\(record.version)", section: .review, context: context)
        var message = error?.detail
        if let items = error?.errors, !items.isEmpty {
            message = (message ?? "") + ": " + items.map { "\($0.path): \($0.message)" }.joined(separator: "; ")
        }
        let view = ReviewView(
            chrome: chrome, name: name.description, version: record.version.description,
            action: "/review/\(WebLinks.encode(name.description))/\(WebLinks.encode(record.version.description))",
            description: record.description, task: record.task, framework: Self.framework(manifest), publishedBy: record.publishedBy,
            publishedAt: WebFormat.date(record.publishedAt), state: record.state.rawValue, isPending: record.state == .pending,
            isOwn: record.publishedBy == reviewer.user, error: message, cardHTML: card.map { Self.cardHTML($0.text).html },
            fileSummary: fileSummary, files: files,
            declaredCode: declared.code, declaredWeights: declared.weights, declaredData: declared.data,
            licenseCode: form?["license_code"] ?? record.license.code, licenseWeights: form?["license_weights"] ?? record.license.weights,
            licenseData: form?["license_data"] ?? record.license.data, note: form?["note"] ?? "")
        return WebPage.response("review", view, chrome: chrome, status: error?.status ?? .ok)
    }

    @Sendable func decide(_ request: Request, context: HubRequestContext) async throws -> Response {
        let reviewer = try context.require(.reviewer)
        guard let session = context.webSession else {
            throw HubError.forbidden("reviewing in the browser needs a signed-in session; use the API with a bearer token otherwise")
        }
        let form = try await Self.formFields(request)
        try checkForm(request, form, session: session)
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
