import ArgumentParser
import Foundation
import MaxhubCore
import MaxhubStore

extension MaxhubCommand.Admin {
    struct GarbageCollect: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "gc",
            abstract: "Remove the blobs no version or pushed manifest uses, and abandoned uploads, older than the grace period.",
            discussion: """
                A blob is kept while any version or pushed manifest uses it, or while it was stored or renewed within --grace: an upload of \
                it, or a curator's HEAD before a publish, renews it, so a publish running meanwhile keeps its archive. \
                Each blob is checked again just before it goes.
                """
        )

        @OptionGroup var data: DataOptions

        @Option(help: "Keep what was stored or touched within this time: 90s, 15m, 24h, 30d.")
        var grace = Lifetime(argument: "24h")!

        @Flag(name: .customLong("dry-run"), help: "List what would be removed, and remove nothing.")
        var dryRun = false

        func run() async throws {
            try await data.withStores { catalog, blobs in try await collect(catalog, blobs) }
        }

        private func collect(_ catalog: any CatalogMaintenance, _ blobs: any BlobMaintenance) async throws {
            let cutoff = Date().addingTimeInterval(-Double(grace.seconds))
            let used = try await catalog.blobUsers()
            let verb = dryRun ? "would remove" : "removed"
            var removedBlobs = 0
            var removedBytes: Int64 = 0
            for blob in try await blobs.storedBlobs() where used[blob.digest] == nil && blob.modified < cutoff {
                if dryRun {
                    Terminal.standardOutput.writeLine("\(verb) blob \(blob.digest) (\(ByteCount.format(blob.size)))")
                } else {
                    // A version published since the list was read keeps its archive.
                    guard try await !catalog.blobIsReferenced(blob.digest),
                        try await blobs.remove(blob.digest, ifUnmodifiedSince: cutoff)
                    else { continue }
                    Terminal.standardOutput.writeLine("\(verb) blob \(blob.digest) (\(ByteCount.format(blob.size)))")
                }
                removedBlobs += 1
                removedBytes += blob.size
            }
            var removedUploads = 0
            var uploadBytes: Int64 = 0
            for upload in try await blobs.staleUploads(before: cutoff) {
                if !dryRun { try await blobs.cancelUpload(upload.id) }
                Terminal.standardOutput.writeLine("\(verb) upload \(upload.id) (\(ByteCount.format(upload.size)))")
                removedUploads += 1
                uploadBytes += upload.size
            }
            Terminal.standardOutput.writeLine(
                "\(verb) \(removedBlobs) blob\(removedBlobs == 1 ? "" : "s") (\(ByteCount.format(removedBytes))) and \(removedUploads) "
                    + "upload\(removedUploads == 1 ? "" : "s") (\(ByteCount.format(uploadBytes))) older than \(grace)")
        }
    }
}
