import Foundation

/// The folders of `PATH`, where programs such as `bwrap`, `docker` and a model's `serving.command` are looked up.
public struct ProgramSearchPath: Sendable, Equatable {
    public var folders: [String]

    public init(folders: [String]) {
        self.folders = folders
    }

    /// The folders of `environment["PATH"]`, or the usual ones when it is not set.
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        let path = environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        folders = path.split(separator: ":").map(String.init)
    }

    /// The path of the program `name` in the first folder that has it, if any.
    public func find(_ name: String) -> String? {
        for folder in folders {
            let candidate = "\(folder)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}
