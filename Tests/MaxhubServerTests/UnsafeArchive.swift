import Foundation

/// Archives that `maxhub pack` would never write, made with Python's tarfile module (it writes what it is told).
enum UnsafeArchive {
    static func withEntry(_ name: String, contents: String) throws -> [UInt8] {
        let folder = try makeTemporaryFolder("maxhub-unsafe")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let output = folder + "/unsafe.tar.gz"
        let script = """
            import io, sys, tarfile
            data = sys.argv[3].encode()
            with tarfile.open(sys.argv[1], "w:gz") as archive:
                info = tarfile.TarInfo(sys.argv[2])
                info.size = len(data)
                archive.addfile(info, io.BytesIO(data))
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        let python = ProcessInfo.processInfo.environment["MAXHUB_PYTHON"] ?? "python3"
        process.arguments = [python, "-c", script, output, name, contents]
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw POSIXError(.EIO) }
        return try [UInt8](Data(contentsOf: URL(fileURLWithPath: output)))
    }
}
