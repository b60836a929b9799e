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

/// Who asks, in the permission matrix: anonymous, a token per role, and a second curator who did not publish.
enum Caller: String, CaseIterable, CustomStringConvertible {
    case anonymous, reader, publisher, otherCurator, reviewer, admin

    var description: String { rawValue }
}

@Suite("The review workflow on a live hub", .onTestThreads)
struct ReviewWorkflowTests {
    /// A hub with the role tokens plus a second curator, and a client that asks as any `Caller`.
    struct Setup {
        let hub: TestHub
        let otherCurator: String
        let reviewingCurator: String

        static func make() async throws -> Setup {
            let hub = try await TestHub.make()
            func token(_ user: String, _ roles: [Role]) async throws -> String {
                let secret = TokenSecret.generate()
                _ = try await hub.catalog.createToken(
                    NewToken(user: user, roles: roles, hash: TokenSecret.hash(of: secret), createdBy: "test", createdAt: Date()))
                return secret
            }
            return Setup(
                hub: hub, otherCurator: try await token("other-curator", [.curator]),
                reviewingCurator: try await token("curator-user-2", [.curator, .reviewer]))
        }
    }

    static func headers(_ caller: Caller, _ client: HubTestClient, other: String) -> HTTPFields {
        let token: String? =
            switch caller {
            case .anonymous: nil
            case .reader: client.tokens[.reader]
            case .publisher: client.tokens[.curator]
            case .otherCurator: other
            case .reviewer: client.tokens[.reviewer]
            case .admin: client.tokens[.admin]
            }
        var headers = HTTPFields()
        if let token { headers[.authorization] = "Bearer \(token)" }
        return headers
    }

    /// Publishes `version` as curator-user and moves it to `state` through the API.
    static func publish(_ version: String, in state: ReviewState, name: String = "digits-classifier", client: HubTestClient) async throws {
        let package = try TestPackage.make(name: name, version: version)
        #expect(try await client.publish(package).status == .created)
        let path = "/api/v1/models/\(name)/versions/\(version)"
        switch state {
        case .pending:
            break
        case .approved, .yanked:
            let review = try await client.request(.post, path + "/review", as: .reviewer, body: try client.json(ReviewRequest(decision: .approve)))
            #expect(review.status == .ok)
            if state == .yanked {
                let yank = try await client.request(.post, path + "/yank", as: .curator, body: try client.json(YankRequest(reason: "broken weights")))
                #expect(yank.status == .ok)
            }
        case .rejected:
            let body = ReviewRequest(decision: .reject, note: "training data license unclear")
            #expect(try await client.request(.post, path + "/review", as: .reviewer, body: try client.json(body)).status == .ok)
        }
    }

    @Test func readsFollowVisibility() async throws {
        let setup = try await Setup.make()
        let other = setup.otherCurator
        try await setup.hub.run { (client) async throws in
            let states: [(String, ReviewState)] = [("1.0.0", .pending), ("1.1.0", .approved), ("1.2.0", .rejected), ("1.3.0", .yanked)]
            for (version, state) in states { try await Self.publish(version, in: state, client: client) }
            try await Self.publish("0.1.0", in: .pending, name: "only-pending", client: client)

            let sees: [ReviewState: Set<Caller>] = [
                .pending: [.publisher, .reviewer, .admin],
                .approved: Set(Caller.allCases),
                .rejected: [.publisher, .reviewer, .admin],
                .yanked: Set(Caller.allCases),
            ]
            for caller in Caller.allCases {
                let headers = Self.headers(caller, client, other: other)
                for (version, state) in states {
                    let response = try await client.request(.get, "/api/v1/models/digits-classifier/versions/\(version)", headers: headers)
                    let expected: HTTPResponse.Status = sees[state]!.contains(caller) ? .ok : .notFound
                    #expect(response.status == expected, "\(caller) GET \(state) version")
                    #expect((response.headers[HTTPField.Name("Warning")!] != nil) == (state == .yanked && expected == .ok), "\(caller) \(state)")
                }
                let model = try await client.request(.get, "/api/v1/models/digits-classifier", headers: headers).decode(ModelDetail.self)
                // A model's page lists yanked versions only to those who see everything of it.
                let seesAll: Set<Caller> = [.publisher, .reviewer, .admin]
                let listed = Set(model.versions.map(\.state))
                #expect(listed == (seesAll.contains(caller) ? Set(ReviewState.allCases) : [.approved]), "\(caller) model versions")

                let onlyPending = try await client.request(.get, "/api/v1/models/only-pending", headers: headers)
                #expect(onlyPending.status == (sees[.pending]!.contains(caller) ? .ok : .notFound), "\(caller) model with no visible version")
                let search = try await client.request(.get, "/api/v1/models", headers: headers).decode(ModelPage.self)
                #expect(search.models.contains { $0.name.description == "only-pending" } == sees[.pending]!.contains(caller))

                // Ranges pick approved versions only, whoever asks.
                let resolved = try await client.request(.get, "/api/v1/models/digits-classifier/resolve", headers: headers)
                #expect(try resolved.decode(Resolution.self).version.description == "1.1.0", "\(caller) resolve")
                for range in ["1.0.0", "1.2.0", "1.3.0", "%3E1.1.0"] {
                    let none = try await client.request(.get, "/api/v1/models/digits-classifier/resolve?range=\(range)", headers: headers)
                    #expect(none.status == .notFound, "\(caller) resolve \(range)")
                }
            }
        }
    }

