import ArgumentParser
import Foundation
import MaxhubClient
import MaxhubCore

extension MaxhubCommand.Token {
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List every token: id, user, roles, when made and by whom, revoked.")

        @OptionGroup var hub: HubOptions

        @Flag(help: "Print the tokens as JSON.")
        var json = false

        func run() async throws {
            let tokens = try await hub.client().tokens()
            if json { return try JSONOutput.write(tokens) }
            for token in tokens {
                var line = "\(token.id)  \(token.user)  \(token.roles.map(\.rawValue).joined(separator: ","))  "
                    + "made \(HubJSON.format(token.createdAt)) by \(token.createdBy)"
                if let expires = token.expiresAt {
                    line += "  \(expires <= Date() ? "expired" : "expires") \(HubJSON.format(expires))"
                }
                if let revoked = token.revokedAt { line += "  revoked \(HubJSON.format(revoked))" }
                Terminal.standardOutput.writeLine(line)
            }
        }
    }
}
