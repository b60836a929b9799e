import ArgumentParser
import Foundation
import MaxhubServer
import MaxhubStore

extension MaxhubCommand.Admin {
    struct Backup: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Copy the hub's catalog and blobs into a new folder while it serves; maxhub serve --data DEST restores.",
            discussion: """
                The catalog is copied first, with SQLite's online backup (a consistent snapshot, the hub keeps \
                writing), then every blob: a version's archive is stored before the version is, so each version in the \
                copy has its archive. Uploads in progress are not copied.
                """
        )

        @OptionGroup var data: DataOptions

        @Argument(help: "A folder that does not exist yet, or is empty.")
        var destination: String

        func run() async throws {
            let (catalog, blobs) = try data.open()
            let files = FileManager.default
            if let entries = try? files.contentsOfDirectory(atPath: destination), !entries.isEmpty {
                throw CLIFailure("\(destination) is not empty; back up into a new folder")
            }
            do {
                try files.createDirectory(atPath: destination, withIntermediateDirectories: true)
            } catch {
                throw CLIFailure("cannot create \(destination): \(error.localizedDescription)")
            }
            try await catalog.backup(toPath: (destination as NSString).appendingPathComponent(HubServer.catalogFileName))
            let stored = try await blobs.storedBlobs()
            let copy = FileBlobStore(root: destination)
            let progress = TransferProgress(label: "backup", total: stored.reduce(0) { $0 + $1.size })
            var done: Int64 = 0
            for blob in stored {
                let source = blobs.path(of: blob.digest)
                let target = copy.path(of: blob.digest)
                do {
                    try files.createDirectory(atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                    try files.copyItem(atPath: source, toPath: target)
                } catch where !files.fileExists(atPath: source) {
                    continue  // collected meanwhile; no version in the copy uses it
                } catch {
                    throw CLIFailure("cannot copy \(source) to \(target): \(error.localizedDescription)")
                }
                done += blob.size
                progress.update(done)
            }
            progress.finish()
            let token = (data.folder as NSString).appendingPathComponent(HubServer.adminTokenFileName)
            if files.fileExists(atPath: token) {
                let target = (destination as NSString).appendingPathComponent(HubServer.adminTokenFileName)
                try? files.copyItem(atPath: token, toPath: target)
                chmod(target, 0o600)
            }
            Terminal.standardOutput.writeLine(
                "backed up the catalog and \(stored.count) blob\(stored.count == 1 ? "" : "s") (\(ByteCount.format(done))) into \(destination); "
                    + "maxhub serve --data \(destination) serves it")
        }
    }
}
