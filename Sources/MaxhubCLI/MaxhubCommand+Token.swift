import ArgumentParser
import Foundation
import MaxhubClient
import MaxhubCore

extension MaxhubCommand {
    struct Token: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Manage the hub's bearer tokens (admin).",
            subcommands: [Create.self, List.self, Revoke.self]
        )
    }
}

extension Role: ExpressibleByArgument {}

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

        @Flag(help: "Print the token's details as JSON instead of the token alone.")
        var json = false

        func validate() throws {
            guard !roles.isEmpty else { throw ValidationError("give at least one --role") }
        }

        func run() async throws {
            let token: TokenInfo
            do {
                token = try await hub.client().createToken(user: user, roles: roles)
            } catch let error as HubClientError {
                throw CLIFailure(error)
            }
            if json {
                try JSONOutput.write(token)
            } else {
                Terminal.standardOutput.writeLine(token.token ?? "")
            }
        }
    }
}

extension MaxhubCommand.Token {
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List every token: id, user, roles, when made and by whom, revoked.")

        @OptionGroup var hub: HubOptions

        @Flag(help: "Print the tokens as JSON.")
        var json = false

        func run() async throws {
            let tokens = try await hub.call { try await $0.tokens() }
            if json { return try JSONOutput.write(tokens) }
            for token in tokens {
                var line = "\(token.id)  \(token.user)  \(token.roles.map(\.rawValue).joined(separator: ","))  "
                    + "made \(HubJSON.format(token.createdAt)) by \(token.createdBy)"
                if let revoked = token.revokedAt { line += "  revoked \(HubJSON.format(revoked))" }
                Terminal.standardOutput.writeLine(line)
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a token by its id; it stops working at once.")

        @OptionGroup var hub: HubOptions

        @Argument(help: "The token's id, as `maxhub token list` shows it.")
        var id: Int64

        func run() async throws {
            let token = try await hub.call { try await $0.revokeToken(id: id) }
            Terminal.standardOutput.writeLine("revoked token \(token.id) of \(token.user)")
        }
    }
}
