@testable import MaxhubStore
import Foundation
import MaxhubCore
import MaxhubTestSupport
import NIOCore
import Testing

/// What the file blob store promises beyond the contract: its layout, no leftovers, and cleanup by file age.
@Suite(.onTestThreads) struct FileBlobStoreTests {
    private typealias Fixtures = BlobFixtures

    private func withStore(_ body: (FileBlobStore, TestFolder) async throws -> Void) async throws {
        let folder = try TestFolder()
        defer { folder.remove() }
        try await body(FileBlobStore(root: folder.path), folder)
    }

    @Test func blobsLiveUnderTheirDigestAndUploadsByKind() async throws {
        try await withStore { store, folder in
            let monolithic = try await store.startUpload(.monolithic)
            let resumable = try await store.startUpload(.resumable)
            #expect(folder.files(under: "uploads") == ["monolithic/\(monolithic)", "resumable/\(resumable)"])
            #expect(UUID(uuidString: monolithic) != nil && monolithic == monolithic.lowercased())

            let bytes = Fixtures.makeBytes(1000)
            let digest = Digest.of(bytes)
            _ = try await store.append(to: monolithic, at: 0, Fixtures.chunks(bytes), limit: .max)
            _ = try await store.finishUpload(monolithic, expecting: digest)
            let blob = "blobs/sha256/\(digest.hex.prefix(2))/\(digest.hex)"
            #expect(folder.files() == [blob, "uploads/resumable/\(resumable)"])
            let path = try await store.withLocalFile(for: digest) { $0 }
            #expect(path == folder.path(blob), "the blob itself, not a copy")
        }
    }

    @Test func aMismatchLeavesNoFile() async throws {
        try await withStore { store, folder in
            for kind in [UploadKind.monolithic, .resumable] {
                let upload = try await store.startUpload(kind)
                _ = try await store.append(to: upload, at: 0, Fixtures.chunks(Fixtures.makeBytes(5000)), limit: .max)
                await #expect(throws: BlobStoreError.self) { try await store.finishUpload(upload, expecting: Digest.of([UInt8]())) }
            }
            #expect(folder.files().isEmpty)
        }
    }

    @Test func anUploadOfTheRightBytesRepairsACorruptBlob() async throws {
        try await withStore { store, folder in
            let bytes = Fixtures.makeBytes(300_000, seed: 4)
            let digest = Digest.of(bytes)
            _ = try await Fixtures.store(bytes, in: store)
            let blob = folder.path("blobs/sha256/\(digest.hex.prefix(2))/\(digest.hex)")
            var rotten = bytes
            rotten[150_000] ^= 0x01
            try Data(rotten).write(to: URL(fileURLWithPath: blob))
            for kind in [UploadKind.monolithic, .resumable] {
                _ = try await Fixtures.store(bytes, in: store, kind: kind)
                #expect(try folder.read("blobs/sha256/\(digest.hex.prefix(2))/\(digest.hex)") == bytes, "\(kind)")
                try Data(rotten).write(to: URL(fileURLWithPath: blob))
            }
            #expect(folder.files(under: "uploads").isEmpty)
        }
    }

