import ArgumentParser

/// The `maxhub` command line: one binary for curators, reviewers and developers.
public struct MaxhubCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "maxhub",
        abstract: "Publish, review, pull, verify and run versioned model packages.",
        subcommands: []
    )

    public init() {}
}
