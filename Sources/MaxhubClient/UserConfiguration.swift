import Foundation
import MaxhubCore
import MaxhubJSON

/// `~/.config/maxhub/config.yaml`: the hub's URL, a token and the cache folder, the last source after flags and the
/// environment. `maxhub login` writes it, readable by its owner alone.
///
/// ```yaml
/// url: "https://hub.example.org"
/// token: "mxh_..."
/// cache: "/data/maxhub-cache"
/// hub_key: "/etc/maxhub/hub.pub"
/// ```
///
/// `hub_key` is the hub's public signing key (a PEM file, or the PEM itself): only signatures by it are accepted, and
/// no key is pinned on first contact.
public struct UserConfiguration: Sendable, Equatable {
    public var url: String?
    public var token: String?
    public var cache: String?
    public var hubKey: String?

    public init(url: String? = nil, token: String? = nil, cache: String? = nil, hubKey: String? = nil) {
        self.url = url
        self.token = token
        self.cache = cache
        self.hubKey = hubKey
    }

    /// `MAXHUB_CONFIG`, else `$XDG_CONFIG_HOME/maxhub/config.yaml`, else `~/.config/maxhub/config.yaml`.
    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let path = environment["MAXHUB_CONFIG"], !path.isEmpty { return path }
        let base = environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? ((environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()) as NSString).appendingPathComponent(".config")
        return (base as NSString).appendingPathComponent("maxhub/config.yaml")
    }

    /// Reads the file; a missing file is an empty configuration. Keys other than `url`, `token`, `cache` and `hub_key` are ignored,
    /// so that a newer client's file still reads.
    public static func load(from path: String) throws(UserConfigurationError) -> UserConfiguration {
        guard let data = FileManager.default.contents(atPath: path) else {
            if FileManager.default.fileExists(atPath: path) { throw .unreadable(path, "permission denied") }
            return UserConfiguration()
        }
        guard let text = String(data: data, encoding: .utf8) else { throw .unreadable(path, "not UTF-8 text") }
        let document: JSONValue
        do {
            document = try JSONValue(yaml: text)
        } catch {
            throw .unreadable(path, error.description)
        }
        let fields: JSONObject
        switch document {
        case .null: return UserConfiguration()
        case .object(let object): fields = object
        default: throw .unreadable(path, "expected a mapping of url, token and cache")
        }
        func string(_ key: String) throws(UserConfigurationError) -> String? {
            switch fields[key] {
            case nil, .null?: return nil
            case .string(let value)?: return value.isEmpty ? nil : value
            default: throw .unreadable(path, "\(key): expected a string")
            }
        }
        return UserConfiguration(
            url: try string("url"), token: try string("token"), cache: try string("cache"), hubKey: try string("hub_key"))
    }

    /// Writes the file atomically with mode 0600 (its folder 0700 when created), so the token is never readable by
    /// others, not even for a moment.
    public func write(to path: String) throws(UserConfigurationError) {
        let folder = (path as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw .unwritable(path, "\(error.localizedDescription)")
        }
        let temporary = "\(folder)/.config.yaml.\(getpid()).tmp"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw .unwritable(path, String(cString: strerror(errno))) }
        let bytes = Array(yaml.utf8)
        var done = 0
        while done < bytes.count {
            let count = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress! + done, bytes.count - done) }
            guard count > 0 else {
                let reason = String(cString: strerror(errno))
                close(descriptor)
                unlink(temporary)
                throw .unwritable(path, reason)
            }
            done += count
        }
        fchmod(descriptor, 0o600)
        fsync(descriptor)
        close(descriptor)
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw .unwritable(path, reason)
        }
    }

    /// The file's text: each value as a double-quoted scalar (JSON's string syntax, which YAML reads the same).
    public var yaml: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        var lines = ["# maxhub client configuration (written by maxhub login)"]
        for (key, value) in [("url", url), ("token", token), ("cache", cache), ("hub_key", hubKey)] {
            guard let value, let quoted = try? encoder.encode(value) else { continue }
            lines.append("\(key): \(String(decoding: quoted, as: UTF8.self))")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Whether others than the owner can read the file (a token in it should be private).
    public static func isReadableByOthers(_ path: String) -> Bool {
        var status = stat()
        guard stat(path, &status) == 0 else { return false }
        return status.st_mode & 0o077 != 0
    }
}

public enum UserConfigurationError: Error, CustomStringConvertible {
    case unreadable(String, String)
    case unwritable(String, String)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason): "cannot read the configuration \(path): \(reason)"
        case .unwritable(let path, let reason): "cannot write the configuration \(path): \(reason)"
        }
    }
}
