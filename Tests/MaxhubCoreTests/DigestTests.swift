import Foundation
import MaxhubTestSupport
import Testing
@testable import MaxhubCore

@Suite(.onTestThreads) struct DigestTests {
    @Test func parsesAndPrintsCanonicalForm() throws {
        let text = "sha256:" + String(repeating: "ab", count: 32)
        let digest = try Digest(parsing: text)
        #expect(digest.description == text)
        #expect(digest.hex.count == 64)
    }

    @Test(arguments: [
        "",
        "ab",
        "sha256:",
        "sha512:" + String(repeating: "a", count: 64),
        "sha256:" + String(repeating: "A", count: 64),
        "sha256:" + String(repeating: "g", count: 64),
        "sha256:" + String(repeating: "a", count: 63),
        "sha256:" + String(repeating: "a", count: 65),
        "SHA256:" + String(repeating: "a", count: 64),
    ])
    func rejectsMalformedDigests(_ text: String) {
        #expect(throws: DigestError.self) { try Digest(parsing: text) }
    }

    @Test func hashesKnownVectors() {
        #expect(Digest.of(Data()).hex == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(Digest.of(Data("abc".utf8)).hex == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test func streamsAFileInChunks() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("digest-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: url) }
        // Larger than one chunk and not a multiple of it.
        var bytes = [UInt8](repeating: 0, count: FileDigester.chunkSize * 2 + 12345)
        for index in bytes.indices { bytes[index] = UInt8(truncatingIfNeeded: index &* 31 &+ 7) }
        try Data(bytes).write(to: url)
        let (digest, size) = try FileDigester.digest(ofFileAt: url.path)
        #expect(size == Int64(bytes.count))
        #expect(digest == Digest.of(bytes))
    }

    @Test func missingFileIsAClearError() {
        #expect(throws: FileDigestError.self) { try FileDigester.digest(ofFileAt: "/nonexistent/maxhub/file") }
    }
}
