import Foundation
import MaxhubClient
import MaxhubCore
import MaxhubTestSupport
import Testing

/// `PackagePuller` against the real hub: one-pass download and extraction, resume, and every check that must leave the
/// cache untouched when it fails.
@Suite("PackagePuller against a live hub", .onTestThreads)
struct PackagePullerTests {
    static let weights = String(decoding: makeNoise(count: 2 << 20, seed: 11).map { 0x41 + $0 % 26 }, as: UTF8.self)

    static func package(_ version: String = "1.0.0") throws -> TestPackage {
        try TestPackage.make(
            name: "digits-classifier", version: version, files: ["model.onnx": weights, "labels.txt": "0\n1\n"])
    }

    static func reference(_ text: String) throws -> PackageReference { try PackageReference(parsing: text) }

    @Test("a pull downloads, checks and extracts the version the range picks; a second one finds it in the cache")
    func pullsOnceThenFromTheCache() async throws {
        try await LiveHub.withCache { hub, scratch, cache in
            try await hub.publishApproved(try Self.package("1.0.0"), in: scratch)
            try await hub.publishApproved(try Self.package("1.2.0"), in: scratch)
            let puller = PackagePuller(client: hub.client(), cache: cache)
            let first = try await puller.pull(try Self.reference("digits-classifier@^1"))
            #expect(first.version.description == "1.2.0")
            #expect(first.downloaded && first.extracted && !first.resumed)
            #expect(try String(contentsOfFile: first.path + "/model.onnx", encoding: .utf8) == Self.weights)
            #expect(try cache.verifyPackage(first.name, first.version).isEmpty)
            #expect(cache.trustedDigest(first.name, first.version) == first.digest)
            let again = try await puller.pull(try Self.reference("digits-classifier@1.2.0"))
            #expect(!again.downloaded && !again.extracted && again.path == first.path)
            let exact = try await puller.pull(try Self.reference("digits-classifier@1.0.0"))
            #expect(exact.version.description == "1.0.0" && exact.downloaded)
        }
    }

