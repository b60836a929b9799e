import ArgumentParser
import Foundation
import MaxhubCore

extension MaxhubCommand {
    /// `maxhub resolve RANGE --versions V1,V2,...`: SemVer resolution, offline against a list.
    struct Resolve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Resolve a version range against a list of versions.",
            discussion: """
                Prints the highest version in --versions that satisfies RANGE (node-semver grammar and
                semantics: ^1.2, ~1.2.3, >=1.2 <2, 1.x, 1.0.0 - 2.0.0, a || b, ...) and exits 0, or says why
                none does and exits 3. Prereleases are considered only when a comparator names one on the
                same major.minor.patch, or with --pre. A malformed range exits 2.
                """
        )

        @Argument(help: "The version range, for example \"^1.2\" or \">=1.2 <2\". Empty means any version.")
        var range: String

        @Option(
            name: .customLong("versions"),
            help: ArgumentHelp("The candidate versions, comma separated.", valueName: "V1,V2,...")
        )
        var versions: String

        @Flag(name: .customLong("pre"), help: "Let prerelease versions satisfy any range.")
        var includePrerelease = false

        @Flag(help: "Print the result as JSON.")
        var json = false

        func validate() throws {
            do {
                _ = try VersionRange(parsing: range)
            } catch {
                throw ValidationError(error.description)
            }
        }

        func run() async throws {
            let parsedRange = try VersionRange(parsing: range)
            let candidates = versions.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            let valid = candidates.compactMap { try? Version(parsing: $0) }
            let chosen = parsedRange.highestSatisfying(valid, includePrerelease: includePrerelease)
            if json {
                try JSONOutput.write(ResolveResult(range: range, resolved: chosen?.description, candidates: candidates.count))
                if chosen == nil { throw ExitCode(CLIFailure.Code.notFound.rawValue) }
                return
            }
            guard let chosen else {
                let invalid = candidates.count - valid.count
                let detail = invalid > 0 ? " (\(invalid) of them not valid SemVer)" : ""
                throw CLIFailure(
                    "no version satisfies \"\(range)\" among \(candidates.count) candidate\(candidates.count == 1 ? "" : "s")\(detail)",
                    code: .notFound
                )
            }
            Terminal.standardOutput.writeLine(chosen.description)
        }
    }

    struct ResolveResult: Encodable {
        var range: String
        var resolved: String?
        var candidates: Int
    }
}
