import Foundation
import Hummingbird
import MaxhubCore
import MaxhubStore

/// The web catalog's public pages: home and search at `/`, a model's page, and the API documentation. Server-rendered
/// over the same store and visibility rules as the JSON API.
struct WebCatalogController<Catalog: CatalogStore> {
    let catalog: Catalog
    let configuration: HubConfiguration
    let keys: WebSessionKeys
    let cache: CatalogResponseCache

    /// Models on one page of results.
    static var perPage: Int { 20 }
    /// Values shown for each facet (the selected one always is).
    static var facetValues: Int { 12 }
    /// What a model page lists at most, so that it stays under 100 KB: versions, and inputs, outputs and claims. A page
    /// that leaves some out says so.
    static var listedVersions: Int { 50 }
    static var listedPorts: Int { 50 }

    var endpoints: RouteCollection<HubRequestContext> {
        RouteCollection(context: HubRequestContext.self)
            .add(middleware: WebSessionMiddleware(catalog: catalog, keys: keys))
            .add(middleware: WebErrorMiddleware())
            .get("/", use: cached(home))
            .get("models/:name", use: cached(model))
            .get("docs", use: docs)
    }

    private func requireRead(_ context: HubRequestContext) throws(HubError) {
        if !configuration.anonymousRead { _ = try context.require(.reader) }
    }

    /// A page answered from the response cache for visitors who are not signed in (every one of them sees the same
    /// bytes); a signed-in page carries its session's CSRF token and is rendered each time. The key holds the hub's URL
    /// as the request names it, which a model page shows in its commands.
    private func cached(
        _ page: @escaping @Sendable (Request, HubRequestContext) async throws -> (headers: HTTPFields, body: ByteBuffer)
    ) -> @Sendable (Request, HubRequestContext) async throws -> Response {
        { [cache] request, context in
            try requireRead(context)
            guard context.webSession == nil, context.identity == nil else {
                let rendered = try await page(request, context)
                return Response(status: .ok, headers: rendered.headers, body: ResponseBody(byteBuffer: rendered.body))
            }
            let key = "\(Self.hubURL(request))|" + CatalogResponseCache.key(request, identity: nil)
            return try await cache.answer(key, request: request) {
                var rendered = try await page(request, context)
                rendered.headers[.cacheControl] = "private, no-cache"
                return rendered
            }
        }
    }

    // MARK: Home and search

    @Sendable func home(_ request: Request, context: HubRequestContext) async throws -> (headers: HTTPFields, body: ByteBuffer) {
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
                facet("task", "Task", "task", facets.tasks, selected: query.task) {
                    link(task: $0, framework: query.framework, license: query.license)
                },
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
                    license: licenses.joined(separator: ", "), description: WebFormat.clipped(latest.description, 300))
            },
            hasPages: pageCount > 1 || query.page > 1,
            page: query.page,
            pageCount: pageCount,
            previousHref: query.page > 1
                ? link(task: query.task, framework: query.framework, license: query.license, page: query.page == 2 ? nil : query.page - 1) : nil,
            nextHref: query.page < pageCount ? link(task: query.task, framework: query.framework, license: query.license, page: query.page + 1) : nil
        )
        return WebPage.rendered("home", view)
    }

    // MARK: A model

    @Sendable func model(_ request: Request, context: HubRequestContext) async throws -> (headers: HTTPFields, body: ByteBuffer) {
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
        let cardHTML = card?.pageHTML
        let manifest = try? selected.manifest.decode(Manifest.self)
        let hub = Self.hubURL(request)
        let reference = PackageReference(name: name, version: selected.version)
        let licenseNote =
            if let review = selected.review {
                "Reviewed by \(review.reviewer) on \(WebFormat.date(review.reviewedAt))\(review.note.map { ": \($0)" } ?? ".")"
            } else {
                "As the publisher declared them; not reviewed yet."
            }
        let (fileSummary, files) = FileRow.rows(for: manifest?.files ?? [])
        let signatures = try await catalog.signatures(
            of: name, version: selected.version, visibility: VisibilityPolicy.exactVisibility(for: context.identity))
        let versionPath = "/api/v1/models/\(name.pathSegment)/versions/\(selected.version)"
        let signature = signatures.first { $0.kind == .files }.map {
            ModelView.SignatureNote(fingerprint: $0.keyFingerprint, bundleHref: versionPath + "/signature", reviewHref: versionPath + "/review-signature")
        }
        let view = ModelView(
            chrome: PageChrome(title: "\(name) \(selected.version)", section: .catalog, context: context),
            name: name.description, version: selected.version.description, state: selected.state.rawValue,
            description: selected.description, task: selected.task, framework: WebFormat.framework(manifest),
            publishedBy: selected.publishedBy, publishedAt: WebFormat.date(selected.publishedAt),
            publishedAtISO: WebFormat.iso(selected.publishedAt),
            yankReason: selected.state == .yanked ? (selected.yankReason ?? "no reason given") : nil,
            pullCommand: "maxhub pull \(reference) --url \(hub)", runCommand: "maxhub run \(reference) --url \(hub)",
            cardHTML: cardHTML?.html, cardTruncated: (card?.truncated ?? false) || (cardHTML?.shortened ?? false),
            inputs: (manifest?.inputs ?? []).prefix(Self.listedPorts).map { input in
                let steps = Self.steps(input.processing)
                return ModelView.Port(
                    name: input.name, note: input.description, type: input.type, elementType: input.elementType,
                    shape: Self.shape(input.shape), labels: nil, hasSteps: !steps.isEmpty, steps: steps)
            },
            outputs: (manifest?.outputs ?? []).prefix(Self.listedPorts).map { output in
                let steps = Self.steps(output.processing)
                return ModelView.Port(
                    name: output.name, note: output.description, type: output.type, elementType: output.elementType,
                    shape: Self.shape(output.shape), labels: output.labels, hasSteps: !steps.isEmpty, steps: steps)
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
            source: manifest?.source.flatMap { HTMLAllowlist.safeURL($0.url, schemes: ["http", "https"]) },
            signature: signature
        )
        return WebPage.rendered("model", view)
    }

    /// The versions a model page lists: the highest `listedVersions`, and the selected one.
    static func versionsToList(_ versions: [VersionRecord], selected: VersionRecord) -> [VersionRecord] {
        var listed = Array(versions.prefix(listedVersions))
        if !listed.contains(where: { $0.version == selected.version }) { listed.append(selected) }
        return listed
    }

    static func shape(_ shape: [Int]?) -> String {
        guard let shape, !shape.isEmpty else { return "—" }
        return shape.map { $0 < 0 ? "?" : String($0) }.joined(separator: " × ")
    }

    /// A port's processing steps as the page lists them: the step's name, then its options as JSON.
    static func steps(_ processing: [ProcessingStep]?) -> [String] {
        (processing ?? []).map { step in
            let options = (try? step.options.jsonString(sortedKeys: true)) ?? ""
            return options == "{}" ? step.name : "\(step.name) \(options)"
        }
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
        return WebPage.response("docs", view)
    }
}