    @Test("an interrupted download resumes from the bytes already on disk")
    func resumes() async throws {
        let package = try Self.package()
        try await LiveHub.withCache { hub, scratch, cache in
            try await hub.publishApproved(package, in: scratch)
            let partial = cache.partialPath(package.reference.digest)
            try FileManager.default.createDirectory(atPath: (partial as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try Data(package.archive.prefix(package.archive.count / 2)).write(to: URL(fileURLWithPath: partial))
            let result = try await PackagePuller(client: hub.client(), cache: cache).pull(try Self.reference("digits-classifier"))
            #expect(result.resumed && result.downloaded && result.extracted)
            #expect(result.digest == package.reference.digest)
            #expect(!FileManager.default.fileExists(atPath: partial), "the finished download moves into blobs/")
            #expect(try cache.verifyPackage(result.name, result.version).isEmpty)
        }
    }

    @Test("bytes that do not hash to the hub's digest are refused, and nothing reaches the cache's packages")
    func wrongDigest() async throws {
        let package = try Self.package()
        try await LiveHub.withCache { hub, scratch, cache in
            try await hub.publishApproved(package, in: scratch)
            // The half already downloaded rotted in the cache: the same size, other bytes; the rest comes from the hub.
            let partial = cache.partialPath(package.reference.digest)
            try FileManager.default.createDirectory(atPath: (partial as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            var rotten = package.archive
            rotten[rotten.count / 4] ^= 0xFF
            try Data(rotten.prefix(rotten.count / 2)).write(to: URL(fileURLWithPath: partial))
            let error = await #expect(throws: PullError.self) {
                try await PackagePuller(client: hub.client(), cache: cache).pull(try Self.reference("digits-classifier@1.0.0"))
            }
            guard case .archiveMismatch(_, _, let expected, let actual) = error else {
                Issue.record("expected a checksum mismatch, got \(String(describing: error))")
                return
            }
            #expect(expected == package.reference.digest && actual == Digest.of(rotten))
            #expect(error?.isVerificationFailure == true)
            #expect(cache.cachedVersions(of: package.name).isEmpty)
            #expect(!FileManager.default.fileExists(atPath: cache.blobPath(package.reference.digest)))
            #expect(cache.trustedDigest(package.name, package.version) == nil)
        }
    }

    @Test("a blob that rotted on the hub is never received whole: the pull fails and the cache keeps nothing of it")
    func rottenOnTheHub() async throws {
        let package = try Self.package()
        try await LiveHub.withCache { hub, scratch, cache in
            try await hub.publishApproved(package, in: scratch)
            var rotten = package.archive
            rotten[rotten.count / 2] ^= 0xFF
            try Data(rotten).write(to: URL(fileURLWithPath: hub.blobPath(package.reference.digest)))
            let puller = PackagePuller(client: hub.client(), cache: cache)
            let error = await #expect(throws: HubClientError.self) { try await puller.pull(try Self.reference("digits-classifier@1.0.0")) }
            guard case .damagedOnHub(_, let digest) = error else {
                Issue.record("expected the hub to report its copy damaged, got \(String(describing: error))")
                return
            }
            #expect(digest == package.reference.digest)
            #expect(!FileManager.default.fileExists(atPath: cache.partialPath(package.reference.digest)), "nothing to resume")
            #expect(cache.cachedVersions(of: package.name).isEmpty)
            #expect(!FileManager.default.fileExists(atPath: cache.blobPath(package.reference.digest)))
            #expect(!FileManager.default.fileExists(atPath: hub.blobPath(package.reference.digest)))
        }
    }

    @Test("a version whose digest changed since it was first pulled is refused unless the new digest is accepted")
    func trustOnFirstUse() async throws {
        let scratch = try TestFolder()
        defer { scratch.remove() }
        let cache = PackageCache(root: scratch.path("cache"))
        let package = try Self.package()
        let earlier = Digest.of(Array("an earlier archive".utf8))
        try cache.trust(earlier, for: package.name, package.version)
        try await LiveHub.run { hub in
            try await hub.publishApproved(package, in: scratch)
            let refused = await #expect(throws: PullError.self) {
                try await PackagePuller(client: hub.client(), cache: cache).pull(try Self.reference("digits-classifier@1.0.0"))
            }
            #expect(refused?.description.contains("pass --trust-new") == true)
            #expect(cache.cachedVersions(of: package.name).isEmpty)
            let accepted = try await PackagePuller(client: hub.client(), cache: cache, acceptNewDigest: true)
                .pull(try Self.reference("digits-classifier@1.0.0"))
            #expect(accepted.extracted)
            #expect(cache.trustedDigest(package.name, package.version) == package.reference.digest)
        }
    }

    @Test("offline, a range resolves against the cache alone")
    func offline() async throws {
        let scratch = try TestFolder()
        defer { scratch.remove() }
        let cache = PackageCache(root: scratch.path("cache"))
        try await LiveHub.run { hub in
            try await hub.publishApproved(try Self.package("1.0.0"), in: scratch)
            _ = try await PackagePuller(client: hub.client(), cache: cache).pull(try Self.reference("digits-classifier@1.0.0"))
        }
        // The hub is gone: an offline pull needs none.
        let offline = PackagePuller(client: HubClient(baseURL: "http://127.0.0.1:9", token: nil), cache: cache, offline: true)
        let found = try await offline.pull(try Self.reference("digits-classifier@^1"))
        #expect(found.version.description == "1.0.0" && !found.downloaded)
        let missing = await #expect(throws: PullError.self) { try await offline.pull(try Self.reference("digits-classifier@^2")) }
        #expect(missing?.isVerificationFailure == false)
    }

    @Test("a pending version cannot be pulled by a reader")
    func pendingIsHidden() async throws {
        let scratch = try TestFolder()
        defer { scratch.remove() }
        let package = try Self.package()
        try await LiveHub.run { hub in
            let archive = try scratch.write("pending.tar.zst", package.archive)
            _ = try await PackagePublisher(client: hub.client(.curator)).publish(try PackagePublisher.prepare(archive))
            let error = await #expect(throws: HubClientError.self) {
                try await PackagePuller(client: hub.client(), cache: PackageCache(root: scratch.path("cache")))
                    .pull(try Self.reference("digits-classifier"))
            }
            #expect(error?.status == 404)
        }
    }
}
