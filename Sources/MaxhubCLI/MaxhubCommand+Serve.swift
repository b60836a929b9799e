import ArgumentParser
import Foundation
import Logging
import MaxhubServer

extension MaxhubCommand {
    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run the hub: the catalog API and blob store, on SQLite and files under one data folder, or PostgreSQL and S3.",
            discussion: """
                An empty data folder gets its database and a first admin token, written to DIR/admin.token (mode 0600) \
                and printed once. SIGINT or SIGTERM stops the hub gracefully.
                """
        )

        @OptionGroup var data: DataOptions

        @Option(help: "The address to listen on.")
        var host = "127.0.0.1"

        @Option(help: "The port to listen on (0 picks a free one).")
        var port = 8080

        @Option(name: .customLong("max-upload-size"), help: "The largest blob an upload may carry, in bytes.")
        var maxUploadSize: Int64 = 16 << 30

        @Flag(name: .customLong("no-anonymous-read"), help: "Require a token to read the catalog and download blobs.")
        var noAnonymousRead = false

        @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.")
        var logLevel = "info"

        @Option(
            name: .customLong("blob-redirect"),
            help: "With --blobs: answer downloads with 307 to a presigned URL of the store (true), or stream them through the hub (false).")
        var blobRedirect = true

        func validate() throws {
            guard (0...65535).contains(port) else { throw ValidationError("--port must be from 0 to 65535") }
            guard maxUploadSize > 0 else { throw ValidationError("--max-upload-size must be positive") }
            guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("unknown --log-level \"\(logLevel)\"") }
        }

        func run() async throws {
            let level = Logger.Level(rawValue: logLevel) ?? .info
            LoggingSystem.bootstrap { label in ServerLogHandler(label: label, level: level) }
            let configuration = HubConfiguration(
                dataDirectory: data.folder,
                host: host,
                port: port,
                maxUploadSize: maxUploadSize,
                anonymousRead: !noAnonymousRead,
                logLevel: level,
                databaseURL: data.databaseURL,
                blobsLocation: data.blobsLocation,
                blobRedirect: blobRedirect
            )
            do {
                try await HubServer.run(configuration) { announcement in
                    if let token = announcement.adminToken {
                        let file = (configuration.dataDirectory as NSString).appendingPathComponent(HubServer.adminTokenFileName)
                        Terminal.standardOutput.writeLine("admin token (saved in \(file)): \(token)")
                    }
                    Terminal.standardOutput.writeLine("maxhub listening on \(announcement.url)")
                }
            } catch HubServerError.cannotStart(let reason) {
                throw CLIFailure("cannot start the hub: \(reason)")
            } catch {
                throw CLIFailure("the hub stopped: \(error)")
            }
        }
    }
}
