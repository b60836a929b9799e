import ArgumentParser
import Foundation
import MaxhubClient
import MaxhubCore

extension MaxhubCommand {
    /// `maxhub login [--url URL] [--token TOKEN]`: checks a token against the hub and saves both in the configuration
    /// file, so that later commands need neither flags nor environment.
    struct Login: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check a token against the hub and save the URL and token in ~/.config/maxhub/config.yaml.",
            discussion: """
                Without --token the token is read from standard input (one line; not echoed on a terminal). The file is \
                written with mode 0600 only after the hub has accepted the token; its `cache` setting is kept. \
                MAXHUB_CONFIG names another file.
                """
        )

        @Option(help: "The hub's URL (default: $MAXHUB_URL, then the saved URL, else http://127.0.0.1:8080).")
        var url: String?

        @Option(help: "The token to save (default: read from standard input).")
        var token: String?

        func run() async throws {
            let path = Environment.configurationPath
            var saved = try Environment.configuration()
            let hubURL = url ?? Environment.value("MAXHUB_URL") ?? saved.url ?? HubOptions.defaultURL
            guard let secret = (token ?? Self.readToken())?.trimmingCharacters(in: .whitespacesAndNewlines), !secret.isEmpty else {
                throw CLIFailure("no token given: pass --token TOKEN or type it on standard input", code: .usage)
            }
            let identity: WhoAmI
            do {
                identity = try await HubClient(baseURL: hubURL, token: secret).whoami()
            } catch let error as HubClientError {
                throw CLIFailure(error)
            }
            saved.url = hubURL
            saved.token = secret
            do {
                try saved.write(to: path)
            } catch {
                throw CLIFailure(error.description)
            }
            let roles = identity.roles.map(\.rawValue).joined(separator: ", ")
            Terminal.standardOutput.writeLine("logged in to \(hubURL) as \(identity.user) (\(roles)); saved in \(path)")
        }

        /// One line from standard input, with the terminal's echo off while it is typed.
        static func readToken() -> String? {
            guard isatty(STDIN_FILENO) == 1 else { return readLine(strippingNewline: true) }
            FileHandle.standardError.write(Data("token: ".utf8))
            var original = termios()
            tcgetattr(STDIN_FILENO, &original)
            var silent = original
            silent.c_lflag &= ~tcflag_t(ECHO)
            tcsetattr(STDIN_FILENO, TCSANOW, &silent)
            defer {
                tcsetattr(STDIN_FILENO, TCSANOW, &original)
                FileHandle.standardError.write(Data("\n".utf8))
            }
            return readLine(strippingNewline: true)
        }
    }
}
