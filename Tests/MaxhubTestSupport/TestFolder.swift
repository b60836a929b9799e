import Foundation

/// A fresh temp folder for one test, removed by `remove()`.
public struct TestFolder: Sendable {
    public let path: String

    public init(prefix: String = "maxhub-tests") throws {
        path = try makeTemporaryFolder(prefix)
    }

    public func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// The path of `relative` inside the folder.
    public func path(_ relative: String) -> String { path + "/" + relative }

    @discardableResult
    public func write(_ relative: String, _ bytes: [UInt8], mode: Int = 0o644) throws -> String {
        let target = path(relative)
        let folder = (target as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        guard FileManager.default.createFile(atPath: target, contents: Data(bytes)) else {
            throw POSIXError(.EIO)
        }
        try chmod(relative, mode)
        return target
    }

    @discardableResult
    public func write(_ relative: String, _ text: String, mode: Int = 0o644) throws -> String {
        try write(relative, Array(text.utf8), mode: mode)
    }

    public func makeFolder(_ relative: String) throws {
        try FileManager.default.createDirectory(atPath: path(relative), withIntermediateDirectories: true)
    }

    public func chmod(_ relative: String, _ mode: Int) throws {
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path(relative))
    }

    public func read(_ relative: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: path(relative))))
    }

    public func contents(_ relative: String = "") throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: relative.isEmpty ? path : path(relative)).sorted()
    }

    public func exists(_ relative: String) -> Bool {
        var status = stat()
        return lstat(path(relative), &status) == 0
    }

    /// The regular files under `relative`, as paths relative to it, sorted.
    public func files(under relative: String = "") -> [String] {
        let base = relative.isEmpty ? path : path(relative)
        guard let enumerator = FileManager.default.enumerator(atPath: base) else { return [] }
        var files: [String] = []
        while let item = enumerator.nextObject() as? String {
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: base + "/" + item, isDirectory: &isFolder), !isFolder.boolValue {
                files.append(item)
            }
        }
        return files.sorted()
    }
}

/// A new, empty folder under the system's temp folder, its path resolved (so that paths compare with what the code
/// under test resolves: macOS's /var is /private/var).
public func makeTemporaryFolder(_ prefix: String) throws -> String {
    var template = Array((NSTemporaryDirectory() + "/\(prefix)-XXXXXX").utf8CString)
    let made = template.withUnsafeMutableBufferPointer { buffer in buffer.baseAddress.flatMap { mkdtemp($0) } }
    guard let made else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
    return URL(fileURLWithPath: String(cString: made)).resolvingSymlinksInPath().path
}

/// Deterministic bytes that do not compress: a linear congruential generator.
public func makeNoise(count: Int, seed: UInt64) -> [UInt8] {
    var state = seed
    return (0..<count).map { _ in
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return UInt8(truncatingIfNeeded: state >> 33)
    }
}
