import ArgumentParser
import Foundation
import MaxhubClient
import MaxhubCore

extension MaxhubCommand {
    /// `maxhub resolve RANGE --versions V1,V2,...`: SemVer resolution, offline against a list; `maxhub resolve
    /// NAME@RANGE`: the version the hub picks.
    struct Resolve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Resolve a version range against a list of versions, or a model's range on the hub.",
            discussion: """
                With --versions, prints the highest version in the list that satisfies RANGE (node-semver grammar and
                semantics: ^1.2, ~1.2.3, >=1.2 <2, 1.x, 1.0.0 - 2.0.0, a || b, ...) and exits 0, or says why
                none does and exits 3. Prereleases are considered only when a comparator names one on the
                same major.minor.patch, or with --pre. A malformed range exits 2.

                Without --versions, the argument is NAME or NAME@RANGE and the hub answers: the highest approved,
                non-yanked version that satisfies the range (exit 3 when none does).
                """
        )

        @OptionGroup var hub: HubOptions

        @Argument(help: "RANGE (with --versions), or NAME[@RANGE] to ask the hub; for example \"^1.2\" or digits@^1.")
        var range: String

        @Option(
            name: .customLong("versions"),
            help: ArgumentHelp("The candidate versions, comma separated (resolves offline).", valueName: "V1,V2,...")
        )
        var versions: String?

        @Flag(name: .customLong("pre"), help: "Let prerelease versions satisfy any range.")
        var includePrerelease = false

        @Flag(help: "Print the result as JSON.")
        var json = false

        func validate() throws {
            guard versions != nil else { return }
            do {
                _ = try VersionRange(parsing: range)
            } catch {
                throw ValidationError(error.description)
            }
        }

        func run() async throws {
            guard let versions else { return try await resolveOnHub() }
            let parsedRange = try VersionRange(parsing: range)
            let candidates = versions.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            let valid = candidates.compactMap { try? Version(parsing: $0) }
            let chosen = parsedRange.highestSatisfying(valid, includePrerelease: includePrerelease)
            if json {
                try JSONOutput.write(Result(range: range, resolved: chosen?.description, candidates: candidates.count))
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

        private func resolveOnHub() async throws {
            let reference: PackageReference
            do {
                reference = try PackageReference(parsing: range)
            } catch {
                throw CLIFailure(error.description + " (to resolve a range against a list, pass --versions V1,V2,...)", code: .usage)
            }
            let resolution = try await hub.client().resolve(reference.name, range: reference.rangeText, includePrerelease: includePrerelease)
            if json { return try JSONOutput.write(resolution) }
            Terminal.standardOutput.writeLine(resolution.version.description)
        }

        /// What `--versions ... --json` prints.
        struct Result: Encodable {
            var range: String
            var resolved: String?
            var candidates: Int
        }
    }
}
