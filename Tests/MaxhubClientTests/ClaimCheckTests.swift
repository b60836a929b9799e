import Foundation
import MaxhubClient
import MaxhubCore
import MaxhubTestSupport
import Testing

/// `ClaimCheck` refuses what it cannot check before any server starts.
@Suite("ClaimCheck before the server starts", .onTestThreads)
struct ClaimCheckTests {
    @Test("a package with no claims, or a cached package whose files changed, starts no server")
    func refusesBeforeStarting() async throws {
        try await LiveHub.withCache { hub, scratch, cache in
            try await hub.publishApproved(try TestPackage.make(name: "quiet"), in: scratch)
            let check = ClaimCheck(launcher: ModelLauncher(puller: PackagePuller(client: hub.client(), cache: cache)))
            let options = ModelLauncher.Options(runtime: .process)
            let quiet = try PackageReference(parsing: "quiet")
            let none = await #expect(throws: ClaimCheckError.self) { try await check.run(quiet, options, timeout: .seconds(5)) }
            #expect(none?.description == "quiet@1.0.0 makes no claims to check")
            #expect(none?.isVerificationFailure == false)

            // Now cached: a changed file is found by re-hashing, before anything runs.
            let path = cache.packagePath(try ModelName(parsing: "quiet"), try Version(parsing: "1.0.0"))
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
            try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path + "/model.onnx")
            try "other weights".write(toFile: path + "/model.onnx", atomically: false, encoding: .utf8)
            let changed = await #expect(throws: ClaimCheckError.self) { try await check.run(quiet, options, timeout: .seconds(5)) }
            #expect(changed?.description.hasPrefix("quiet@1.0.0 differs from its manifest: model.onnx") == true, "\(String(describing: changed))")
            #expect(changed?.isVerificationFailure == true)
            #expect(await RunRegistry(cache: cache).running().isEmpty)
        }
    }
}
