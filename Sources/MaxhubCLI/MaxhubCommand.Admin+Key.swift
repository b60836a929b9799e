import ArgumentParser
import Foundation
import MaxhubCore
import MaxhubStore

extension MaxhubCommand.Admin {
    struct Key: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The hub's signing keys: list them, or rotate to a new one.",
            discussion: """
                The hub signs every approval with its newest ECDSA P-256 key, kept in the catalog (the data folder's \
                catalog.sqlite, or the database) so that every replica signs with it. A rotation adds a key; older keys \
                are kept, and versions they signed still verify with them (GET /api/v1/signing-keys lists them all).
                """,
            subcommands: [List.self, Rotate.self]
        )

        static func describe(_ keys: [SigningKeyRecord]) {
            for (index, key) in keys.enumerated() {
                let role = index == keys.count - 1 ? "signs" : "verifies"
                Terminal.standardOutput.writeLine(
                    "\(key.fingerprint)  \(HubJSON.format(key.createdAt))  \(key.createdBy)  \(role)")
            }
        }

        struct List: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "List the signing keys, oldest first: sha256 of the PEM, made, by whom.")

            @OptionGroup var data: DataOptions

            func run() async throws {
                let keys = try await data.withCatalog { catalog, _ in try await catalog.signingKeys() }
                guard !keys.isEmpty else {
                    Terminal.standardOutput.writeLine("no signing key yet: the hub makes one when it first starts")
                    return
                }
                Key.describe(keys)
            }
        }

        struct Rotate: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Make a new signing key, which signs from now on; the older ones are kept for verification.")

            @OptionGroup var data: DataOptions

            func run() async throws {
                let key = HubSigningKey()
                let user = ProcessInfo.processInfo.environment["USER"].flatMap { $0.isEmpty ? nil : $0 } ?? "admin"
                let keys = try await data.withCatalog { catalog, _ in
                    _ = try await catalog.addSigningKey(
                        NewSigningKey(
                            fingerprint: key.publicKey.fingerprint, publicKeyPEM: key.publicKey.pem, privateKeyPEM: key.pem,
                            createdBy: "maxhub admin key rotate (\(user))", at: Date()),
                        onlyIfNone: false)
                    return try await catalog.signingKeys()
                }
                Terminal.standardOutput.writeLine("rotated: approvals are signed with \(key.publicKey.fingerprint) from now on")
                Key.describe(keys)
            }
        }
    }
}