    @Test func aWholeReadOfARottenBlobWithholdsItsLastChunkAndQuarantinesIt() async throws {
        try await withStore { store, folder in
            let bytes = Fixtures.makeBytes(300_000, seed: 5)
            let digest = Digest.of(bytes)
            _ = try await Fixtures.store(bytes, in: store)
            let blob = "blobs/sha256/\(digest.hex.prefix(2))/\(digest.hex)"
            var rotten = bytes
            rotten[10] ^= 0x01
            try Data(rotten).write(to: URL(fileURLWithPath: folder.path(blob)))

            // A range is served as stored: only a whole read can be checked.
            var ranged = 0
            try await store.read(digest, range: 0..<1000) { ranged += $0.readableBytes }
            #expect(ranged == 1000)
            var received = 0
            await #expect(throws: BlobStoreError.corrupt(digest)) {
                try await store.read(digest, range: nil) { received += $0.readableBytes }
            }
            #expect(received < bytes.count, "the last chunk is never written")
            #expect(folder.files() == ["quarantine/sha256/\(digest.hex)"])
            #expect(try await store.size(of: digest) == nil)
            #expect(try await store.holdsItsBytes(digest) == nil)
            _ = try await Fixtures.store(bytes, in: store)
            #expect(try await store.holdsItsBytes(digest) == true)
            var whole = 0
            try await store.read(digest, range: nil) { whole += $0.readableBytes }
            #expect(whole == bytes.count)
        }
    }

    @Test func storedBlobsRenewalAndRemovalByAge() async throws {
        try await withStore { store, folder in
            let first = try await Fixtures.store(Fixtures.makeBytes(1000, seed: 6), in: store)
            let second = try await Fixtures.store(Fixtures.makeBytes(2000, seed: 7), in: store)
            let listed = try await store.storedBlobs()
            #expect(Set(listed.map(\.digest)) == [first.digest, second.digest])
            #expect(listed.first { $0.digest == second.digest }?.size == 2000)
            let old = Date().addingTimeInterval(-86400)
            for reference in [first, second] {
                try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: store.path(of: reference.digest))
            }
            await store.renew(second.digest)
            let cutoff = Date().addingTimeInterval(-3600)
            #expect(try await store.remove(first.digest, ifUnmodifiedSince: cutoff))
            #expect(try await !store.remove(second.digest, ifUnmodifiedSince: cutoff), "renewed within the grace")
            #expect(try await store.storedBlobs().map(\.digest) == [second.digest])
        }
    }

    @Test func concurrentUploadsOfTheSameContentLeaveOneFile() async throws {
        try await withStore { store, folder in
            let bytes = Fixtures.makeBytes(200_000, seed: 2)
            try await withThrowingTaskGroup(of: ArchiveReference.self) { group in
                for _ in 0..<8 {
                    group.addTask { try await Fixtures.store(bytes, in: store) }
                }
                try await group.waitForAll()
            }
            let digest = Digest.of(bytes)
            #expect(folder.files() == ["blobs/sha256/\(digest.hex.prefix(2))/\(digest.hex)"])
        }
    }

    @Test func resumableUploadsAreRemovedByAge() async throws {
        try await withStore { store, folder in
            let old = try await store.startUpload(.resumable)
            let recent = try await store.startUpload(.resumable)
            _ = try await store.append(to: old, at: 0, Fixtures.stream([[1, 2, 3]]), limit: .max)
            _ = try await store.append(to: recent, at: 0, Fixtures.stream([[1, 2, 3]]), limit: .max)
            let twoHoursAgo = Date().addingTimeInterval(-7200)
            try FileManager.default.setAttributes([.modificationDate: twoHoursAgo], ofItemAtPath: folder.path("uploads/resumable/\(old)"))

            #expect(try await store.removeAbandonedUploads(resumableOlderThan: .seconds(3600)) == 1)
            await #expect(throws: BlobStoreError.uploadNotFound(old)) { try await store.uploadSize(old) }
            #expect(try await store.uploadSize(recent) == 3)

            // An append is activity: it keeps an upload whose last append came long after it started.
            try FileManager.default.setAttributes([.modificationDate: twoHoursAgo], ofItemAtPath: folder.path("uploads/resumable/\(recent)"))
            _ = try await store.append(to: recent, at: 3, Fixtures.stream([]), limit: .max)
            #expect(try await store.removeAbandonedUploads(resumableOlderThan: .seconds(3600)) == 0)
            #expect(folder.files(under: "uploads") == ["resumable/\(recent)"])
        }
    }

    @Test func aHasherThatDisagreesWithTheFileIsRebuilt() async throws {
        try await withStore { store, folder in
            let bytes = Fixtures.makeBytes(100_000, seed: 3)
            let upload = try await store.startUpload(.resumable)
            _ = try await store.append(to: upload, at: 0, Fixtures.chunks(Array(bytes[0..<40_000])), limit: .max)
            // Another instance on the same root appends behind this one's back.
            let other = FileBlobStore(root: folder.path)
            _ = try await other.append(to: upload, at: 40_000, Fixtures.chunks(Array(bytes[40_000..<70_000])), limit: .max)
            _ = try await store.append(to: upload, at: 70_000, Fixtures.chunks(Array(bytes[70_000...])), limit: .max)
            #expect(try await store.finishUpload(upload, expecting: Digest.of(bytes)).size == 100_000)
        }
    }

    @Test func readsComeInChunksOfTheStoreSize() async throws {
        try await withStore { store, _ in
            let bytes = Fixtures.makeBytes(Int(FileBlobStore.chunkSize) * 2 + 17, seed: 4)
            let digest = try await Fixtures.store(bytes, in: store).digest
            let read = try await Fixtures.read(digest, from: store)
            #expect(read.chunks == [Int(FileBlobStore.chunkSize), Int(FileBlobStore.chunkSize), 17])
        }
    }

    @Test func concurrentReadsShareTheReadBudget() {
        let budget = ReadBudget(total: 16 << 20, largest: 1 << 20, smallest: 64 << 10)
        #expect(budget.share() == 1 << 20, "no reader yet: the largest chunk")
        for _ in 0..<16 { budget.enter() }
        #expect(budget.share() == 1 << 20)
        for _ in 0..<16 { budget.enter() }
        #expect(budget.share() == 512 << 10, "32 readers share 16 MiB")
        for _ in 0..<1000 { budget.enter() }
        #expect(budget.share() == 64 << 10, "never below the smallest chunk")
        for _ in 0..<1031 { budget.leave() }
        #expect(budget.share() == 1 << 20)
    }

    @Test(arguments: [
        ("7c9e6679-7425-40de-944b-e07fc1f90ae7", true), ("7C9E6679-7425-40DE-944B-E07FC1F90AE7", false), ("", false),
        ("../7c9e6679-7425-40de-944b-e07fc1f90ae7", false), ("7c9e6679742540de944be07fc1f90ae7", false),
    ])
    func uploadIDsAreLowercaseUUIDs(_ id: String, _ valid: Bool) {
        #expect(FileBlobStore.isUploadID(id) == valid)
    }

    @Test func rangeBoundsAreDocumented() throws {
        #expect(try FileBlobStore.bounds(of: nil, size: 10) == 0..<10)
        #expect(try FileBlobStore.bounds(of: nil, size: 0) == 0..<0)
        #expect(try FileBlobStore.bounds(of: 0..<0, size: 0) == 0..<0)
        #expect(try FileBlobStore.bounds(of: 9..<10, size: 10) == 9..<10)
        #expect(throws: BlobStoreError.rangeNotSatisfiable(size: 10)) { try FileBlobStore.bounds(of: 10..<10, size: 10) }
        #expect(throws: BlobStoreError.rangeNotSatisfiable(size: 10)) { try FileBlobStore.bounds(of: 3..<3, size: 10) }
        #expect(throws: BlobStoreError.rangeNotSatisfiable(size: 10)) { try FileBlobStore.bounds(of: 9..<11, size: 10) }
    }
}
