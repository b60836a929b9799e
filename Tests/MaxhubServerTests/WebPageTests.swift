import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MaxhubCore
import MaxhubServer
import MaxhubStore
import MaxhubTestSupport
import NIOCore
import Testing

@Suite("The web catalog's pages on a live hub", .onTestThreads)
struct WebPageTests {
    static let hostileReadme = """
        # Hostile

        <script>window.__pwned = 1</script>

        <img src="x" onerror="window.__pwned = 2">

        Inline <img src=x onerror=alert(1)> and <b onclick="alert(1)">bold</b>, a [link](javascript:alert(1)), a
        [hidden one](JaVaScRiPt&#58;alert(1)), [data](data:text/html;base64,PHNjcmlwdD4=),
        [quoted](https://example.org/a"onmouseover="alert(1)) and ![pixel](javascript:alert(1)).

        [fine](https://example.org/docs) and `<code>` and

        ```
        <script>in a block</script>
        ```
        """

    static func package(_ name: String, readme: String? = nil, task: String = "image-classification", extra: [String: String] = [:]) throws
        -> TestPackage
    {
        var files = ["model.onnx": "weights", "serve.py": "print('hi')\n"].merging(extra) { $1 }
        if let readme { files["README.md"] = readme }
        return try TestPackage.make(name: name, task: task, files: files)
    }

    static func session(_ token: String) -> HTTPFields {
        var headers = HTTPFields()
        headers[.cookie] = "maxhub_session=\(token)"
        return headers
    }

