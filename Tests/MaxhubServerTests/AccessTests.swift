import Foundation
import Hummingbird
import HummingbirdTesting
import MaxhubCore
import MaxhubServer
import MaxhubStore
import MaxhubTestSupport
import NIOCore
import Testing

@Suite("Tokens and roles on a live hub", .onTestThreads)
struct AccessTests {
    @Test func writesNeedTheRightRole() async throws {
        let hub = try await TestHub.make()
        let package = try TestPackage.make()
        try await hub.run { (client) async throws in
            let anonymous = try await client.upload([1, 2, 3], as: .reader)
            #expect(anonymous.status == .forbidden)
            let none = try await client.request(.post, "/api/v1/blobs/uploads?digest=\(Digest.of([1]))", body: ByteBuffer(bytes: [1]))
            #expect(none.status == .unauthorized)
            #expect(none.headers[.wwwAuthenticate] == "Bearer realm=\"maxhub\"")
            #expect(try await client.publish(package, as: .reader).status == .forbidden)
            #expect(try await client.publish(package, as: .reviewer).status == .forbidden)
            #expect(try await client.publish(package, as: .admin).status == .created)
        }
    }

    @Test func expiredTokensAre401AndSaySo() async throws {
        let hub = try await TestHub.make()
        let past = Date().addingTimeInterval(-60)
        let expired = TokenSecret.generate()
        _ = try await hub.catalog.createToken(
            NewToken(
                user: "old", roles: [.reader], hash: TokenSecret.hash(of: expired), createdBy: "test", createdAt: past, expiresAt: past))
        try await hub.run { (client) async throws in
            let refused = try await client.request(.get, "/api/v1/models", headers: [.authorization: "Bearer \(expired)"])
            #expect(refused.status == .unauthorized)
            let detail = refused.problem?.detail ?? ""
            #expect(detail.hasPrefix("the token expired at \(HubJSON.format(past).prefix(19))"), "\(detail)")
            #expect(detail.hasSuffix("; ask an admin for a new one"), "\(detail)")

            let made = try await client.request(
                .post, "/api/v1/tokens", as: .admin, headers: HubTestClient.jsonBody,
                body: try client.json(TokenRequest(user: "ci", roles: [.reader], expiresInSeconds: 3600)))
            #expect(made.status == .created)
            let info = try made.decode(TokenInfo.self)
            let lifetime = (info.expiresAt ?? .distantPast).timeIntervalSince(info.createdAt)
            #expect(abs(lifetime - 3600) < 1, "\(lifetime)")
            let secret = try #require(info.token)
            #expect(try await client.request(.get, "/api/v1/whoami", headers: [.authorization: "Bearer \(secret)"]).status == .ok)
            let listed = try await client.request(.get, "/api/v1/tokens", as: .admin).decode([TokenInfo].self)
            #expect(listed.first { $0.id == info.id }?.expiresAt == info.expiresAt)

            for bad: Int64 in [0, -5, 400_000_000] {
                let refusedLifetime = try await client.request(
                    .post, "/api/v1/tokens", as: .admin, headers: HubTestClient.jsonBody,
                    body: try client.json(TokenRequest(user: "ci", roles: [.reader], expiresInSeconds: bad)))
                #expect(refusedLifetime.status == .badRequest, "\(bad)")
            }
        }
    }

    @Test func badTokensAre401EvenOnReads() async throws {
        let hub = try await TestHub.make()
        try await hub.run { (client) async throws in
            #expect(try await client.request(.get, "/api/v1/models").status == .ok)
            #expect(try await client.request(.get, "/api/v1/models", as: .reader).status == .ok)
            let wrong = try await client.request(.get, "/api/v1/models", headers: [.authorization: "Bearer mxh_nope"])
            #expect(wrong.status == .unauthorized)
            #expect(wrong.problem?.detail == "the token is unknown or revoked")
            let basic = try await client.request(.get, "/api/v1/models", headers: [.authorization: "Basic dXNlcjpwYXNz"])
            #expect(basic.status == .unauthorized)
        }
    }

