import Foundation
import Hummingbird
import HummingbirdTesting
import MaxhubCore
import MaxhubServer
import MaxhubTestSupport
import NIOCore
import Testing

@Suite("Publishing and reading the catalog on a live hub", .onTestThreads)
struct CatalogRouteTests {
    @Test func publishThenReadBack() async throws {
        let hub = try await TestHub.make()
        let package = try TestPackage.make()
        try await hub.run { (client) async throws in
            let published = try await client.publish(package)
            #expect(published.status == .created)
            #expect(published.headers[.location] == "/api/v1/models/digits-classifier/versions/1.0.0")
            let detail = try published.decode(VersionDetail.self)
            #expect(detail.state == .pending)
            #expect(detail.publishedBy == "curator-user")
            #expect(detail.archive == package.reference)
            #expect(detail.manifest == package.manifest)

            // Pending: the publisher and reviewers see it, anonymous readers do not.
            #expect(try await client.request(.get, "/api/v1/models/digits-classifier/versions/1.0.0").status == .notFound)
            let version = try await client.request(.get, "/api/v1/models/digits-classifier/versions/1.0.0", as: .curator)
            #expect(try version.decode(VersionDetail.self) == detail)

            let model = try await client.request(.get, "/api/v1/models/digits-classifier", as: .reviewer).decode(ModelDetail.self)
            #expect(model.summary.latestVersion.description == "1.0.0")
            #expect(model.summary.task == "image-classification")
            #expect(model.versions.map(\.version.description) == ["1.0.0"])

            #expect(try await client.request(.get, "/api/v1/models").decode(ModelPage.self).total == 0)
            let page = try await client.request(.get, "/api/v1/models", as: .reviewer).decode(ModelPage.self)
            #expect(page.total == 1)
            #expect(page.models.first?.name.description == "digits-classifier")
        }
    }

    @Test func versionsAreImmutable() async throws {
        let hub = try await TestHub.make()
        let package = try TestPackage.make()
        let changed = try TestPackage.make(files: ["model.onnx": "other weights"])
        try await hub.run { (client) async throws in
            #expect(try await client.publish(package).status == .created)
            let again = try await client.publish(package)
            #expect(again.status == .conflict)
            #expect(again.problem?.type == "urn:maxhub:problem:version-exists")
            #expect(try await client.publish(changed).status == .conflict)
            let versions = try await client.request(.get, "/api/v1/models/digits-classifier", as: .admin).decode(ModelDetail.self).versions
            #expect(versions.map(\.archive) == [package.reference])
        }
    }

    @Test func urlMustMatchTheManifest() async throws {
        let hub = try await TestHub.make()
        let package = try TestPackage.make()
        try await hub.run { (client) async throws in
            let wrongName = try await client.publish(package, path: "/api/v1/models/other-model/versions/1.0.0")
            #expect(wrongName.status == .badRequest)
            #expect(wrongName.problem?.errors?.map(\.path) == ["name"])
            let wrongVersion = try await client.publish(package, path: "/api/v1/models/digits-classifier/versions/1.0.1")
            #expect(wrongVersion.status == .badRequest)
            #expect(wrongVersion.problem?.errors?.map(\.path) == ["version"])
            let badVersion = try await client.publish(package, path: "/api/v1/models/digits-classifier/versions/1.0")
            #expect(badVersion.status == .badRequest)
            #expect(try await client.request(.get, "/api/v1/models/digits-classifier").status == .notFound)
        }
    }

    @Test func invalidManifestsListEveryProblem() async throws {
        let hub = try await TestHub.make()
        let package = try TestPackage.make()
        try await hub.run { (client) async throws in
            guard case .object(var object) = package.manifest else { Issue.record("manifest is not an object"); return }
            object["task"] = .string("juggling")
            object["inputs"] = .string("none")
            let response = try await client.publish(package, manifest: .object(object))
            #expect(response.status == .badRequest)
            #expect(response.problem?.type == "urn:maxhub:problem:invalid-manifest")
            let paths = Set(response.problem?.errors?.map(\.path) ?? [])
            #expect(paths.contains("task"))
            #expect(paths.contains("inputs"))

            object = [:]
            let empty = try await client.publish(package, manifest: .object(object))
            #expect(empty.status == .badRequest)

            let huge = ByteBuffer(repeating: UInt8(ascii: " "), count: 5 << 20)
            let tooLarge = try await client.request(
                .put, "/api/v1/models/digits-classifier/versions/1.0.0", as: .curator, headers: HubTestClient.jsonBody, body: huge)
            #expect(tooLarge.status == .contentTooLarge)
            #expect(tooLarge.headers[.contentType] == "application/problem+json")

            let garbage = try await client.request(
                .put, "/api/v1/models/digits-classifier/versions/1.0.0", as: .curator, headers: HubTestClient.jsonBody,
                body: ByteBuffer(string: "{not json"))
            #expect(garbage.status == .badRequest)
            #expect(garbage.headers[.contentType] == "application/problem+json")

            // A key given twice is refused, not read as its last value: the manifest stored must be the one the
            // curator's own tools read (MaxhubJSON refuses the same document).
            let valid = try client.json(PublishRequest(manifest: package.manifest, archive: package.reference))
            let twice = String(buffer: valid).replacingOccurrences(
                of: "\"manifest\":{", with: "\"manifest\":{\"description\":\"shown\",")
            #expect(twice.contains("\"description\":\"shown\"") && twice.contains("\"description\":\"Handwritten"))
            let repeated = try await client.request(
                .put, "/api/v1/models/digits-classifier/versions/1.0.0", as: .curator, headers: HubTestClient.jsonBody,
                body: ByteBuffer(string: twice))
            #expect(repeated.status == .badRequest)
            #expect(repeated.problem?.detail?.contains("appears twice") == true, "\(repeated.problem?.detail ?? "no detail")")

            // A body in any other media type is refused as such, whatever it holds.
            for contentType in [nil, "text/plain", "application/x-www-form-urlencoded", "application/jsonl"] {
                var headers = HTTPFields()
                if let contentType { headers[.contentType] = contentType }
                let refused = try await client.request(
                    .put, "/api/v1/models/digits-classifier/versions/1.0.0", as: .curator, headers: headers, body: valid)
                #expect(refused.status == .unsupportedMediaType, "\(contentType ?? "no Content-Type")")
                #expect(refused.problem?.type == "urn:maxhub:problem:unsupported-media-type")
            }
            #expect(try await client.request(.get, "/api/v1/models/digits-classifier", as: .curator).status == .notFound)
        }
    }

