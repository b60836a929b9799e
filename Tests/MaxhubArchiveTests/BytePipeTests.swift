import Foundation
import MaxhubArchive
import MaxhubTestSupport
import Testing

/// `BytePipe`: bytes from a blocking thread to a task (and back) arrive whole and in order, never more than the capacity
/// held in between, and either side can stop the other.
@Suite("BytePipe", .onTestThreads)
struct BytePipeTests {
    @Test("a thread writing into a small pipe and a task reading it pass every byte in order")
    func threadToTask() async throws {
        let bytes = makeNoise(count: 3 << 20, seed: 4)
        let pipe = BytePipe(capacity: 64 << 10)
        let writer = Thread {
            var offset = 0
            while offset < bytes.count {
                let end = min(offset + 10_000, bytes.count)
                try? bytes[offset..<end].withUnsafeBytes { try pipe.writeBlocking($0) }
                offset = end
            }
            pipe.finish()
        }
        writer.start()
        var received: [UInt8] = []
        while let chunk = try await pipe.read() { received += chunk }
        #expect(received == bytes)
    }

    @Test("a task writing and a thread reading pass every byte in order")
    func taskToThread() async throws {
        let bytes = makeNoise(count: 1 << 20, seed: 6)
        let pipe = BytePipe(capacity: 16 << 10)
        let read = Task.detached { () throws -> [UInt8] in
            try await onOwnThread(named: "reader") { () throws -> [UInt8] in
                var received: [UInt8] = []
                while let chunk = try pipe.readBlocking() { received += chunk }
                return received
            }.get()
        }
        for start in stride(from: 0, to: bytes.count, by: 7_000) {
            try await pipe.write(Array(bytes[start..<min(start + 7_000, bytes.count)]))
        }
        pipe.finish()
        #expect(try await read.value == bytes)
    }

    @Test("drain lets the writer run on, cancel stops it, and a failed writer is the reader's error")
    func stopping() async throws {
        let drained = BytePipe(capacity: 8)
        drained.drain()
        for _ in 0..<100 { try await drained.write(Array(repeating: 1, count: 100)) }

        let cancelled = BytePipe(capacity: 8)
        try await cancelled.write([1])
        cancelled.cancel("the upload stopped")
        let closed = await #expect(throws: BytePipe.Closed.self) { try await cancelled.write([2]) }
        #expect(closed?.reason == "the upload stopped")

        let failed = BytePipe()
        try await failed.write([1, 2, 3])
        failed.fail("the disk is full")
        #expect(failed.producerFailure == "the disk is full")
        let error = await #expect(throws: BytePipe.Closed.self) { _ = try await failed.read() }
        #expect(error?.reason == "the disk is full")
    }

    @Test("an archive streamed through a pipe is inspected as its file is")
    func streamedInspection() async throws {
        let package = try TestPackage.make(files: ["README.md": "# Card\n", "model.onnx": String(repeating: "m", count: 300_000), "serve.py": "x\n"])
        let pipe = BytePipe(capacity: 32 << 10)
        let inspected = Task.detached {
            await onOwnThread(named: "inspect") { () throws(ArchiveError) -> ArchiveInspector.StreamReport in
                defer { pipe.drain() }
                return try ArchiveInspector().inspect(reading: pipe, label: "upload", keepingPrefixesOf: { $0.hasSuffix(".md") }, maxBytes: 4, maxKept: 8)
            }
        }
        for start in stride(from: 0, to: package.archive.count, by: 5_000) {
            try await pipe.write(Array(package.archive[start..<min(start + 5_000, package.archive.count)]))
        }
        pipe.finish()
        let report = try await inspected.value.get()
        let scratch = try TestFolder()
        defer { scratch.remove() }
        let file = try ArchiveInspector().inspect(archiveAt: try scratch.write("a.tar.zst", package.archive))
        #expect(report.entries == file)
        #expect(report.prefixes == ["README.md": Array("# Ca".utf8)])
    }
}
