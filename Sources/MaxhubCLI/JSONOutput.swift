import Foundation
import MaxhubCore

/// Encodes values for `--json` output: pretty, sorted keys, ISO 8601 times, stable.
enum JSONOutput {
    static func write<T: Encodable>(_ value: T) throws {
        let encoder = HubJSON.encoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(value)
        Terminal.standardOutput.writeLine(String(decoding: data, as: UTF8.self))
    }
}
