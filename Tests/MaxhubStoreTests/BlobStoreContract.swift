import Foundation
import MaxhubCore
import MaxhubStore
import NIOCore
import MaxhubTestSupport
import Testing

/// What every `BlobStore` must do, run against each `BlobStoreKind`.
@Suite(.onTestThreads) struct BlobStoreContract {
    private typealias Fixtures = BlobFixtures

    // MARK: Uploads

    @Test(arguments: BlobStoreKind.allCases, [UploadKind.monolithic, .resumable])
    func anUploadBecomesABlobUnderItsDigest(_ kind: BlobStoreKind, _ uploadKind: UploadKind) async throws {
        try await kind.withStore { harness in
            let bytes = Fixtures.makeBytes(1_300_000)
            let digest = Digest.of(bytes)
            let upload = try await harness.store.startUpload(uploadKind)
            #expect(try await harness.store.uploadSize(upload) == 0)
            #expect(try await harness.store.size(of: digest) == nil)
            let size = try await harness.store.append(to: upload, at: 0, Fixtures.chunks(bytes), limit: 2_000_000)
            #expect(size == Int64(bytes.count))
            #expect(try await harness.store.uploadSize(upload) == Int64(bytes.count))
            #expect(try await harness.store.size(of: digest) == nil, "nothing is visible before the upload is finished")

            let reference = try await harness.store.finishUpload(upload, expecting: digest)
            #expect(reference == ArchiveReference(digest: digest, size: Int64(bytes.count)))
            #expect(try await harness.store.size(of: digest) == Int64(bytes.count))
            let read = try await Fixtures.read(digest, from: harness.store)
            #expect(read.bytes == bytes)
            #expect(read.chunks.count > 1, "a read streams in chunks")
            #expect(read.chunks.allSatisfy { $0 > 0 && $0 <= 1 << 20 })
            await #expect(throws: BlobStoreError.uploadNotFound(upload)) { try await harness.store.uploadSize(upload) }
        }
    }

    @Test(arguments: BlobStoreKind.allCases)
    func uploadIDsAreDistinct(_ kind: BlobStoreKind) async throws {
        try await kind.withStore { harness in
            var ids: Set<String> = []
            for uploadKind in [UploadKind.monolithic, .resumable, .monolithic, .resumable] {
                ids.insert(try await harness.store.startUpload(uploadKind))
            }
            #expect(ids.count == 4)
        }
    }