    @Test func archiveMustHoldExactlyTheListedFiles() async throws {
        let hub = try await TestHub.make()
        let package = try TestPackage.make()
        let other = try TestPackage.make(files: ["model.onnx": "different", "serve.py": "print('hi')\n"])
        try await hub.run { (client) async throws in
            // The manifest of one package with the archive of another: model.onnx differs.
            try await client.upload(other.archive)
            let body = PublishRequest(manifest: package.manifest, archive: other.reference)
            let response = try await client.request(
                .put, "/api/v1/models/digits-classifier/versions/1.0.0", as: .curator, headers: HubTestClient.jsonBody,
                body: try client.json(body))
            #expect(response.status == .badRequest)
            #expect(response.problem?.type == "urn:maxhub:problem:archive-mismatch")
            #expect(response.problem?.errors?.map(\.path) == ["model.onnx"])

            let missing = PublishRequest(manifest: package.manifest, archive: ArchiveReference(digest: Digest.of([7]), size: 1))
            let unknown = try await client.request(
                .put, "/api/v1/models/digits-classifier/versions/1.0.0", as: .curator, headers: HubTestClient.jsonBody,
                body: try client.json(missing))
            #expect(unknown.status == .badRequest)
            #expect(unknown.problem?.type == "urn:maxhub:problem:archive-unknown")

            try await client.upload(package.archive)
            let wrongSize = PublishRequest(
                manifest: package.manifest, archive: ArchiveReference(digest: package.reference.digest, size: package.reference.size + 1))
            let sized = try await client.request(
                .put, "/api/v1/models/digits-classifier/versions/1.0.0", as: .curator, headers: HubTestClient.jsonBody,
                body: try client.json(wrongSize))
            #expect(sized.status == .badRequest)

            // A blob that is not an archive at all.
            let notArchive = Array("just text".utf8)
            try await client.upload(notArchive)
            let textBody = PublishRequest(
                manifest: package.manifest, archive: ArchiveReference(digest: Digest.of(notArchive), size: Int64(notArchive.count)))
            let text = try await client.request(
                .put, "/api/v1/models/digits-classifier/versions/1.0.0", as: .curator, headers: HubTestClient.jsonBody,
                body: try client.json(textBody))
            #expect(text.status == .badRequest)
            #expect(text.problem?.type == "urn:maxhub:problem:invalid-archive")
            #expect(text.problem?.detail?.contains(hub.folder) == false)

            #expect(try await client.request(.get, "/api/v1/models").decode(ModelPage.self).total == 0)
        }
    }

    @Test func unsafeArchiveEntriesAreRefused() async throws {
        let hub = try await TestHub.make()
        let package = try TestPackage.make()
        let unsafe = try UnsafeArchive.withEntry("../escape.txt", contents: "x")
        try await hub.run { (client) async throws in
            try await client.upload(unsafe)
            let body = PublishRequest(manifest: package.manifest, archive: ArchiveReference(digest: Digest.of(unsafe), size: Int64(unsafe.count)))
            let response = try await client.request(
                .put, "/api/v1/models/digits-classifier/versions/1.0.0", as: .curator, headers: HubTestClient.jsonBody,
                body: try client.json(body))
            #expect(response.status == .badRequest)
            #expect(response.problem?.type == "urn:maxhub:problem:invalid-archive")
            #expect(response.problem?.detail?.contains("../escape.txt") == true)
        }
    }

