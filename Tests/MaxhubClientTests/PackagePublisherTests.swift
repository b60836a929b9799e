import Foundation
import MaxhubClient
import MaxhubCore
import MaxhubTestSupport
import Testing

/// `PackagePublisher`: folders are packed, archives are checked against their manifest, and an archive the hub has is
/// not sent again.
@Suite("PackagePublisher against a live hub")
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

    @Test("a folder is packed into a temporary archive, uploaded once, and published as pending")
    func publishesAFolder() async throws {
        let scratch = try TestFolder()
        defer { scratch.remove() }
        let folder = try Self.writeFolder(scratch)
        try await LiveHub.run { hub in
            let publisher = PackagePublisher(client: hub.client(.curator))
            let prepared = try PackagePublisher.prepare(folder)
            #expect(prepared.temporaryFolder != nil)
            #expect(prepared.manifest.files?.map(\.path) == ["model.onnx", "serve.py"])
            let first = try await publisher.publish(prepared)
            #expect(first.uploaded)
            #expect(first.detail.state == .pending)
            #expect(first.detail.archive.digest == prepared.digest)
            prepared.discard()
            #expect(!FileManager.default.fileExists(atPath: prepared.archivePath))

            // The same bytes again: the hub has the archive, so nothing is sent; the version itself is immutable.
            let again = try PackagePublisher.prepare(folder)
            defer { again.discard() }
            #expect(again.digest == prepared.digest, "packing is reproducible")
            let conflict = await #expect(throws: HubClientError.self) { try await publisher.publish(again) }
            #expect(conflict?.status == 409)
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