    @Test(arguments: BlobStoreKind.allCases)
    func anEmptyBlobIsABlob(_ kind: BlobStoreKind) async throws {
        try await kind.withStore { harness in
            let reference = try await Fixtures.store([], in: harness.store)
            #expect(reference == ArchiveReference(digest: Digest.of([UInt8]()), size: 0))
            #expect(try await harness.store.size(of: reference.digest) == 0)
            #expect(try await Fixtures.read(reference.digest, from: harness.store).bytes.isEmpty)
            #expect(try await Fixtures.read(reference.digest, range: 0..<0, from: harness.store).bytes.isEmpty)
            await #expect(throws: BlobStoreError.rangeNotSatisfiable(size: 0)) {
                try await Fixtures.read(reference.digest, range: 0..<1, from: harness.store)
            }
        }
    }

    @Test(arguments: BlobStoreKind.allCases, [UploadKind.monolithic, .resumable])
    func aDigestMismatchLeavesNothing(_ kind: BlobStoreKind, _ uploadKind: UploadKind) async throws {
        try await kind.withStore { harness in
            let bytes = Fixtures.makeBytes(100_000)
            let declared = Digest.of(Fixtures.makeBytes(100_000, seed: 2))
            let upload = try await harness.store.startUpload(uploadKind)
            _ = try await harness.store.append(to: upload, at: 0, Fixtures.chunks(bytes), limit: .max)
            let error = await #expect(throws: BlobStoreError.self) { try await harness.store.finishUpload(upload, expecting: declared) }
            #expect(error == .digestMismatch(expected: declared, actual: Digest.of(bytes), size: 100_000))
            #expect(try await harness.store.size(of: declared) == nil)
            #expect(try await harness.store.size(of: Digest.of(bytes)) == nil)
            await #expect(throws: BlobStoreError.uploadNotFound(upload)) { try await harness.store.uploadSize(upload) }
            await #expect(throws: BlobStoreError.uploadNotFound(upload)) {
                try await harness.store.finishUpload(upload, expecting: Digest.of(bytes))
            }
        }
    }

    @Test(arguments: BlobStoreKind.allCases)
    func anAppendMustStartWhereTheUploadEnds(_ kind: BlobStoreKind) async throws {
        try await kind.withStore { harness in
            let bytes = Fixtures.makeBytes(30)
            let upload = try await harness.store.startUpload(.resumable)
            #expect(try await harness.store.append(to: upload, at: 0, Fixtures.stream([Array(bytes[0..<10])]), limit: .max) == 10)
            for wrong in [Int64(0), 5, 11, 1000] {
                await #expect(throws: BlobStoreError.offsetMismatch(expected: 10, actual: wrong)) {
                    try await harness.store.append(to: upload, at: wrong, Fixtures.stream([Array(bytes[10...])]), limit: .max)
                }
            }
            #expect(try await harness.store.uploadSize(upload) == 10, "a refused append writes nothing")
            let rest = Fixtures.stream([Array(bytes[10..<20]), Array(bytes[20...])])
            #expect(try await harness.store.append(to: upload, at: 10, rest, limit: .max) == 30)
            #expect(try await harness.store.append(to: upload, at: 30, Fixtures.stream([]), limit: .max) == 30)
            #expect(try await harness.store.finishUpload(upload, expecting: Digest.of(bytes)).size == 30)
        }
    }

    @Test(arguments: BlobStoreKind.allCases)
    func theLimitStopsAnUploadBeforeItPassesIt(_ kind: BlobStoreKind) async throws {
        try await kind.withStore { harness in
            let bytes = Fixtures.makeBytes(151)
            let upload = try await harness.store.startUpload(.resumable)
            let parts = [Array(bytes[0..<40]), Array(bytes[40..<80]), Array(bytes[80..<120]), Array(bytes[120..<151])]
            await #expect(throws: BlobStoreError.tooLarge(limit: 150)) {
                try await harness.store.append(to: upload, at: 0, Fixtures.stream(parts), limit: 150)
            }
            #expect(try await harness.store.uploadSize(upload) == 120, "what came before the error stays")
            #expect(try await harness.store.append(to: upload, at: 120, Fixtures.stream([Array(bytes[120..<150])]), limit: 150) == 150)
            await #expect(throws: BlobStoreError.tooLarge(limit: 150)) {
                try await harness.store.append(to: upload, at: 150, Fixtures.stream([[bytes[150]]]), limit: 150)
            }
            #expect(try await harness.store.finishUpload(upload, expecting: Digest.of(bytes[0..<150])).size == 150)
        }
    }

    @Test(arguments: BlobStoreKind.allCases)
    func aResumableUploadSurvivesARestart(_ kind: BlobStoreKind) async throws {
        try await kind.withStore { harness in
            let bytes = Fixtures.makeBytes(700_000, seed: 3)
            let upload = try await harness.store.startUpload(.resumable)
            _ = try await harness.store.append(to: upload, at: 0, Fixtures.chunks(Array(bytes[0..<300_000])), limit: .max)

            let restarted = harness.reopen()
            #expect(try await restarted.uploadSize(upload) == 300_000)
            await #expect(throws: BlobStoreError.offsetMismatch(expected: 300_000, actual: 0)) {
                try await restarted.append(to: upload, at: 0, Fixtures.chunks(bytes), limit: .max)
            }
            let size = try await restarted.append(to: upload, at: 300_000, Fixtures.chunks(Array(bytes[300_000...])), limit: .max)
            #expect(size == 700_000)
            let reference = try await restarted.finishUpload(upload, expecting: Digest.of(bytes))
            #expect(reference.size == 700_000)
            #expect(try await Fixtures.read(reference.digest, from: harness.store).bytes == bytes)
        }
    }

    @Test(arguments: BlobStoreKind.allCases)
    func anAppendThatBreaksOffKeepsWhatItWrote(_ kind: BlobStoreKind) async throws {
        try await kind.withStore { harness in
            let bytes = Fixtures.makeBytes(90_000, seed: 4)
            let upload = try await harness.store.startUpload(.resumable)
            let broken = Fixtures.stream([Array(bytes[0..<30_000]), Array(bytes[30_000..<50_000])], failingWith: Fixtures.StreamBroke())
            await #expect(throws: Fixtures.StreamBroke.self) { try await harness.store.append(to: upload, at: 0, broken, limit: .max) }
            let held = try await harness.store.uploadSize(upload)
            #expect(held == 50_000)
            _ = try await harness.store.append(to: upload, at: held, Fixtures.chunks(Array(bytes[Int(held)...])), limit: .max)
            #expect(try await harness.store.finishUpload(upload, expecting: Digest.of(bytes)).size == 90_000)
        }
    }

    @Test(arguments: BlobStoreKind.allCases)
    func appendsToOneUploadTakeTurns(_ kind: BlobStoreKind) async throws {
        try await kind.withStore { harness in
            let bytes = Fixtures.makeBytes(200_000, seed: 5)
            let upload = try await harness.store.startUpload(.resumable)
            let store = harness.store
            let outcomes = await withTaskGroup(of: Result<Int64, BlobStoreError>.self) { group in
                for _ in 0..<2 {
                    group.addTask {
                        do {
                            return .success(try await store.append(to: upload, at: 0, Fixtures.chunks(bytes, size: 10_000), limit: .max))
                        } catch let error as BlobStoreError {
                            return .failure(error)
                        } catch {
                            return .failure(.uploadNotFound("unexpected \(error)"))
                        }
                    }
                }
                return await group.reduce(into: []) { $0.append($1) }
            }
            #expect(outcomes.contains { $0 == .success(200_000) })
            #expect(outcomes.contains { $0 == .failure(.offsetMismatch(expected: 200_000, actual: 0)) })
            #expect(try await store.finishUpload(upload, expecting: Digest.of(bytes)).size == 200_000)
        }
    }

    @Test(arguments: BlobStoreKind.allCases)
    func finishingOntoAStoredBlobKeepsIt(_ kind: BlobStoreKind) async throws {
        try await kind.withStore { harness in
            let bytes = Fixtures.makeBytes(50_000, seed: 6)
            let first = try await Fixtures.store(bytes, in: harness.store)
            let upload = try await harness.store.startUpload(.resumable)
            _ = try await harness.store.append(to: upload, at: 0, Fixtures.chunks(bytes), limit: .max)
            #expect(try await harness.store.finishUpload(upload, expecting: first.digest) == first)
            await #expect(throws: BlobStoreError.uploadNotFound(upload)) { try await harness.store.uploadSize(upload) }
            #expect(try await Fixtures.read(first.digest, from: harness.store).bytes == bytes)
        }
    }

    @Test(arguments: BlobStoreKind.allCases)
    func concurrentUploadsOfTheSameContentMakeOneBlob(_ kind: BlobStoreKind) async throws {
        try await kind.withStore { harness in
            let bytes = Fixtures.makeBytes(300_000, seed: 7)
            let store = harness.store
            let references = try await withThrowingTaskGroup(of: ArchiveReference.self) { group in
                for index in 0..<6 {
                    group.addTask { try await Fixtures.store(bytes, in: store, kind: index % 2 == 0 ? .monolithic : .resumable) }
                }
                return try await group.reduce(into: [ArchiveReference]()) { $0.append($1) }
            }
            #expect(references.count == 6)
            #expect(Set(references) == [ArchiveReference(digest: Digest.of(bytes), size: 300_000)])
            #expect(try await Fixtures.read(Digest.of(bytes), from: store).bytes == bytes)
        }
    }

    @Test(arguments: BlobStoreKind.allCases)
    func aCancelledUploadIsGone(_ kind: BlobStoreKind) async throws {
        try await kind.withStore { harness in
            for uploadKind in [UploadKind.monolithic, .resumable] {
                let upload = try await harness.store.startUpload(uploadKind)
                _ = try await harness.store.append(to: upload, at: 0, Fixtures.stream([[1, 2, 3]]), limit: .max)
                try await harness.store.cancelUpload(upload)
                await #expect(throws: BlobStoreError.uploadNotFound(upload)) { try await harness.store.uploadSize(upload) }
                await #expect(throws: BlobStoreError.uploadNotFound(upload)) {
                    try await harness.store.append(to: upload, at: 3, Fixtures.stream([[4]]), limit: .max)
                }
                try await harness.store.cancelUpload(upload)
            }
            try await harness.store.cancelUpload(UUID().uuidString.lowercased())
            try await harness.store.cancelUpload("../../etc/passwd")
        }
    }

    @Test(arguments: BlobStoreKind.allCases, [
        "", "nope", "../../etc/passwd", "/etc/passwd", "00000000-0000-0000-0000-00000000000", "7C9E6679-7425-40DE-944B-E07FC1F90AE7",
        "7c9e6679-7425-40de-944b-e07fc1f90ae7", "7c9e6679-7425-40de-944b-e07fc1f90ae7/..", "7c9e6679742540de944be07fc1f90ae7",
    ])
    func unknownUploadsAreNotFound(_ kind: BlobStoreKind, _ id: String) async throws {
        try await kind.withStore { harness in
            _ = try await harness.store.startUpload(.resumable)
            await #expect(throws: BlobStoreError.uploadNotFound(id)) { try await harness.store.uploadSize(id) }
            await #expect(throws: BlobStoreError.uploadNotFound(id)) {
                try await harness.store.append(to: id, at: 0, Fixtures.stream([[1]]), limit: .max)
            }
            await #expect(throws: BlobStoreError.uploadNotFound(id)) {
                try await harness.store.finishUpload(id, expecting: Digest.of([UInt8]()))
            }
        }
    }

    @Test(arguments: BlobStoreKind.allCases)
    func abandonedUploadsAreRemoved(_ kind: BlobStoreKind) async throws {
        try await kind.withStore { harness in
            let monolithic = [try await harness.store.startUpload(.monolithic), try await harness.store.startUpload(.monolithic)]
            let resumable = [try await harness.store.startUpload(.resumable), try await harness.store.startUpload(.resumable)]
            _ = try await harness.store.append(to: monolithic[0], at: 0, Fixtures.stream([[1, 2]]), limit: .max)
            _ = try await harness.store.append(to: resumable[0], at: 0, Fixtures.stream([[1, 2]]), limit: .max)
            let kept = try await Fixtures.store([9, 9, 9], in: harness.store)

            // A bucket is shared by hubs that may be filling their monolithic uploads: those go once idle for a while.
            let shared = kind == .s3
            #expect(try await harness.store.removeAbandonedUploads(resumableOlderThan: .seconds(3600)) == (shared ? 0 : 2), "every monolithic upload")
            for upload in monolithic where !shared {
                await #expect(throws: BlobStoreError.uploadNotFound(upload)) { try await harness.store.uploadSize(upload) }
            }
            #expect(try await harness.store.uploadSize(resumable[0]) == 2, "recent resumable uploads stay")
            #expect(try await harness.store.uploadSize(resumable[1]) == 0)

            try await Task.sleep(for: .milliseconds(50))
            #expect(try await harness.store.removeAbandonedUploads(resumableOlderThan: .milliseconds(10)) == 2)
            for upload in resumable {
                await #expect(throws: BlobStoreError.uploadNotFound(upload)) { try await harness.store.uploadSize(upload) }
            }
            if let bucket = (harness.store as? S3BlobStore)?.bucket {
                #expect(try await harness.store.uploadSize(monolithic[0]) == 2, "a monolithic upload another hub may be filling stays")
                // Past the bucket's one-second times, a hub that waits no time for an idle upload takes both.
                try await Task.sleep(for: .milliseconds(1100))
                let impatient = S3BlobStore(bucket: bucket, monolithicIdleLimit: .zero)
                #expect(try await impatient.removeAbandonedUploads(resumableOlderThan: .seconds(3600)) == 2, "idle monolithic uploads")
                for upload in monolithic {
                    await #expect(throws: BlobStoreError.uploadNotFound(upload)) { try await harness.store.uploadSize(upload) }
                }
            }
            #expect(try await harness.store.removeAbandonedUploads(resumableOlderThan: .zero) == 0)
            #expect(try await harness.store.size(of: kept.digest) == 3, "blobs are not uploads")
        }
    }

    // MARK: Maintenance

    @Test(arguments: BlobStoreKind.allCases)
    func maintenanceListsHashesAgesAndQuarantines(_ kind: BlobStoreKind) async throws {
        try await kind.withStore { harness in
            let store = harness.store
            let first = try await Fixtures.store(Fixtures.makeBytes(1000, seed: 61), in: store)
            let second = try await Fixtures.store(Fixtures.makeBytes(600_000, seed: 62), in: store)
            let listed = try await store.storedBlobs()
            #expect(listed.map(\.digest) == [first.digest, second.digest].sorted { $0.description < $1.description })
            #expect(listed.map(\.size).sorted() == [1000, 600_000])
            var hashed: Int64 = 0
            #expect(try await store.holdsItsBytes(second.digest) { hashed += $0 } == true)
            #expect(hashed == 600_000)
            #expect(try await store.holdsItsBytes(Digest.of([1, 2, 3])) { _ in } == nil, "an unknown blob")

            // Stores keep times to the second or finer: a whole second later, a renewal is on the far side of the cutoff.
            try await Task.sleep(for: .milliseconds(1200))
            let cutoff = Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down))
            await store.renew(second.digest)
            #expect(try await !store.remove(first.digest, ifUnmodifiedSince: cutoff.addingTimeInterval(-3600)), "stored within the grace")
            #expect(try await store.remove(first.digest, ifUnmodifiedSince: cutoff))
            #expect(try await !store.remove(second.digest, ifUnmodifiedSince: cutoff), "renewed within the grace")
            #expect(try await store.storedBlobs().map(\.digest) == [second.digest])
            #expect(try await store.storedBlobs().first?.modified ?? .distantPast >= cutoff, "the renewal counts as its age")

            let upload = try await store.startUpload(.resumable)
            _ = try await store.append(to: upload, at: 0, Fixtures.stream([[1, 2, 3]]), limit: .max)
            #expect(try await store.staleUploads(before: cutoff).isEmpty, "active since the cutoff")
            let stale = try await store.staleUploads(before: Date().addingTimeInterval(60))
            #expect(stale.map(\.id) == [upload] && stale.map(\.size) == [3])

            let place = try await store.quarantine(second.digest)
            #expect(!place.isEmpty)
            #expect(try await store.size(of: second.digest) == nil, "a quarantined blob is missing to the hub")
            #expect(try await store.storedBlobs().isEmpty)
            await #expect(throws: BlobStoreError.blobNotFound(second.digest)) { try await store.quarantine(second.digest) }
        }
    }

    // MARK: Blobs

    @Test(arguments: BlobStoreKind.allCases)
    func rangesReadExactlyTheirBytes(_ kind: BlobStoreKind) async throws {
        try await kind.withStore { harness in
            let bytes = Fixtures.makeBytes(2_500_000, seed: 8)
            let digest = try await Fixtures.store(bytes, in: harness.store).digest
            let size = Int64(bytes.count)
            let ranges: [Range<Int64>] = [0..<1, 5..<10, (size - 1)..<size, 0..<size, 1000..<1_600_000, 524_287..<524_289, 1..<size]
            for range in ranges {
                let read = try await Fixtures.read(digest, range: range, from: harness.store)
                #expect(read.bytes == Array(bytes[Int(range.lowerBound)..<Int(range.upperBound)]), "\(range)")
                #expect(read.chunks.allSatisfy { $0 > 0 && $0 <= 1 << 20 }, "\(range)")
            }
            let unsatisfiable: [Range<Int64>] = [size..<(size + 1), -1..<2, 0..<(size + 1), size..<size, 5..<5, 0..<0, (size + 10)..<(size + 20)]
            for range in unsatisfiable {
                await #expect(throws: BlobStoreError.rangeNotSatisfiable(size: size), "\(range)") {
                    try await Fixtures.read(digest, range: range, from: harness.store)
                }
            }
        }
    }

    @Test(arguments: BlobStoreKind.allCases)
    func aReadWaitsForEachWrite(_ kind: BlobStoreKind) async throws {
        try await kind.withStore { harness in
            let bytes = Fixtures.makeBytes(3_000_000, seed: 9)
            let digest = try await Fixtures.store(bytes, in: harness.store).digest
            var received: [UInt8] = []
            var writes = 0
            try await harness.store.read(digest, range: nil) { buffer in
                writes += 1
                try await Task.sleep(for: .milliseconds(5))
                received += buffer.readableBytesView
            }
            #expect(received == bytes)
            #expect(writes >= 3)
        }
    }

    @Test(arguments: BlobStoreKind.allCases)
    func anUnknownBlobIsNotFound(_ kind: BlobStoreKind) async throws {
        try await kind.withStore { harness in
            let digest = Digest.of(Fixtures.makeBytes(10, seed: 10))
            #expect(try await harness.store.size(of: digest) == nil)
            await #expect(throws: BlobStoreError.blobNotFound(digest)) { try await Fixtures.read(digest, from: harness.store) }
            await #expect(throws: BlobStoreError.blobNotFound(digest)) {
                try await Fixtures.read(digest, range: 0..<1, from: harness.store)
            }
            await #expect(throws: BlobStoreError.blobNotFound(digest)) {
                try await harness.store.withLocalFile(for: digest) { _ in true }
            }
            try await harness.store.delete(digest)
        }
    }

    @Test(arguments: BlobStoreKind.allCases)
    func aLocalFileHoldsTheBlob(_ kind: BlobStoreKind) async throws {
        try await kind.withStore { harness in
            let bytes = Fixtures.makeBytes(70_000, seed: 11)
            let digest = try await Fixtures.store(bytes, in: harness.store).digest
            let contents = try await harness.store.withLocalFile(for: digest) { path in
                try Data(contentsOf: URL(fileURLWithPath: path))
            }
            #expect([UInt8](contents) == bytes)
        }
    }

    @Test(arguments: BlobStoreKind.allCases)
    func aDeletedBlobIsGone(_ kind: BlobStoreKind) async throws {
        try await kind.withStore { harness in
            let kept = try await Fixtures.store(Fixtures.makeBytes(100, seed: 12), in: harness.store)
            let deleted = try await Fixtures.store(Fixtures.makeBytes(100, seed: 13), in: harness.store)
            try await harness.store.delete(deleted.digest)
            #expect(try await harness.store.size(of: deleted.digest) == nil)
            await #expect(throws: BlobStoreError.blobNotFound(deleted.digest)) { try await Fixtures.read(deleted.digest, from: harness.store) }
            try await harness.store.delete(deleted.digest)
            #expect(try await harness.store.size(of: kept.digest) == 100)
        }
    }
}
