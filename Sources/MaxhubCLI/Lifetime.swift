import ArgumentParser

/// A length of time on the command line: a number and a unit, `90s`, `15m`, `12h` or `30d`.
struct Lifetime: ExpressibleByArgument, CustomStringConvertible {
    var seconds: Int64
    var description: String

    init?(argument: String) {
        guard let unit = argument.last, let count = Int64(argument.dropLast()), count > 0 else { return nil }
        let scale: Int64
        switch unit {
        case "s": scale = 1
        case "m": scale = 60
        case "h": scale = 3600
        case "d": scale = 86400
        default: return nil
        }
        let (seconds, overflow) = count.multipliedReportingOverflow(by: scale)
        guard !overflow else { return nil }
        self.seconds = seconds
        description = argument
    }

    static var defaultCompletionKind: CompletionKind { .default }
}