    @Test func adminsMakeListAndRevokeTokens() async throws {
        let hub = try await TestHub.make()
        try await hub.run { (client) async throws in
            let request = TokenRequest(user: "ada", roles: [.curator])
            #expect(try await client.request(.post, "/api/v1/tokens", as: .curator, body: try client.json(request)).status == .forbidden)
            #expect(try await client.request(.post, "/api/v1/tokens", body: try client.json(request)).status == .unauthorized)

            let created = try await client.request(.post, "/api/v1/tokens", as: .admin, body: try client.json(request))
            #expect(created.status == .created)
            let token = try created.decode(TokenInfo.self)
            let secret = try #require(token.token)
            #expect(secret.hasPrefix("mxh_"))
            #expect(token.user == "ada")
            #expect(token.createdBy == "admin-user")

            // Stored as a hash only.
            let stored = try await hub.catalog.tokens().first { $0.id == token.id }
            #expect(stored?.hash == TokenSecret.hash(of: secret))

            let me = try await client.request(.get, "/api/v1/whoami", headers: [.authorization: "Bearer \(secret)"])
            #expect(me.status == .ok)
            #expect(String(buffer: me.body).contains("\"ada\""))

            let listed = try await client.request(.get, "/api/v1/tokens", as: .admin).decode([TokenInfo].self)
            #expect(listed.contains { $0.id == token.id && $0.token == nil })

            let revoked = try await client.request(.delete, "/api/v1/tokens/\(token.id)", as: .admin)
            #expect(revoked.status == .ok)
            #expect(try revoked.decode(TokenInfo.self).revokedAt != nil)
            #expect(try await client.request(.get, "/api/v1/whoami", headers: [.authorization: "Bearer \(secret)"]).status == .unauthorized)
            #expect(try await client.request(.delete, "/api/v1/tokens/999999", as: .admin).status == .notFound)

            for bad in [TokenRequest(user: "", roles: [.reader]), TokenRequest(user: "ada lovelace", roles: [.reader]), TokenRequest(user: "ada", roles: [])] {
                #expect(try await client.request(.post, "/api/v1/tokens", as: .admin, body: try client.json(bad)).status == .badRequest)
            }
            let unknownRole = ByteBuffer(string: #"{"user": "ada", "roles": ["wizard"]}"#)
            #expect(try await client.request(.post, "/api/v1/tokens", as: .admin, body: unknownRole).status == .badRequest)
        }
    }

    @Test func anonymousReadsCanBeTurnedOff() async throws {
        let hub = try await TestHub.make { $0.anonymousRead = false }
        try await hub.run { (client) async throws in
            #expect(try await client.request(.get, "/api/v1/models").status == .unauthorized)
            #expect(try await client.request(.get, "/api/v1/blobs/\(Digest.of([1]))").status == .unauthorized)
            #expect(try await client.request(.get, "/api/v1/models", as: .reader).status == .ok)
            #expect(try await client.request(.get, "/healthz").status == .ok)
        }
    }
}

@Suite("Operations routes on a live hub", .onTestThreads)
struct OperationsTests {
    @Test func healthMetricsAndDescription() async throws {
        let hub = try await TestHub.make()
        let package = try TestPackage.make()
        try await hub.run { (client) async throws in
            let health = try await client.request(.get, "/healthz")
            #expect(health.status == .ok)
            #expect(String(buffer: health.body) == #"{"status":"ok"}"#)

            try await client.publishApproved(package)
            try await client.request(.get, "/api/v1/models/digits-classifier")
            try await client.request(.get, "/nowhere")
            let metrics = String(buffer: try await client.request(.get, "/metrics").body)
            #expect(metrics.contains(#"maxhub_http_requests_total{route="/api/v1/models/{name}",method="GET",status="200"} 1"#))
            #expect(metrics.contains(#"maxhub_http_requests_total{route="NotFound",method="GET",status="404"} 1"#))
            #expect(metrics.contains("maxhub_publishes_total 1"))
            #expect(metrics.contains("maxhub_blob_uploads_total 1"))
            let bytesIn = metrics.split(separator: "\n").first { $0.hasPrefix("maxhub_http_request_body_bytes_total ") }
            #expect((bytesIn?.split(separator: " ").last).flatMap { Int($0) } ?? 0 >= package.archive.count)

            let description = try await client.request(.get, "/openapi.yaml")
            #expect(description.status == .ok)
            #expect(String(buffer: description.body).hasPrefix("openapi:"))
        }
    }
}
