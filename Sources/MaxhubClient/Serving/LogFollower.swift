import Foundation

/// Copies what a server appends to its log to another file (standard error, for a server in the foreground).
public final class LogFollower {
    public let path: String
    private let destination: FileHandle
    private var offset: UInt64 = 0

    public init(path: String, to destination: FileHandle = .standardError) {
        self.path = path
        self.destination = destination
    }

    /// Copies what was appended since the last call.
    public func forward() {
        guard let handle = FileHandle(forReadingAtPath: path) else { return }
        defer { try? handle.close() }
        try? handle.seek(toOffset: offset)
        guard let data = try? handle.readToEnd(), !data.isEmpty else { return }
        offset += UInt64(data.count)
        destination.write(data)
    }
}
