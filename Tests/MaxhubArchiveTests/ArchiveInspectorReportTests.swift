import Foundation
import MaxhubCore
import MaxhubTestSupport
import Testing
@testable import MaxhubArchive

/// The one-pass report: entries, a captured small entry, and the digest of the archive file itself.
@Suite(.onTestThreads) struct ArchiveInspectorReportTests {
    @Test(arguments: ArchiveCompression.allCases)
    func digestOfTheFileComesFromTheSamePass(_ compression: ArchiveCompression) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("report-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let big = folder.appendingPathComponent("weights.bin")
        try Data((0..<(3 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 7919) }).write(to: big)
        let path = folder.appendingPathComponent("package\(compression.fileSuffix)").path
        let writer = try ReproducibleArchiveWriter(writingTo: path, compression: compression)
        let packed = try writer.addFile(at: big.path, as: "weights.bin")
        _ = try writer.addTrailer(Array("name: demo\n".utf8), as: "maxhub.yaml")
        let written = try writer.finish()

        let report = try ArchiveInspector().inspect(archiveAt: path, capturing: "maxhub.yaml")
        #expect(report.archiveDigest == written.digest)
        #expect(report.archiveSize == written.size)
        #expect(try FileDigester.digest(ofFileAt: path).digest == written.digest)
        #expect(report.captured == Array("name: demo\n".utf8))
        #expect(report.entries.map(\.path) == ["weights.bin", "maxhub.yaml"])
        #expect(report.entries.first?.digest == packed.digest)
    }

    @Test func anOversizedCapturedEntryIsALimitError() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("report-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("a.tar.zst").path
        let writer = try ReproducibleArchiveWriter(writingTo: path)
        _ = try writer.addTrailer([UInt8](repeating: 0x61, count: 4096), as: "maxhub.yaml")
        _ = try writer.finish()
        #expect(throws: ArchiveError.self) { try ArchiveInspector().inspect(archiveAt: path, capturing: "maxhub.yaml", maxBytes: 1024) }
    }
}
