import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import MaxhubCore
import MaxhubServer
import MaxhubStore
import MaxhubTestSupport
import NIOCore
import Testing

/// The catalog's reads answer from a cache of rendered responses, with ETags; they must never show a stale catalog to
/// the process that wrote it, and only briefly to another process sharing the database.
@Suite("The catalog's response cache and ETags", .onTestThreads)
struct CatalogCacheTests {
    @Test func readsCarryETagsAndAnswer304() async throws {
        let hub = try await TestHub.make()
        let package = try TestPackage.make()
        try await hub.run { client in
            try await client.publishApproved(package)
            for path in ["/api/v1/models", "/api/v1/models?q=digit", "/api/v1/models/digits-classifier",
                "/api/v1/models/digits-classifier/versions/1.0.0", "/api/v1/models/digits-classifier/resolve?range=%5E1"]
            {
                let first = try await client.request(.get, path)
                #expect(first.status == .ok, "\(path)")
                let tag = try #require(first.headers[.eTag], "\(path)")
                #expect(tag.hasPrefix("\"") && tag.count == 34)
                #expect(first.headers[.cacheControl] == "no-cache")
                let again = try await client.request(.get, path)
                #expect(again.body == first.body && again.headers[.eTag] == tag, "the same bytes, the same tag: \(path)")
                let unchanged = try await client.request(.get, path, headers: [.ifNoneMatch: "W/\"other\", \(tag)"])
                #expect(unchanged.status == .notModified, "\(path)")
                #expect(unchanged.body.readableBytes == 0)
                #expect(unchanged.headers[.eTag] == tag)
                let changed = try await client.request(.get, path, headers: [.ifNoneMatch: "\"other\""])
                #expect(changed.status == .ok && changed.body == first.body)
            }
            // Errors are answered each time, never from the cache.
            #expect(try await client.request(.get, "/api/v1/models/nothing-here").status == .notFound)
        }
    }

    @Test func aWriteIsSeenAtOnceByItsOwnHub() async throws {
        let hub = try await TestHub.make()
        try await hub.run { client in
            let empty = try await client.request(.get, "/api/v1/models", as: .curator)
            let emptyTag = try #require(empty.headers[.eTag])
            let package = try TestPackage.make()
            #expect(try await client.publish(package).status == .created)
            // The curator sees their pending version at once; readers do not see it until it is approved.
            let mine = try await client.request(.get, "/api/v1/models", as: .curator)
            #expect(try mine.decode(ModelPage.self).total == 1)
            #expect(mine.headers[.eTag] != emptyTag)
            #expect(try await client.request(.get, "/api/v1/models", headers: [.ifNoneMatch: emptyTag]).status == .notModified,
                "anonymous readers still see an empty catalog")
            let path = "/api/v1/models/\(package.name.pathSegment)/versions/\(package.version)/review"
            let reviewed = try await client.request(.post, path, as: .reviewer, body: try client.json(ReviewRequest(decision: .approve)))
            #expect(reviewed.status == .ok)
            let after = try await client.request(.get, "/api/v1/models", headers: [.ifNoneMatch: emptyTag])
            #expect(after.status == .ok)
            #expect(try after.decode(ModelPage.self).total == 1)
            let page = String(buffer: try await client.request(.get, "/").body)
            #expect(page.contains("digits-classifier"))
        }
    }

    @Test func aWriteThroughAnotherHubOnTheSameDatabaseShowsWithinASecond() async throws {
        let hub = try await TestHub.make()
        let other = try SQLiteCatalogStore(path: hub.folder + "/catalog.sqlite")
        var logger = Logger(label: "maxhub-test-second")
        logger.logLevel = .warning
        let second = buildApplication(configuration: hub.configuration, catalog: other, blobs: hub.blobs, logger: logger)
        let package = try TestPackage.make()
        try await hub.run { client in
            try await second.test(.live) { secondClient in
                func total() async throws -> Int {
                    let response = try await secondClient.execute(uri: "/api/v1/models", method: .get, headers: [:], body: nil)
                    return try response.decode(ModelPage.self).total
                }
                func homePage() async throws -> String {
                    String(buffer: try await secondClient.execute(uri: "/", method: .get, headers: [:], body: nil).body)
                }
                #expect(try await total() == 0)
                #expect(try await !homePage().contains("digits-classifier"))
                try await client.publishApproved(package)
                let published = ContinuousClock.now
                while try await total() == 0 {
                    #expect(ContinuousClock.now - published < .seconds(1), "the second hub still shows an empty catalog")
                    if ContinuousClock.now - published > .seconds(2) { break }
                    try await Task.sleep(for: .milliseconds(20))
                }
                #expect(try await homePage().contains("digits-classifier"))
            }
        }
    }
}
