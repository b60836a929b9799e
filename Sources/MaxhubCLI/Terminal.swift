import Foundation

/// Writes lines to the standard streams without buffering surprises between them.
struct Terminal {
    let handle: FileHandle

    static let standardOutput = Terminal(handle: .standardOutput)
    static let standardError = Terminal(handle: .standardError)

    func writeLine(_ line: String) {
        handle.write(Data((line + "\n").utf8))
    }
}
