import Foundation

/// Runs a program to its end with its output in temporary files, never in pipes.
///
/// Tests run at once and start processes that live on (hubs, PostgreSQL, SeaweedFS). A process started while a pipe
/// is open inherits the pipe's write end, and reading that pipe to its end would then wait for the other process to
/// exit: PostgreSQL's launch once waited on `initdb`'s output while SeaweedFS, started at the same moment, held it.
/// A file has no such end to wait for: the program's exit is the end.
public enum ToolRun {
    public struct Result: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
        /// Both streams, stdout first.
        public var output: String { stdout + stderr }
    }

    public static func run(
        _ executable: String, _ arguments: [String], environment: [String: String]? = nil, input: FileHandle? = nil
    ) throws -> Result {
        let folder = FileManager.default.temporaryDirectory.path + "/maxhub-tool-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        FileManager.default.createFile(atPath: folder + "/stdout", contents: nil)
        FileManager.default.createFile(atPath: folder + "/stderr", contents: nil)
        let stdout = try FileHandle(forWritingTo: URL(fileURLWithPath: folder + "/stdout"))
        let stderr = try FileHandle(forWritingTo: URL(fileURLWithPath: folder + "/stderr"))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment { process.environment = environment }
        process.standardOutput = stdout
        process.standardError = stderr
        process.standardInput = input ?? FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            try? stdout.close()
            try? stderr.close()
            throw error
        }
        process.waitUntilExit()
        try? stdout.close()
        try? stderr.close()
        // Decoded leniently: a program may print bytes that are not UTF-8 (curl printing a blob, say).
        let out = String(decoding: FileManager.default.contents(atPath: folder + "/stdout") ?? Data(), as: UTF8.self)
        let err = String(decoding: FileManager.default.contents(atPath: folder + "/stderr") ?? Data(), as: UTF8.self)
        return Result(status: process.terminationStatus, stdout: out, stderr: err)
    }

    /// A pipe whose ends no other process inherits (each test process's child gets the end it is given, duplicated).
    public static func privatePipe() -> Pipe {
        let pipe = Pipe()
        _ = fcntl(pipe.fileHandleForReading.fileDescriptor, F_SETFD, FD_CLOEXEC)
        _ = fcntl(pipe.fileHandleForWriting.fileDescriptor, F_SETFD, FD_CLOEXEC)
        return pipe
    }
}