    enum Write: CaseIterable { case approve, yank, unyank }

    /// The status each caller gets for each write on a version in each state.
    static func expected(_ write: Write, _ caller: Caller, _ state: ReviewState) -> HTTPResponse.Status {
        let visible: Bool =
            switch caller {
            case .anonymous, .reader, .otherCurator: state == .approved || state == .yanked
            case .publisher, .reviewer, .admin: true
            }
        if caller == .anonymous { return .unauthorized }
        switch write {
        case .approve:
            guard caller == .reviewer || caller == .admin else { return .forbidden }
            return state == .pending ? .ok : .conflict
        case .yank:
            guard visible else { return .notFound }
            guard caller == .publisher || caller == .reviewer || caller == .admin else { return .forbidden }
            return state == .approved ? .ok : .conflict
        case .unyank:
            guard visible else { return .notFound }
            guard caller == .admin else { return .forbidden }
            return state == .yanked ? .ok : .conflict
        }
    }

    @Test(arguments: Write.allCases)
    func writesFollowRolesAndStates(_ write: Write) async throws {
        let setup = try await Setup.make()
        let other = setup.otherCurator
        try await setup.hub.run { (client) async throws in
            var minor = 0
            for caller in Caller.allCases {
                for state in ReviewState.allCases {
                    minor += 1
                    let version = "1.\(minor).0"
                    try await Self.publish(version, in: state, client: client)
                    let path = "/api/v1/models/digits-classifier/versions/\(version)"
                    let response: TestResponse
                    switch write {
                    case .approve:
                        response = try await client.request(
                            .post, path + "/review", headers: Self.headers(caller, client, other: other),
                            body: try client.json(ReviewRequest(decision: .approve)))
                    case .yank, .unyank:
                        response = try await client.request(
                            .post, path + "/yank", headers: Self.headers(caller, client, other: other),
                            body: try client.json(YankRequest(undo: write == .unyank)))
                    }
                    let expected = Self.expected(write, caller, state)
                    #expect(response.status == expected, "\(caller) \(write) a \(state) version")
                    if expected == .conflict {
                        #expect(response.problem?.detail?.contains("is \(state)") == true)
                    }
                }
            }
        }
    }

    @Test func reviewersMayNotReviewWhatTheyPublished() async throws {
        let setup = try await Setup.make()
        let both = setup.reviewingCurator
        try await setup.hub.run { (client) async throws in
            let package = try TestPackage.make()
            try await client.upload(package.archive)
            let auth: HTTPFields = [.authorization: "Bearer \(both)", .contentType: "application/json"]
            let body = PublishRequest(manifest: package.manifest, archive: package.reference)
            let path = "/api/v1/models/digits-classifier/versions/1.0.0"
            #expect(try await client.request(.put, path, headers: auth, body: try client.json(body)).status == .created)
            let own = try await client.request(.post, path + "/review", headers: auth, body: try client.json(ReviewRequest(decision: .approve)))
            #expect(own.status == .forbidden)
            #expect(own.problem?.detail?.contains("may not review it") == true)
            #expect(try await client.request(.get, path).status == .notFound)
            let other = try await client.request(.post, path + "/review", as: .reviewer, body: try client.json(ReviewRequest(decision: .approve)))
            #expect(other.status == .ok)
            #expect(try other.decode(VersionDetail.self).review?.reviewer == "reviewer-user")
        }
    }

