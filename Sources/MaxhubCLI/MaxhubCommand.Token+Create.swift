import ArgumentParser
import MaxhubClient
import MaxhubCore

extension MaxhubCommand.Token {
    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make a token and print it, alone, on standard output.",
            discussion: "The hub keeps only a hash of the token: this is the one time it is shown."
        )

        @OptionGroup var hub: HubOptions

        @Option(help: "Who the token is for, as the audit log will name them.")
        var user: String

        @Option(name: .customLong("role"), help: "reader, curator, reviewer or admin; repeat for several.")
        var roles: [Role]

        @Option(help: ArgumentHelp("How long the token works: 90s, 15m, 12h, 30d (default: until revoked).", valueName: "LIFETIME"))
        var expires: Lifetime?

        @Flag(help: "Print the token's details as JSON instead of the token alone.")
        var json = false

        func validate() throws {
            guard !roles.isEmpty else { throw ValidationError("give at least one --role") }
        }

        func run() async throws {
            let token = try await hub.client().createToken(user: user, roles: roles, expiresInSeconds: expires?.seconds)
            if json {
                try JSONOutput.write(token)
            } else {
                Terminal.standardOutput.writeLine(token.token ?? "")
            }
        }
    }
}
