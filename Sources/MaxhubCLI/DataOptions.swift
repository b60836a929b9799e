import ArgumentParser
import Foundation
import MaxhubServer
import MaxhubStore

/// The hub's data folder, for `maxhub serve` and the operator's `maxhub admin` commands.
struct DataOptions: ParsableArguments {
    @Option(name: .customLong("data"), help: "The data folder (default: $MAXHUB_DATA, else ~/.local/share/maxhub).")
    var data: String?

    var folder: String {
        if let data { return data }
        let environment = ProcessInfo.processInfo.environment
        if let data = environment["MAXHUB_DATA"], !data.isEmpty { return data }
        let base = environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (NSHomeDirectory() as NSString).appendingPathComponent(".local/share")
        return (base as NSString).appendingPathComponent("maxhub")
    }

    var catalogPath: String { (folder as NSString).appendingPathComponent(HubServer.catalogFileName) }

    /// The catalog and the blobs of an existing data folder (a folder with no catalog is an error, not a new hub).
    func open() throws -> (SQLiteCatalogStore, FileBlobStore) {
        guard FileManager.default.fileExists(atPath: catalogPath) else {
            throw CLIFailure("\(folder) holds no hub (no \(HubServer.catalogFileName)); pass --data DIR", code: .notFound)
        }
        do {
            return (try SQLiteCatalogStore(path: catalogPath), FileBlobStore(root: folder))
        } catch {
            throw CLIFailure("cannot open \(catalogPath): \(error)")
        }
    }
}
