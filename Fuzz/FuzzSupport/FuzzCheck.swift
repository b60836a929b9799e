import Foundation

/// The invariants a fuzz target checks: a broken one stops the process, which libFuzzer records as a crash and
/// keeps the input that caused it.
public enum FuzzCheck {
    /// Stops with `message` (and the input, as text) when `condition` is false.
    public static func expect(
        _ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String, input: String,
        file: StaticString = #file, line: UInt = #line,
    ) {
        guard !condition() else { return }
        fatalError("\(message()) — input: \(input.debugDescription)", file: file, line: line)
    }
}
