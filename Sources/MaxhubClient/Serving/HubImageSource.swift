import AsyncHTTPClient
import Foundation
import NIOCore

/// The hub as the registry of the serving images it names: an image whose registry is the hub's own host and port
/// (`HOST:PORT/NAME/serving:1.0.0`) is pulled from the hub's `/v2/` when the engine lacks it, with the user's maxhub
/// token as the registry password.
public struct HubImageSource: Sendable {
    /// The hub's `host:port`, as an image reference names its registry.
    public let registry: String
    /// Whether the hub speaks plain http (`--tls-verify=false` for podman).
    public let insecure: Bool
    let client: HubClient

    /// nil when the hub's URL is not an http(s) URL with a host.
    public init?(hub client: HubClient) {
        guard let url = URL(string: client.baseURL), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = url.host, !host.isEmpty
        else { return nil }
        let port = url.port ?? (scheme == "https" ? 443 : 80)
        let bracketed = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        registry = "\(bracketed.lowercased()):\(port)"
        insecure = scheme == "http"
        self.client = client
    }

    /// An image reference split as engines read it: registry, repository and tag or digest.
    struct ImageReference: Equatable {
        var registry: String
        var repository: String
        /// `:TAG` or `@sha256:...`.
        var reference: String
    }

    /// `image` split, when its first component is a registry (it has a `.` or a `:`, or is `localhost`).
    static func parse(_ image: String) -> ImageReference? {
        guard let slash = image.firstIndex(of: "/") else { return nil }
        let registry = String(image[..<slash])
        guard registry.contains(".") || registry.contains(":") || registry == "localhost" else { return nil }
        var rest = String(image[image.index(after: slash)...])
        var reference = ":latest"
        if let at = rest.firstIndex(of: "@") {
            reference = String(rest[at...])
            rest = String(rest[..<at])
        } else if let colon = rest.lastIndex(of: ":"), !rest[colon...].contains("/") {
            reference = String(rest[colon...])
            rest = String(rest[..<colon])
        }
        guard !rest.isEmpty else { return nil }
        return ImageReference(registry: registry, repository: rest, reference: reference)
    }

    /// Whether `image` names this hub as its registry (a registry without a port is on the scheme's default port).
    public func names(_ image: String) -> Bool {
        guard let parsed = Self.parse(image) else { return false }
        var registry = parsed.registry.lowercased()
        let hasPort = registry.hasPrefix("[") ? registry.contains("]:") : registry.contains(":")
        if !hasPort { registry += ":\(insecure ? 80 : 443)" }
        return registry == self.registry
    }

    /// Whether the hub has `image`'s manifest for this user: a `HEAD` of it under `/v2/`.
    public func has(_ image: String) async -> Bool {
        guard names(image), let parsed = Self.parse(image) else { return false }
        let reference = parsed.reference.dropFirst()
        var request = HTTPClientRequest(url: "\(client.baseURL)/v2/\(parsed.repository)/manifests/\(reference)")
        request.method = .HEAD
        request.headers.add(name: "Accept", value: Self.manifestTypes.joined(separator: ", "))
        if let token = client.token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        do {
            let response = try await client.http.execute(request, timeout: .seconds(20))
            _ = try? await response.body.collect(upTo: 1 << 16)
            return response.status == .ok
        } catch {
            return false
        }
    }

    static let manifestTypes = [
        "application/vnd.oci.image.manifest.v1+json", "application/vnd.oci.image.index.v1+json",
        "application/vnd.docker.distribution.manifest.v2+json", "application/vnd.docker.distribution.manifest.list.v2+json",
    ]

    /// The engine's credentials for the hub, written for the length of one pull: podman's `auth.json` (`--authfile`)
    /// and docker's `config.json` (`--config`) share the format. nil without a token (the engine's own login, if any,
    /// is used then).
    func credentialsFolder() throws -> String? {
        guard let token = client.token else { return nil }
        let folder = NSTemporaryDirectory() + "maxhub-registry-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        let auth = Data("maxhub:\(token)".utf8).base64EncodedString()
        let json = #"{"auths":{"\#(registry)":{"auth":"\#(auth)"}}}"#
        guard FileManager.default.createFile(atPath: folder + "/config.json", contents: Data(json.utf8), attributes: [.posixPermissions: 0o600])
        else {
            try? FileManager.default.removeItem(atPath: folder)
            throw LaunchError("cannot write the registry credentials in \(folder)")
        }
        return folder
    }
}

extension ContainerEngine {
    /// Pulls `image` from the hub; throws the engine's own last line when it fails.
    func pull(_ image: String, from source: HubImageSource) async throws(LaunchError) {
        let credentials: String?
        do {
            credentials = try source.credentialsFolder()
        } catch {
            throw LaunchError("\(error)")
        }
        defer { credentials.map { try? FileManager.default.removeItem(atPath: $0) } }
        var arguments = [program]
        switch runtime {
        case .docker:
            // docker takes plain http from 127.0.0.0/8 and the daemon's insecure-registries; it has no per-pull switch.
            if let credentials { arguments += ["--config", credentials] }
            arguments += ["pull", "--quiet", image]
        default:
            arguments += ["pull", "--quiet"]
            if source.insecure { arguments.append("--tls-verify=false") }
            if let credentials { arguments += ["--authfile", credentials + "/config.json"] }
            arguments.append(image)
        }
        let pulled = await EngineCommand.run(arguments, timeout: .seconds(3600))
        guard pulled.status == 0 else {
            let how = pulled.status.map { "exit status \($0)" } ?? "no answer within an hour"
            throw LaunchError("\(name) could not pull \(image) from the hub (\(how))" + (pulled.lastLine.map { ": \($0)" } ?? ""))
        }
    }
}
