import ArgumentParser
import MaxhubCore

/// `NAME@VERSION` on the command line: one exact version of a model.
struct VersionReference: ExpressibleByArgument, CustomStringConvertible {
    var name: ModelName
    var version: Version

    init?(argument: String) {
        guard let at = argument.firstIndex(of: "@"),
            let name = try? ModelName(parsing: String(argument[..<at])),
            let version = try? Version(parsing: String(argument[argument.index(after: at)...]))
        else { return nil }
        self.name = name
        self.version = version
    }

    var description: String { "\(name)@\(version)" }

    static var defaultCompletionKind: CompletionKind { .default }
}