    @Test func reviewsConfirmOrCorrectLicenses() async throws {
        let hub = try await TestHub.make()
        try await hub.run { (client) async throws in
            try await Self.publish("1.0.0", in: .pending, client: client)
            let path = "/api/v1/models/digits-classifier/versions/1.0.0/review"
            let unknown = ReviewRequest(decision: .approve, license: LicenseVerdict(code: "Apache2", data: "CC-BY-4.0 AND Bogus-1.0"))
            let refused = try await client.request(.post, path, as: .reviewer, body: try client.json(unknown))
            #expect(refused.status == .badRequest)
            #expect(refused.problem?.errors?.map(\.path) == ["license.code", "license.data"])
            let noNote = try await client.request(.post, path, as: .reviewer, body: try client.json(ReviewRequest(decision: .reject, note: "  ")))
            #expect(noNote.status == .badRequest)
            #expect(try await client.request(.get, "/api/v1/reviews", as: .reviewer).decode(ReviewQueue.self).versions.count == 1)

            let corrected = ReviewRequest(decision: .approve, license: LicenseVerdict(weights: "cc-by-nc-4.0"), note: "weights are non-commercial")
            let approved = try await client.request(.post, path, as: .reviewer, body: try client.json(corrected))
            #expect(approved.status == .ok)
            let detail = try approved.decode(VersionDetail.self)
            #expect(detail.state == .approved)
            #expect(detail.license == Manifest.Licenses(code: "Apache-2.0", weights: "CC-BY-NC-4.0", data: "CC-BY-4.0"))
            #expect(detail.review?.note == "weights are non-commercial")
            #expect(detail.review?.decision == .approve)
            let filtered = try await client.request(.get, "/api/v1/models?license=CC-BY-NC-4.0").decode(ModelPage.self)
            #expect(filtered.models.map(\.name.description) == ["digits-classifier"])
            #expect(try await client.request(.get, "/api/v1/models?license=Apache-2.0&task=image-classification").decode(ModelPage.self).total == 1)
            let again = try await client.request(.post, path, as: .admin, body: try client.json(ReviewRequest(decision: .approve)))
            #expect(again.status == .conflict)
            #expect(again.problem?.detail == "digits-classifier@1.0.0 is approved; it cannot become approved")
        }
    }

    @Test func reviewQueueIsOldestFirstForReviewers() async throws {
        let hub = try await TestHub.make()
        try await hub.run { (client) async throws in
            for version in ["2.0.0", "1.0.0", "3.0.0"] { try await Self.publish(version, in: .pending, client: client) }
            let queue = try await client.request(.get, "/api/v1/reviews?state=pending", as: .reviewer).decode(ReviewQueue.self)
            #expect(queue.versions.map(\.version.description) == ["2.0.0", "1.0.0", "3.0.0"])
            #expect(try await client.request(.get, "/api/v1/reviews", as: .curator).status == .forbidden)
            #expect(try await client.request(.get, "/api/v1/reviews").status == .unauthorized)
            #expect(try await client.request(.get, "/api/v1/reviews?state=lost", as: .admin).status == .badRequest)
            #expect(try await client.request(.get, "/api/v1/reviews?state=approved", as: .admin).decode(ReviewQueue.self).versions.isEmpty)
        }
    }

    @Test func auditTrailTellsTheWholeStory() async throws {
        let hub = try await TestHub.make()
        try await hub.run { (client) async throws in
            try await Self.publish("1.0.0", in: .rejected, client: client)
            // A rejected number stays taken.
            #expect(try await client.publish(try TestPackage.make(version: "1.0.0")).status == .conflict)
            try await Self.publish("1.0.1", in: .yanked, client: client)
            let path = "/api/v1/models/digits-classifier/versions/1.0.1/yank"
            #expect(try await client.request(.post, path, as: .admin, body: try client.json(YankRequest(undo: true))).status == .ok)

            let page = try await client.request(.get, "/api/v1/audit?subject=digits-classifier", as: .admin).decode(AuditPage.self)
            let story = page.entries.map { "\($0.action) \($0.subject) \($0.actor) \($0.fromState?.rawValue ?? "-")>\($0.toState?.rawValue ?? "-")" }
            #expect(story == [
                "version.publish digits-classifier@1.0.0 curator-user ->pending",
                "version.reject digits-classifier@1.0.0 reviewer-user pending>rejected",
                "version.publish digits-classifier@1.0.1 curator-user ->pending",
                "version.approve digits-classifier@1.0.1 reviewer-user pending>approved",
                "version.yank digits-classifier@1.0.1 curator-user approved>yanked",
                "version.unyank digits-classifier@1.0.1 admin-user yanked>approved",
            ])
            #expect(page.entries.map(\.id) == page.entries.map(\.id).sorted())
            #expect(page.entries[1].detail?.contains("training data license unclear") == true)

            let byAdmin = try await client.request(.get, "/api/v1/audit?actor=admin-user", as: .admin).decode(AuditPage.self)
            #expect(byAdmin.entries.map(\.action) == ["version.unyank"])
            let paged = try await client.request(.get, "/api/v1/audit?subject=digits-classifier&limit=2", as: .admin).decode(AuditPage.self)
            #expect(paged.entries.count == 2)
            let next = try #require(paged.nextAfter)
            let rest = try await client.request(.get, "/api/v1/audit?subject=digits-classifier&after=\(next)", as: .admin).decode(AuditPage.self)
            #expect(rest.entries.count == 4)
            #expect(try await client.request(.get, "/api/v1/audit", as: .reviewer).status == .forbidden)
            #expect(try await client.request(.get, "/api/v1/audit?limit=0", as: .admin).status == .badRequest)
            // There is no route that changes or deletes an entry.
            #expect(try await client.request(.delete, "/api/v1/audit", as: .admin).status == .notFound)
        }
    }
}
