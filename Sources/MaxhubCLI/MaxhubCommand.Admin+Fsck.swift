import ArgumentParser
import Foundation
import MaxhubCore
import MaxhubStore

extension MaxhubCommand.Admin {
    struct Fsck: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "fsck",
            abstract: "Re-hash every blob; name each corrupt or missing one and the versions and pushed manifests that use it (exit 4).",
            discussion: """
                --repair moves each corrupt blob to quarantine/ (in the data folder, or the bucket), after which the hub \
                answers its digest as missing and an upload of the right bytes (maxhub publish of the same package) \
                repairs it. Also checks the catalog: SQLite's integrity check, or PostgreSQL's cross-table rules.
                """
        )

        @OptionGroup var data: DataOptions

        @Flag(help: "Move each corrupt blob to quarantine.")
        var repair = false

        func run() async throws {
            try await data.withStores { catalog, blobs in try await check(catalog, blobs) }
        }

        private func check(_ catalog: any CatalogMaintenance, _ blobs: any BlobMaintenance) async throws {
            let users = try await catalog.blobUsers()
            let stored = try await blobs.storedBlobs()
            let total = stored.reduce(0) { $0 + $1.size }
            let progress = TransferProgress(label: "fsck", total: total)
            var done: Int64 = 0
            var corrupt = 0
            for blob in stored {
                let holds = try await blobs.holdsItsBytes(blob.digest) { count in
                    done += count
                    progress.update(done)
                }
                guard holds == false else { continue }
                corrupt += 1
                progress.finish()
                let usedBy = users[blob.digest].map { "used by " + $0.joined(separator: ", ") } ?? "used by nothing"
                var line = "corrupt: \(blob.digest) (\(ByteCount.format(blob.size))), \(usedBy)"
                if repair {
                    let path = try await blobs.quarantine(blob.digest)
                    line += "; quarantined at \(path)"
                }
                Terminal.standardOutput.writeLine(line)
            }
            progress.finish()
            let present = Set(stored.map(\.digest))
            let missing = users.filter { !present.contains($0.key) }.sorted { $0.key.description < $1.key.description }
            for (digest, references) in missing {
                Terminal.standardOutput.writeLine("missing: \(digest), used by \(references.joined(separator: ", "))")
            }
            let integrity = try await catalog.integrityCheck()
            let unreferenced = stored.filter { users[$0.digest] == nil }.count
            Terminal.standardOutput.writeLine(
                "checked \(stored.count) blob\(stored.count == 1 ? "" : "s") (\(ByteCount.format(total))): \(corrupt) corrupt, "
                    + "\(missing.count) missing, \(unreferenced) used by nothing; catalog integrity: \(integrity)")
            if corrupt > 0 && !repair {
                Terminal.standardError.writeLine("maxhub admin fsck --repair quarantines the corrupt blobs")
            }
            guard corrupt == 0, missing.isEmpty, integrity == "ok" else {
                throw CLIFailure("\(data.hubPlace) has damage: see above", code: .verificationFailed)
            }
        }
    }
}