    static func form(_ fields: [(String, String)]) -> ByteBuffer {
        let unreserved = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))
        let text = fields.map { "\($0)=\($1.addingPercentEncoding(withAllowedCharacters: unreserved) ?? "")" }.joined(separator: "&")
        return ByteBuffer(string: text)
    }

    static func formHeaders(_ token: String, origin: String? = nil) -> HTTPFields {
        var headers = session(token)
        headers[.contentType] = "application/x-www-form-urlencoded"
        if let origin { headers[HTTPField.Name("Origin")!] = origin }
        return headers
    }

    /// The CSRF token in a page's forms.
    static func csrf(in page: String) -> String? {
        guard let range = page.range(of: #"name="csrf" value="([^"]+)""#, options: .regularExpression) else { return nil }
        return String(page[range].dropFirst(#"name="csrf" value=""#.count).dropLast())
    }

    @Test func homeListsApprovedModelsWithFacetsAndPages() async throws {
        let hub = try await TestHub.make()
        try await hub.run { client in
            for index in 0..<23 {
                try await client.publishApproved(try Self.package(String(format: "model-%02d", index), task: index < 20 ? "image-classification" : "tabular-regression"))
            }
            #expect(try await client.publish(try Self.package("pending-model")).status == .created)
            let home = try await client.request(.get, "/")
            #expect(home.status == .ok)
            #expect(home.headers[.contentType] == "text/html; charset=utf-8")
            #expect(home.headers[.contentSecurityPolicy]?.contains("script-src 'sha256-") == true)
            // Anonymous pages are the same for every visitor: browsers may keep them and ask again with the ETag.
            #expect(home.headers[.cacheControl] == "private, no-cache")
            let etag = try #require(home.headers[.eTag])
            let again = try await client.request(.get, "/", headers: [.ifNoneMatch: etag])
            #expect(again.status == .notModified && again.body.readableBytes == 0)
            let page = String(buffer: home.body)
            #expect(page.contains("model-00") && page.contains("model-19") && !page.contains("model-20"))
            #expect(!page.contains("pending-model"), "anonymous readers see approved versions only")
            #expect(page.contains("23 models"))
            #expect(page.contains(#"href="/?page=2" rel="next""#))
            #expect(page.contains(#"<span>image-classification</span> <span class="count" aria-label="20 models">20</span>"#))
            #expect(home.body.readableBytes < 100_000)

            let filtered = String(buffer: try await client.request(.get, "/?task=tabular-regression&q=model").body)
            #expect(filtered.contains("3 models matching “model”"))
            #expect(filtered.contains(#"href="/?q=model&amp;task=image-classification""#), "a facet link keeps the text and swaps the filter")
            #expect(filtered.contains(#"<input type="hidden" name="task" value="tabular-regression">"#))

            let second = String(buffer: try await client.request(.get, "/?page=2").body)
            #expect(second.contains("model-20") && second.contains(#"rel="prev""#))
            #expect(try await client.request(.get, "/?page=0").status == .badRequest)

            let reviewer = String(buffer: try await client.request(.get, "/?q=pending", headers: Self.session(client.tokens[.reviewer]!)).body)
            #expect(reviewer.contains("pending-model"), "a reviewer's session sees pending versions, as the API shows them")
        }
    }

    @Test func aModelPageShowsTheCardVersionsLicensesFilesAndCommands() async throws {
        let hub = try await TestHub.make()
        try await hub.run { client in
            try await client.publishApproved(try Self.package("digits", readme: "# Digits\n\nSee **the paper**.\n"))
            let response = try await client.request(.get, "/models/digits")
            #expect(response.status == .ok)
            let page = String(buffer: response.body)
            #expect(page.contains("<h1>Digits</h1>") && page.contains("<strong>the paper</strong>"))
            #expect(page.contains(#"<code id="pull-command">maxhub pull digits@1.0.0 --url http://"#))
            #expect(page.contains("maxhub run digits@1.0.0"))
            #expect(page.contains("Reviewed by reviewer-user"))
            // The hub's signature: the key's fingerprint, and links to the bundles and the key.
            let key = try HubPublicKey(pem: String(buffer: try await client.request(.get, "/api/v1/signing-key").body))
            #expect(page.contains(#"Signed by the hub, key fingerprint <span class="digest">\#(key.fingerprint)</span>"#))
            #expect(page.contains(#"<a href="/api/v1/models/digits/versions/1.0.0/signature">"#))
            #expect(page.contains(#"<a href="/api/v1/models/digits/versions/1.0.0/review-signature">"#))
            #expect(page.contains("serve.py") && page.contains(Digest.of(Data("print('hi')\n".utf8)).hex))
            #expect(try await client.request(.get, "/models/nothing").status == .notFound)
            #expect(try await client.request(.get, "/models/digits?version=9.9.9").status == .notFound)
            let missing = try await client.request(.get, "/models/nothing")
            #expect(missing.headers[.contentType] == "text/html; charset=utf-8")
        }
    }

    @Test func aHostileReadmeReachesThePageAsText() async throws {
        let hub = try await TestHub.make()
        try await hub.run { client in
            try await client.publishApproved(try Self.package("hostile", readme: Self.hostileReadme))
            let page = String(buffer: try await client.request(.get, "/models/hostile").body)
            let card = page.components(separatedBy: #"<div class="card">"#)[1].components(separatedBy: "</section>")[0]
            // Every tag in the card is one Markdown makes, and no attribute carries a script.
            let tags = card.matches(of: /<\/?([a-zA-Z0-9]+)([^>]*)>/).map { (String($0.output.1), String($0.output.2)) }
            let allowed: Set = ["h1", "p", "a", "code", "pre", "strong", "em", "div", "br"]
            #expect(tags.allSatisfy { allowed.contains($0.0) }, "\(tags)")
            #expect(tags.allSatisfy { !$0.1.lowercased().contains("javascript") && !$0.1.contains("data:") && !$0.1.contains(" on") }, "\(tags)")
            #expect(card.contains(#"&lt;img src="x" onerror="window.__pwned = 2"&gt;"#), "\(card)")
            #expect(card.contains(#"Inline &lt;img src=x onerror=alert(1)&gt; and &lt;b onclick="alert(1)"&gt;bold&lt;/b&gt;"#), "\(card)")
            #expect(card.contains("&lt;script&gt;window.__pwned = 1&lt;/script&gt;"), "\(card)")
            #expect(card.contains("&lt;script&gt;in a block&lt;/script&gt;"), "\(card)")
            #expect(card.contains(#"<a href="https://example.org/docs" rel="nofollow noopener noreferrer">fine</a>"#), "\(card)")
            #expect(!page.contains("<script>window"), "the page's only script is the catalog's own")
        }
    }

    @Test func aCodeSpanMayCrossALineBreakAsCommonMarkSays() {
        let cases: [(String, String)] = [
            ("Run `maxhub\npull x` now.", "<p>Run <code>maxhub pull x</code> now.</p>"),
            ("Run `maxhub\n    pull <x>`\nand *more*.", "<p>Run <code>maxhub pull &lt;x&gt;</code> and <em>more</em>.</p>"),
            ("`a\nb\nc` d", "<p><code>a b c</code> d</p>"),
            // Not across a paragraph, a fence, a heading or a list item: the backtick stays a backtick.
            ("No `close\n\nhere` <b>", "<p>No `close</p><p>here` &lt;b&gt;</p>"),
            ("```\nfenced `open\n```\nafter`", "<pre><code>fenced `open\n</code></pre><p>after`</p>"),
            ("Open `here\n# Title`", "<p>Open `here</p><h1>Title`</h1>"),
            ("- one `a\n- two b`", "<ul><li>one `a</li><li>two b`</li></ul>"),
            // A thematic break ends the paragraph for CommonMark; Ink reads it into the paragraph, but no span crosses it.
            ("Text `a\n***\nb`", "<p>Text `a *** b`</p>"),
            // Ink reads no indented code block: to it, as here, these lines are a paragraph.
            ("Text\n\n    let s = `abc\n    <x>`\n", "<p>Text</p><p>let s = <code>abc &lt;x&gt;</code></p>"),
        ]
        for (markdown, html) in cases {
            #expect(SafeMarkdown.html(from: markdown) == html, "\(markdown)")
        }
    }

    @Test func markdownKeepsOnlyWhatMarkdownMakes() {
        let cases: [(String, String)] = [
            ("[a](javascript:alert(1))", "<p><a rel=\"nofollow noopener noreferrer\">a</a></p>"),
            ("[a](/models/x)", "<p><a href=\"/models/x\" rel=\"nofollow noopener noreferrer\">a</a></p>"),
            ("[a](mailto:ada@example.org)", "<p><a href=\"mailto:ada@example.org\" rel=\"nofollow noopener noreferrer\">a</a></p>"),
            ("![x](https://example.org/x.png)", "<img src=\"https://example.org/x.png\" alt=\"x\">"),
            ("![x](data:image/png;base64,AAAA)", ""),
            ("<script>alert(1)</script>\n\n**still Markdown**", "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p><p><strong>still Markdown</strong></p>"),
        ]
        for (markdown, html) in cases {
            #expect(SafeMarkdown.html(from: markdown) == html, "\(markdown)")
        }
        #expect(SafeMarkdown.html(from: "<div onclick=\"x()\">hi</div>") == "<p>&lt;div onclick=\"x()\"&gt;hi&lt;/div&gt;</p>")
    }

    @Test func signingInSetsAStrictCookieAndSigningOutClearsIt() async throws {
        let hub = try await TestHub.make()
        try await hub.run { client in
            var headers = HTTPFields()
            headers[.contentType] = "application/x-www-form-urlencoded"
            let refused = try await client.request(.post, "/login", headers: headers, body: Self.form([("token", "nope")]))
            #expect(refused.status == .unauthorized)
            #expect(String(buffer: refused.body).contains("unknown or revoked"))
            #expect(refused.headers[.setCookie] == nil)

            let token = client.tokens[.reviewer]!
            let accepted = try await client.request(.post, "/login", headers: headers, body: Self.form([("token", token), ("next", "//evil.example/")]))
            #expect(accepted.status == .seeOther)
            #expect(accepted.headers[.location] == "/review", "a target off this hub is ignored")
            #expect(accepted.headers[.setCookie] == "maxhub_session=\(token); Path=/; HttpOnly; SameSite=Strict")

            headers[.xForwardedProto] = "https"
            let secure = try await client.request(.post, "/login", headers: headers, body: Self.form([("token", token), ("next", "/models/x")]))
            #expect(secure.headers[.setCookie]?.hasSuffix("; Secure") == true)
            #expect(secure.headers[.location] == "/models/x")

            var foreign = headers
            foreign[HTTPField.Name("Origin")!] = "https://evil.example"
            #expect(try await client.request(.post, "/login", headers: foreign, body: Self.form([("token", token)])).status == .forbidden)

            let queue = try await client.request(.get, "/review", headers: Self.session(token))
            #expect(queue.status == .ok)
            let csrf = try #require(Self.csrf(in: String(buffer: queue.body)))
            #expect(try await client.request(.post, "/logout", headers: Self.formHeaders(token), body: Self.form([("csrf", "forged")])).status == .forbidden)
            let out = try await client.request(.post, "/logout", headers: Self.formHeaders(token), body: Self.form([("csrf", csrf)]))
            #expect(out.status == .seeOther)
            #expect(out.headers[.setCookie]?.contains("Max-Age=0") == true)

            let anonymous = try await client.request(.get, "/review")
            #expect(anonymous.status == .seeOther)
            #expect(anonymous.headers[.location] == "/login?next=%2Freview")
            let stale = try await client.request(.get, "/", headers: Self.session("revoked-or-made-up"))
            #expect(stale.status == .ok)
            #expect(stale.headers[.setCookie]?.contains("Max-Age=0") == true, "a cookie naming no valid token is cleared")
            #expect(try await client.request(.get, "/review", headers: Self.session(client.tokens[.reader]!)).status == .forbidden)
        }
    }

    @Test func reviewingInTheBrowserFollowsTheAPIsRules() async throws {
        let hub = try await TestHub.make()
        let both = TokenSecret.generate()
        _ = try await hub.catalog.createToken(
            NewToken(user: "curator-user", roles: [.curator, .reviewer], hash: TokenSecret.hash(of: both), createdBy: "test", createdAt: Date()))
        try await hub.run { client in
            #expect(try await client.publish(try Self.package("wine", readme: "# Wine\n", task: "tabular-regression")).status == .created)
            let reviewer = client.tokens[.reviewer]!
            let queue = String(buffer: try await client.request(.get, "/review", headers: Self.session(reviewer)).body)
            #expect(queue.contains(#"<a href="/review/wine/1.0.0">wine@1.0.0</a>"#))
            let reviewPage = try await client.request(.get, "/review/wine/1.0.0", headers: Self.session(reviewer))
            #expect(reviewPage.status == .ok)
            let html = String(buffer: reviewPage.body)
            #expect(html.contains(#"name="license_weights" value="Apache-2.0""#))
            #expect(reviewPage.body.readableBytes < 100_000)
            let csrf = try #require(Self.csrf(in: html))
            let approve: [(String, String)] = [
                ("csrf", csrf), ("license_code", "Apache-2.0"), ("license_weights", "Apache-2.0"), ("license_data", "CC-BY-4.0"),
                ("note", ""), ("decision", "approve"),
            ]

            // CSRF: no token, a token of another session, a foreign origin.
            let path = "/review/wine/1.0.0"
            #expect(try await client.request(.post, path, headers: Self.formHeaders(reviewer), body: Self.form(Array(approve.dropFirst()))).status == .forbidden)
            let otherCSRF = try #require(Self.csrf(in: String(buffer: try await client.request(.get, "/", headers: Self.session(both)).body)))
            #expect(otherCSRF != csrf)
            let forged = [("csrf", otherCSRF)] + approve.dropFirst()
            #expect(try await client.request(.post, path, headers: Self.formHeaders(reviewer), body: Self.form(forged)).status == .forbidden)
            let foreign = try await client.request(
                .post, path, headers: Self.formHeaders(reviewer, origin: "http://evil.example"), body: Self.form(approve))
            #expect(foreign.status == .forbidden)
            // A bearer token alone cannot use the form route.
            var bearer = HTTPFields()
            bearer[.authorization] = "Bearer \(reviewer)"
            bearer[.contentType] = "application/x-www-form-urlencoded"
            #expect(try await client.request(.post, path, headers: bearer, body: Self.form(approve)).status == .forbidden)

            // Four-eyes: the publisher may not review, even with the reviewer role.
            let ownCSRF = try #require(Self.csrf(in: String(buffer: try await client.request(.get, path, headers: Self.session(both)).body)))
            let own = try await client.request(.post, path, headers: Self.formHeaders(both), body: Self.form([("csrf", ownCSRF)] + approve.dropFirst()))
            #expect(own.status == .forbidden)
            #expect(String(buffer: own.body).contains("may not review it"))

            // A rejection needs a note; an unknown license is refused; both re-show the form.
            let rejectWithoutNote = [("csrf", csrf)] + approve.dropFirst().dropLast() + [("decision", "reject")]
            let noNote = try await client.request(.post, path, headers: Self.formHeaders(reviewer), body: Self.form(rejectWithoutNote))
            #expect(noNote.status == .badRequest)
            #expect(String(buffer: noNote.body).contains("a rejection needs a note"))
            var unknown = approve
            unknown[2] = ("license_weights", "Not-A-License")
            let refused = try await client.request(.post, path, headers: Self.formHeaders(reviewer), body: Self.form(unknown))
            #expect(refused.status == .badRequest)
            #expect(String(buffer: refused.body).contains(#"value="Not-A-License""#))
            #expect(try await hub.catalog.version(try Version(parsing: "1.0.0"), of: try ModelName(parsing: "wine"), visibility: .everything)?.state == .pending)

            // Approval, with a corrected weights license and a note: the same record and audit entry as the API's.
            var corrected = approve
            corrected[2] = ("license_weights", "CC-BY-NC-4.0")
            corrected[4] = ("note", "weights are non-commercial")
            let done = try await client.request(.post, path, headers: Self.formHeaders(reviewer, origin: "http://localhost"), body: Self.form(corrected))
            #expect(done.status == .seeOther)
            #expect(done.headers[.location] == "/review?reviewed=wine%401.0.0")
            let record = try #require(try await hub.catalog.version(try Version(parsing: "1.0.0"), of: try ModelName(parsing: "wine"), visibility: .everything))
            #expect(record.state == .approved)
            #expect(record.review?.reviewer == "reviewer-user")
            #expect(record.license.weights == "CC-BY-NC-4.0")
            #expect(record.review?.note == "weights are non-commercial")
            let audit = try await hub.catalog.auditEntries(AuditFilter(subject: "wine@1.0.0"))
            #expect(audit.count == 2 && audit.last?.actor == "reviewer-user" && audit.last?.toState == .approved)
            let again = try await client.request(.post, path, headers: Self.formHeaders(reviewer), body: Self.form(approve))
            #expect(again.status == .conflict)

            let public_ = try await client.request(.get, "/models/wine")
            #expect(public_.status == .ok)
            #expect(String(buffer: public_.body).contains("CC-BY-NC-4.0"))
        }
    }

    @Test func everyPageStaysUnder100KBWithTheLargestContent() async throws {
        let hub = try await TestHub.make()
        try await hub.run { client in
            // A README at the hub's limit that escapes badly, and many files with long names.
            let readme = String(repeating: "<<&&\"' ", count: ModelCard.maxBytes / 8)
            var files: [String: String] = [:]
            for index in 0..<400 { files["data/" + String(repeating: "n", count: 200) + "-\(index).bin"] = "\(index)" }
            try await client.publishApproved(try Self.package("big", readme: readme, extra: files))
            #expect(try await client.publish(try Self.package("big-pending", readme: readme, extra: files)).status == .created)
            let reviewer = Self.session(client.tokens[.reviewer]!)
            for (path, headers) in [
                ("/", HTTPFields()), ("/models/big", HTTPFields()), ("/docs", HTTPFields()), ("/login", HTTPFields()),
                ("/review", reviewer), ("/review/big-pending/1.0.0", reviewer),
            ] {
                let response = try await client.request(.get, path, headers: headers)
                #expect(response.status == .ok, "\(path)")
                #expect(response.body.readableBytes < 100_000, "\(path): \(response.body.readableBytes) bytes")
            }
            let page = String(buffer: try await client.request(.get, "/models/big").body)
            #expect(page.contains("the first 100 are listed"))
            #expect(page.contains("The README is longer than the hub keeps"))
        }
    }

    @Test func theDocsPageDescribesEveryOperation() async throws {
        let hub = try await TestHub.make()
        try await hub.run { client in
            let response = try await client.request(.get, "/docs")
            #expect(response.status == .ok)
            let page = String(buffer: response.body)
            let operations = OpenAPIDocument.text.components(separatedBy: "operationId:").count - 1
            #expect(page.components(separatedBy: #"<section class="op""#).count - 1 == operations)
            #expect(page.contains(#"<code>/api/v1/models/{name}/versions/{version}/review</code>"#))
        }
    }

    @Test func withoutAnonymousReadsThePagesAskToSignIn() async throws {
        let hub = try await TestHub.make { $0.anonymousRead = false }
        try await hub.run { client in
            let home = try await client.request(.get, "/?q=x")
            #expect(home.status == .seeOther)
            #expect(home.headers[.location] == "/login?next=%2F%3Fq%3Dx")
            #expect(try await client.request(.get, "/", headers: Self.session(client.tokens[.reader]!)).status == .ok)
        }
    }
}

extension HTTPField.Name {
    static let contentSecurityPolicy = Self("Content-Security-Policy")!
    static let xForwardedProto = Self("X-Forwarded-Proto")!
}
