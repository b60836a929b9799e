import Foundation
import MaxhubArchive
import MaxhubClient
import MaxhubCore
import MaxhubTestSupport
import Testing

/// `PackagePublisher`: folders are packed into the upload in one pass, archives are checked against their manifest, and
/// an archive the hub has is not sent again.
@Suite("PackagePublisher against a live hub", .onTestThreads)
struct PackagePublisherTests {
    static func writeFolder(_ scratch: TestFolder, version: String = "1.0.0") throws -> String {
        try scratch.write("pkg/maxhub.yaml", """
            name: wine-classifier
            version: \(version)
            task: tabular-classification
            description: Wine cultivars from 13 measurements.
            license: {code: MIT, weights: MIT, data: CC-BY-4.0}
            inputs: [{name: x, type: tensor}]
            outputs: [{name: y, type: tensor}]
            serving: {api: oip-v2, port: 8080, command: [python3, serve.py]}

            """)
        try scratch.write("pkg/model.onnx", makeNoise(count: 100_000, seed: 3))
        try scratch.write("pkg/serve.py", "print('serve')\n")
        return scratch.path("pkg")
    }

    @Test("a folder is packed straight into a resumable upload, with the same bytes as a pack, and published as pending")
    func publishesAFolder() async throws {
        let scratch = try TestFolder()
        defer { scratch.remove() }
        let folder = try Self.writeFolder(scratch)
        let packed = try PackageBuilder(folder: URL(fileURLWithPath: folder), updatesManifestFile: false).pack(to: scratch.path("ref.tar.zst"))
        try await LiveHub.run { hub in
            let publisher = PackagePublisher(client: hub.client(.curator))
            let first = try await publisher.publish(folder)
            #expect(first.uploaded && first.packed)
            #expect(first.detail?.state == .pending)
            #expect(first.digest == packed.digest, "the streamed archive is the archive `maxhub pack` writes")
            #expect(first.detail?.archive == ArchiveReference(digest: packed.digest, size: packed.size))
            #expect(first.manifest.files?.map(\.path) == ["model.onnx", "serve.py"])
            #expect(try Data(contentsOf: URL(fileURLWithPath: hub.blobPath(packed.digest))) == Data(contentsOf: URL(fileURLWithPath: packed.archivePath)))
            // Nothing was left behind: no archive in the folder, no upload on the hub.
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder).sorted() == ["maxhub.yaml", "model.onnx", "serve.py"])
            let uploads = try FileManager.default.contentsOfDirectory(atPath: hub.folder + "/uploads/resumable")
            #expect(uploads.isEmpty, "\(uploads)")

