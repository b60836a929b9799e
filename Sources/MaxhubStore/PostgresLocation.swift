import Foundation
import PostgresNIO

/// Where a PostgreSQL catalog lives: `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?SETTINGS]` (or `postgresql://`),
/// with the user, password and database percent-encoded as in any URL.
///
/// The settings are libpq's, those the hub needs: `host=/FOLDER` connects through the server's unix socket in that
/// folder (`FOLDER/.s.PGSQL.PORT`) instead of TCP; `sslmode=` is `disable`, `prefer` (the default: TLS when the server
/// offers it), `require` (TLS or nothing) or `verify-full` (TLS with the server's certificate checked against its name);
/// `connect_timeout=SECONDS` bounds each connection attempt (5 by default).
struct PostgresLocation: Sendable, Equatable, CustomStringConvertible {
    enum Endpoint: Sendable, Equatable {
        case tcp(host: String, port: Int)
        /// The path of the socket file itself.
        case socket(path: String)
    }

    enum TLSMode: String, Sendable, CaseIterable {
        case disable, prefer, require
        case verifyFull = "verify-full"
    }

    var endpoint: Endpoint
    var user: String
    var password: String?
    var database: String
    var tls: TLSMode
    var connectTimeout: Duration

    static let form = "postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?host=/SOCKET/FOLDER&sslmode=MODE&connect_timeout=SECONDS]"

    init(parsing text: String) throws(CatalogStorageError) {
        func refuse(_ reason: String) -> CatalogStorageError {
            .cannotOpen(path: Self.redacted(text), reason: reason)
        }
        guard let components = URLComponents(string: text), let scheme = components.scheme,
            ["postgres", "postgresql"].contains(scheme.lowercased()), text.contains("://")
        else { throw refuse("it is not a PostgreSQL URL; expected \(Self.form)") }
        guard let user = components.user, !user.isEmpty else { throw refuse("it names no user; expected \(Self.form)") }
        let database = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        guard !database.isEmpty, !database.contains("/") else {
            throw refuse("it names no database (one path segment); expected \(Self.form)")
        }
        let port = components.port ?? 5432
        guard (1...65535).contains(port) else { throw refuse("\(port) is not a port number") }

        var settings: [String: String] = [:]
        for item in components.queryItems ?? [] {
            let names = ["host", "sslmode", "connect_timeout"]
            guard names.contains(item.name), let value = item.value, !value.isEmpty, settings[item.name] == nil else {
                throw refuse("unknown, empty or repeated setting \(item.name); it takes host=, sslmode= and connect_timeout=")
            }
            settings[item.name] = value
        }
        if let folder = settings["host"] {
            guard folder.hasPrefix("/") else { throw refuse("host=\(folder) is not the absolute path of a socket folder") }
            endpoint = .socket(path: (folder.hasSuffix("/") ? String(folder.dropLast()) : folder) + "/.s.PGSQL.\(port)")
        } else {
            var host = components.host ?? ""
            if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
            guard !host.isEmpty else { throw refuse("it names no host (nor a socket folder with host=); expected \(Self.form)") }
            endpoint = .tcp(host: host, port: port)
        }
        if let mode = settings["sslmode"] {
            guard let parsed = TLSMode(rawValue: mode) else {
                throw refuse("sslmode=\(mode) is not one of \(TLSMode.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            tls = parsed
        } else {
            tls = .prefer
        }
        if let seconds = settings["connect_timeout"] {
            guard let value = Int(seconds), value > 0 else { throw refuse("connect_timeout=\(seconds) is not a number of seconds") }
            connectTimeout = .seconds(value)
        } else {
            connectTimeout = .seconds(5)
        }
        self.user = user
        self.password = components.password
        self.database = database
    }

    /// The URL without its password, for messages and logs.
    var description: String {
        var text = "postgres://\(user)\(password == nil ? "" : ":***")@"
        switch endpoint {
        case .tcp(let host, let port):
            text += "\(host.contains(":") ? "[\(host)]" : host):\(port)/\(database)"
        case .socket(let path):
            text += "/\(database)?host=\((path as NSString).deletingLastPathComponent)"
        }
        return text
    }

    /// `text` with what stands where a password would be replaced by `***`.
    static func redacted(_ text: String) -> String {
        text.replacing(#/^(\w+://[^:@/]*):[^@/]*@/#) { match in "\(match.1):***@" }
    }

    /// What the hub's connection pool connects with.
    var clientConfiguration: PostgresClient.Configuration {
        var configuration: PostgresClient.Configuration
        switch endpoint {
        case .tcp(let host, let port):
            let tls: PostgresClient.Configuration.TLS =
                switch self.tls {
                case .disable: .disable
                case .prefer: .prefer(tlsConfiguration)
                case .require, .verifyFull: .require(tlsConfiguration)
                }
            configuration = .init(host: host, port: port, username: user, password: password, database: database, tls: tls)
        case .socket(let path):
            configuration = .init(unixSocketPath: path, username: user, password: password, database: database)
        }
        configuration.options.connectTimeout = connectTimeout
        return configuration
    }

    /// What a single connection outside the pool connects with (the one that checks the schema when the store opens).
    func connectionConfiguration() throws -> PostgresConnection.Configuration {
        var configuration: PostgresConnection.Configuration
        switch endpoint {
        case .tcp(let host, let port):
            let tls: PostgresConnection.Configuration.TLS =
                switch self.tls {
                case .disable: .disable
                case .prefer: .prefer(try NIOSSLContext(configuration: tlsConfiguration))
                case .require, .verifyFull: .require(try NIOSSLContext(configuration: tlsConfiguration))
                }
            configuration = .init(host: host, port: port, username: user, password: password, database: database, tls: tls)
        case .socket(let path):
            configuration = .init(unixSocketPath: path, username: user, password: password, database: database)
        }
        configuration.options.connectTimeout = TimeAmount(connectTimeout)
        return configuration
    }

    /// As libpq: only `verify-full` checks the server's certificate.
    private var tlsConfiguration: TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.certificateVerification = tls == .verifyFull ? .fullVerification : .none
        return configuration
    }
}
