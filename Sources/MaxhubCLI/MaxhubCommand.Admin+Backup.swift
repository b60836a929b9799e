import ArgumentParser
import Foundation
import MaxhubServer
import MaxhubStore

extension MaxhubCommand.Admin {
    struct Backup: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Copy the hub's catalog (and, on files, its blobs) into a new folder while it serves.",
            discussion: """
                The catalog is copied first, as one consistent snapshot while the hub keeps writing: SQLite's online \
                backup (DEST/catalog.sqlite, which maxhub serve --data DEST serves), or pg_dump with --database \
                (DEST/catalog.pgdump, for pg_restore). Then every blob of a data folder: a version's archive is stored \
                before the version is, so each version in the copy has its archive. Blobs in a bucket (--blobs) stay \
                there, for the object store's own versioning or replication. Uploads in progress are not copied.
                """
        )

        @OptionGroup var data: DataOptions

        @Argument(help: "A folder that does not exist yet, or is empty.")
        var destination: String

        func run() async throws {
            let files = FileManager.default
            if let entries = try? files.contentsOfDirectory(atPath: destination), !entries.isEmpty {
                throw CLIFailure("\(destination) is not empty; back up into a new folder")
            }
            do {
                try files.createDirectory(atPath: destination, withIntermediateDirectories: true)
            } catch {
                throw CLIFailure("cannot create \(destination): \(error.localizedDescription)")
            }
            try await data.withStores { catalog, blobs in
                var restore: [String] = []
                if let sqlite = catalog as? SQLiteCatalogStore {
                    try await sqlite.backup(toPath: (destination as NSString).appendingPathComponent(HubServer.catalogFileName))
                } else if let url = data.databaseURL {
                    let dump = (destination as NSString).appendingPathComponent(Self.dumpFileName)
                    try Self.dumpPostgres(url, to: dump)
                    Terminal.standardOutput.writeLine("dumped the catalog with pg_dump into \(dump)")
                    restore.append("pg_restore --dbname URL \(dump) restores the catalog into an empty database")
                }
                if let folder = blobs as? FileBlobStore {
                    try await copyBlobs(folder, servedAs: catalog is SQLiteCatalogStore ? "; maxhub serve --data \(destination) serves it" : "")
                } else {
                    Terminal.standardOutput.writeLine(
                        "the blobs stay in \(blobs.place): keep them with the object store's own versioning or replication; "
                            + "each version's archive was stored before the version, so the catalog copy refers only to blobs there")
                }
                let token = (data.folder as NSString).appendingPathComponent(HubServer.adminTokenFileName)
                if files.fileExists(atPath: token) {
                    let target = (destination as NSString).appendingPathComponent(HubServer.adminTokenFileName)
                    try? files.copyItem(atPath: token, toPath: target)
                    chmod(target, 0o600)
                }
                for line in restore { Terminal.standardOutput.writeLine(line) }
            }
        }

        /// Every blob of the folder, after the catalog: a blob collected meanwhile was used by no version in the copy.
        private func copyBlobs(_ blobs: FileBlobStore, servedAs serving: String) async throws {
            let files = FileManager.default
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
                    continue
                } catch {
                    throw CLIFailure("cannot copy \(source) to \(target): \(error.localizedDescription)")
                }
                done += blob.size
                progress.update(done)
            }
            progress.finish()
            Terminal.standardOutput.writeLine(
                "backed up the catalog and \(stored.count) blob\(stored.count == 1 ? "" : "s") (\(ByteCount.format(done))) into \(destination)\(serving)")
        }

        static let dumpFileName = "catalog.pgdump"

        /// pg_dump's custom format: one consistent snapshot of the database, taken while the hubs keep writing.
        static func dumpPostgres(_ url: String, to path: String) throws {
            guard let program = pgDump() else {
                throw CLIFailure("backing up a PostgreSQL catalog needs pg_dump (Debian: postgresql-client), and none is on PATH")
            }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: program)
            process.arguments = ["--format=custom", "--no-owner", "--file", path, "--dbname", url]
            let errors = Pipe()
            process.standardError = errors
            process.standardOutput = FileHandle.nullDevice
            do {
                try process.run()
            } catch {
                throw CLIFailure("cannot run \(program): \(error.localizedDescription)")
            }
            let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            guard process.terminationStatus == 0 else {
                throw CLIFailure("pg_dump failed (exit \(process.terminationStatus)): \(message.trimmingCharacters(in: .whitespacesAndNewlines))")
            }
        }

        /// pg_dump on PATH, else the newest of Debian's /usr/lib/postgresql/VERSION/bin.
        static func pgDump() -> String? {
            let files = FileManager.default
            let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
            for folder in path.split(separator: ":") where files.isExecutableFile(atPath: "\(folder)/pg_dump") {
                return "\(folder)/pg_dump"
            }
            let root = "/usr/lib/postgresql"
            return ((try? files.contentsOfDirectory(atPath: root)) ?? [])
                .sorted { (Int($0) ?? 0) > (Int($1) ?? 0) }
                .map { "\(root)/\($0)/bin/pg_dump" }
                .first { files.isExecutableFile(atPath: $0) }
        }
    }
}
