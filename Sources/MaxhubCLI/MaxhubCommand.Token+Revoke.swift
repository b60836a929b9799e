import ArgumentParser
import MaxhubClient
import MaxhubCore

extension MaxhubCommand.Token {
    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a token by its id; it stops working at once.")

        @OptionGroup var hub: HubOptions

        @Argument(help: "The token's id, as `maxhub token list` shows it.")
        var id: Int64

        func run() async throws {
            let token = try await hub.client().revokeToken(id: id)
            Terminal.standardOutput.writeLine("revoked token \(token.id) of \(token.user)")
        }
    }
}