            let conflict = await #expect(throws: HubClientError.self) { try await publisher.publish(folder) }
            #expect(conflict?.status == 409)
        }
    }

    @Test("--keep writes the archive it sends; a dry run packs into nothing unless asked to keep")
    func keepsAndDryRuns() async throws {
        let scratch = try TestFolder()
        defer { scratch.remove() }
        let folder = try Self.writeFolder(scratch)
        try await LiveHub.run { hub in
            let publisher = PackagePublisher(client: hub.client(.curator))
            let dry = try publisher.dryRun(folder)
            #expect(dry.packed && !dry.uploaded && dry.detail == nil)
            #expect(!FileManager.default.fileExists(atPath: scratch.path("kept.tar.zst")))
            let kept = scratch.path("kept.tar.zst")
            let outcome = try await publisher.publish(folder, keepingAt: kept)
            #expect(outcome.digest == dry.digest)
            #expect(Digest.of(try Data(contentsOf: URL(fileURLWithPath: kept))) == outcome.digest)
        }
    }

    @Test("a folder packed before is published without reading its files when the hub has the archive")
    func publishesARecordedPackWithoutPacking() async throws {
        let scratch = try TestFolder()
        defer { scratch.remove() }
        let folder = try Self.writeFolder(scratch)
        let records = PackRecords(cache: PackageCache(root: scratch.path("cache")))
        // A change within the clock's granularity of a pack could hide from a file's stamp: such packs are not recorded.
        let builder = PackageBuilder(folder: URL(fileURLWithPath: folder))
        let hasty = try builder.plan(excluding: [scratch.path("a.tar.zst")])
        let hastyPack = try builder.pack(hasty, to: scratch.path("a.tar.zst"))
        // Planned at the instant its newest file was written, however long the machine then took to pack (the pack
        // itself rewrites maxhub.yaml, so the plan's own stamps are the ones that count).
        let newestNanoseconds = hasty.files.map { max($0.stamp.modified, $0.stamp.changed) }.max() ?? 0
        let newest = Date(timeIntervalSince1970: Double(newestNanoseconds) / 1_000_000_000)
        records.remember(hasty, compression: .zstd, plannedAt: newest, digest: hastyPack.digest, size: hastyPack.size, files: hastyPack.manifest.files ?? [])
        #expect(records.record(for: hasty, compression: .zstd) == nil)

        try await Task.sleep(for: .milliseconds(300))
        let plannedAt = Date()
        let plan = try builder.plan(excluding: [scratch.path("a.tar.zst")])
        let result = try builder.pack(plan, to: scratch.path("a.tar.zst"))
        records.remember(plan, compression: .zstd, plannedAt: plannedAt, digest: result.digest, size: result.size, files: result.manifest.files ?? [])
        #expect(records.record(for: plan, compression: .zstd)?.digest == result.digest)
        try await LiveHub.run { hub in
            let publisher = PackagePublisher(client: hub.client(.curator), records: records)
            #expect(try publisher.dryRun(folder).packed == false)
            // An earlier publish sent the archive and stopped before the version was made.
            _ = try await hub.client(.curator).uploadBlob(at: result.archivePath, digest: result.digest, size: result.size)
            let outcome = try await publisher.publish(folder)
            #expect(!outcome.packed && !outcome.uploaded)
            #expect(outcome.detail?.state == .pending)
            #expect(outcome.detail?.archive.digest == result.digest)
        }
        // A hub without the archive: the record names a digest the hub lacks, so the folder is packed and sent.
        try await LiveHub.run { hub in
            let outcome = try await PackagePublisher(client: hub.client(.curator), records: records).publish(folder)
            #expect(outcome.packed && outcome.uploaded && outcome.digest == result.digest)
        }
    }

    @Test("an upload cut off by the network resumes where the hub's copy ends")
    func resumesACutUpload() async throws {
        let scratch = try TestFolder()
        defer { scratch.remove() }
        let folder = try Self.writeFolder(scratch)
        try scratch.write("pkg/weights.bin", makeNoise(count: 12 << 20, seed: 11))
        let reference = try PackageBuilder(folder: URL(fileURLWithPath: folder), updatesManifestFile: false).pack(to: scratch.path("ref.tar.zst"))
        try await LiveHub.run { hub in
            let port = try #require(Int(hub.url.split(separator: ":").last ?? ""))
            let proxy = try CuttingProxy(to: port, cuttingAfter: 5 << 20)
            defer { proxy.stop() }
            let client = HubClient(baseURL: proxy.url, token: hub.client(.curator).token)
            let outcome = try await PackagePublisher(client: client).publish(folder)
            #expect(proxy.didCut)
            #expect(outcome.uploaded && outcome.digest == reference.digest)
            #expect(outcome.detail?.state == .pending)
        }
    }

    @Test("an archive whose files differ from its manifest is refused before anything is sent")
    func refusesAMismatchedArchive() throws {
        let scratch = try TestFolder()
        defer { scratch.remove() }
        let manifest = """
            name: wine-classifier
            version: 1.0.0
            task: tabular-classification
            description: Wine.
            license: {code: MIT, weights: MIT, data: CC-BY-4.0}
            inputs: [{name: x, type: tensor}]
            outputs: [{name: y, type: tensor}]
            serving: {api: oip-v2, port: 8080, command: [python3, serve.py]}
            files:
              - {path: model.onnx, size: 3, sha256: "\(String(repeating: "0", count: 64))"}

            """
        try makeHandMadeArchive(at: scratch.path("bad.tar"), [.file("model.onnx", "abc"), .file("maxhub.yaml", manifest)])
        #expect {
            try PackagePublisher.prepare(scratch.path("bad.tar"))
        } throws: { error in
            guard case PublishError.archiveMismatch(_, let problems) = error else { return false }
            return problems.count == 1 && problems[0].contains("model.onnx: checksum mismatch")
        }
        #expect {
            try PackagePublisher.prepare(scratch.path("missing"))
        } throws: { error in
            guard case PublishError.noPackage = error else { return false }
            return true
        }
    }
}