    @Test func searchFiltersAndPages() async throws {
        let hub = try await TestHub.make()
        let packages = [
            try TestPackage.make(name: "digits-classifier", description: "Handwritten digit classifier"),
            try TestPackage.make(name: "iris-classifier", task: "tabular-classification", description: "Iris species from four measurements", license: "MIT", framework: "scikit-learn"),
            try TestPackage.make(name: "acme/wine-quality", task: "tabular-classification", description: "Wine cultivars", license: "MIT"),
        ]
        try await hub.run { (client) async throws in
            for package in packages { try await client.publishApproved(package) }
            func names(_ query: String) async throws -> [String] {
                try await client.request(.get, "/api/v1/models\(query)").decode(ModelPage.self).models.map(\.name.description)
            }
            #expect(try await names("") == ["acme/wine-quality", "digits-classifier", "iris-classifier"])
            #expect(try await names("?q=handwrit") == ["digits-classifier"])
            #expect(try await names("?q=species") == ["iris-classifier"])
            #expect(try await Set(names("?q=tabular")) == ["acme/wine-quality", "iris-classifier"])
            #expect(try await names("?task=tabular-classification") == ["acme/wine-quality", "iris-classifier"])
            #expect(try await names("?license=MIT&framework=scikit-learn") == ["iris-classifier"])
            #expect(try await names("?q=%22%2A%28NEAR") == [])

            let first = try await client.request(.get, "/api/v1/models?per_page=2").decode(ModelPage.self)
            #expect(first.total == 3)
            #expect(first.models.count == 2)
            let second = try await client.request(.get, "/api/v1/models?per_page=2&page=2").decode(ModelPage.self)
            #expect(second.models.map(\.name.description) == ["iris-classifier"])
            #expect(try await client.request(.get, "/api/v1/models?per_page=0").status == .badRequest)
            #expect(try await client.request(.get, "/api/v1/models?page=x").status == .badRequest)

            let owned = try await client.request(.get, "/api/v1/models/acme%2Fwine-quality")
            #expect(owned.status == .ok)
            #expect(try owned.decode(ModelDetail.self).summary.name.description == "acme/wine-quality")
        }
    }

    @Test func resolveRanges() async throws {
        let hub = try await TestHub.make()
        let versions = ["0.9.0", "1.0.0", "1.2.0", "1.3.0-rc.1", "2.0.0"]
        let packages = try versions.map { try TestPackage.make(version: $0) }
        try await hub.run { (client) async throws in
            for package in packages { try await client.publishApproved(package) }
            func resolve(_ query: String) async throws -> String? {
                let response = try await client.request(.get, "/api/v1/models/digits-classifier/resolve\(query)")
                return response.status == .ok ? try response.decode(Resolution.self).version.description : nil
            }
            #expect(try await resolve("") == "2.0.0")
            #expect(try await resolve("?range=%5E1") == "1.2.0")
            #expect(try await resolve("?range=%5E1&pre=true") == "1.3.0-rc.1")
            #expect(try await resolve("?range=1.3.0-rc.1") == "1.3.0-rc.1")
            #expect(try await resolve("?range=%3C1") == "0.9.0")
            // As HTML forms send it: + is a space.
            #expect(try await resolve("?range=%3E%3D1.0+%3C1.2") == "1.0.0")
            #expect(try await resolve("?range=%3E2") == nil)
            let none = try await client.request(.get, "/api/v1/models/digits-classifier/resolve?range=%3E2")
            #expect(none.status == .notFound)
            let bad = try await client.request(.get, "/api/v1/models/digits-classifier/resolve?range=%3E%3E1")
            #expect(bad.status == .badRequest)
            #expect(bad.problem?.type == "urn:maxhub:problem:invalid-range")
            #expect(try await client.request(.get, "/api/v1/models/nobody/resolve").status == .notFound)
            #expect(try await client.request(.get, "/api/v1/models/digits-classifier/resolve?pre=maybe").status == .badRequest)

            let resolution = try await client.request(.get, "/api/v1/models/digits-classifier/resolve?range=1.0.0").decode(Resolution.self)
            #expect(resolution.archive == packages[1].reference)

            let model = try await client.request(.get, "/api/v1/models/digits-classifier").decode(ModelDetail.self)
            #expect(model.versions.map(\.version.description) == ["2.0.0", "1.3.0-rc.1", "1.2.0", "1.0.0", "0.9.0"])
        }
    }

    @Test func unknownNamesAndRoutes() async throws {
        let hub = try await TestHub.make()
        try await hub.run { (client) async throws in
            let unknownModel = try await client.request(.get, "/api/v1/models/nobody")
            #expect(unknownModel.status == .notFound)
            #expect(unknownModel.headers[.contentType] == "application/problem+json")
            #expect(try await client.request(.get, "/api/v1/models/Bad_Name").status == .badRequest)
            #expect(try await client.request(.get, "/api/v1/models/nobody/versions/1.0.0").status == .notFound)
            let route = try await client.request(.get, "/no/such/route")
            #expect(route.status == .notFound)
            #expect(route.problem?.status == 404)
            #expect(route.headers[.contentType] == "application/problem+json")
        }
    }
}
