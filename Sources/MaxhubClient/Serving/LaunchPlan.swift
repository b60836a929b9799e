import Foundation
import MaxhubCore

/// Exactly what `maxhub run` starts: the program and its arguments, where, with which additions to the environment,
/// and where the server will answer. `--dry-run` prints `arguments`.
public struct LaunchPlan: Sendable, Equatable {
    public var runtime: ServingRuntime
    /// `arguments[0]` is the program, looked up on PATH.
    public var arguments: [String]
    public var workingDirectory: String?
    /// Set on top of the caller's environment (the process runtime only; containers get `--env`).
    public var environment: [String: String]
    public var hostPort: Int
    /// The port the server listens on inside its container (the host port for a process).
    public var servingPort: Int
    /// The container's name, which `maxhub stop` and `maxhub ps` use.
    public var containerName: String?
    public var healthPath: String
    /// The image a container runs (nil for a process).
    public var image: String?
    /// The package's folder: mounted at /model in a container, the working directory of a process.
    public var packagePath: String

    public var url: String { "http://127.0.0.1:\(hostPort)" }
    public var healthURL: String { url + healthPath }

    /// The command line as a shell would take it.
    public var commandLine: String { arguments.map(Self.shellQuoted).joined(separator: " ") }

    public static func shellQuoted(_ word: String) -> String {
        let plain = word.allSatisfy { $0.isLetter || $0.isNumber || "-_./:=@,+%".contains($0) }
        if plain && !word.isEmpty { return word }
        return "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}

extension LaunchPlan {
    /// Where the package is mounted in a container.
    public static let containerModelDirectory = "/model"

    /// The plan for `manifest`'s package at `packagePath`, published on `hostPort` of 127.0.0.1.
    ///
    /// Containers run `serving.image` with the package mounted read-only at /model, `PORT`, `HOST` and
    /// `MAXHUB_MODEL_DIR` set, and the serving port published on 127.0.0.1 only; the container is named `runName`
    /// (default `maxhub-NAME-VERSION`). The process runtime runs
    /// `serving.command` in the package folder with `PORT`, `HOST=127.0.0.1` and `MAXHUB_MODEL_DIR`; with `bubblewrap`
    /// (the path of `bwrap`) it runs in a sandbox where the whole file system is read-only, /tmp is private and empty,
    /// and the process sees only its own process tree; a foreground server dies with `maxhub`.
    ///
    /// The sandbox's /tmp would hide programs that live under /tmp (a virtual environment in a checkout there), so each
    /// `searchPath` folder under /tmp stays visible, read-only: `PREFIX/bin` brings its `PREFIX`, another folder itself.
    public static func make(
        manifest: Manifest, packagePath: String, runtime: ServingRuntime, hostPort: Int, bubblewrap: String? = nil,
        detached: Bool = false, searchPath: [String] = [], runName: String? = nil
    ) throws(LaunchError) -> LaunchPlan {
        let serving = manifest.serving
        let health = serving.health ?? (serving.api == "oip-v2" ? "/v2/health/ready" : "/model/metadata")
        switch runtime {
        case .docker, .podman:
            guard let image = serving.image else {
                throw LaunchError("\(manifest.reference) names no serving.image; use --runtime process")
            }
            let name = runName ?? containerName(manifest.name, manifest.version)
            // Always detached and kept once it exits, so that its logs outlive a failed start; maxhub follows the logs of
            // a server in the foreground, and removes the container when it stops it.
            var arguments = [runtime.rawValue, "run", "--detach", "--name", name]
            arguments += [
                "--publish", "127.0.0.1:\(hostPort):\(serving.port)",
                "--volume", "\(packagePath):\(containerModelDirectory):ro",
                "--env", "PORT=\(serving.port)",
                "--env", "HOST=0.0.0.0",
                "--env", "MAXHUB_MODEL_DIR=\(containerModelDirectory)",
                "--label", "org.maxhub.model=\(manifest.reference)",
                image,
            ]
            return LaunchPlan(
                runtime: runtime, arguments: arguments, workingDirectory: nil, environment: [:], hostPort: hostPort,
                servingPort: serving.port, containerName: name, healthPath: health, image: image, packagePath: packagePath)
        case .process:
            guard let command = serving.command, !command.isEmpty else {
                throw LaunchError("\(manifest.reference) names no serving.command; use --runtime docker or podman")
            }
            var arguments = command
            if let bubblewrap {
                var sandbox = [
                    bubblewrap, "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp",
                ]
                for folder in temporaryPrefixes(searchPath) where folder != packagePath {
                    sandbox += ["--ro-bind", folder, folder]
                }
                sandbox += ["--ro-bind", packagePath, packagePath, "--unshare-pid"]
                if !detached { sandbox.append("--die-with-parent") }
                sandbox += ["--chdir", packagePath, "--"]
                arguments = sandbox + command
            }
            return LaunchPlan(
                runtime: .process, arguments: arguments, workingDirectory: packagePath,
                environment: [
                    "PORT": String(hostPort), "HOST": "127.0.0.1", "MAXHUB_MODEL_DIR": packagePath, "PYTHONDONTWRITEBYTECODE": "1",
                ],
                hostPort: hostPort, servingPort: hostPort, containerName: nil, healthPath: health, image: nil,
                packagePath: packagePath)
        }
    }

    /// The folders of `searchPath` under /tmp that a sandbox must keep: `PREFIX` for `PREFIX/bin`, else the folder; each
    /// once, and none inside another.
    static func temporaryPrefixes(_ searchPath: [String]) -> [String] {
        var prefixes: [String] = []
        for entry in searchPath where entry.hasPrefix("/tmp/") {
            var folder = entry
            while folder.count > 1 && folder.hasSuffix("/") { folder.removeLast() }
            if folder.hasSuffix("/bin") { folder = String(folder.dropLast(4)) }
            guard folder.count > "/tmp/".count, !folder.split(separator: "/").contains("..") else { continue }
            if prefixes.contains(where: { folder == $0 || folder.hasPrefix($0 + "/") }) { continue }
            prefixes.removeAll { $0.hasPrefix(folder + "/") }
            prefixes.append(folder)
        }
        return prefixes
    }

    /// `maxhub-NAME-VERSION`, in the characters container names allow.
    public static func containerName(_ name: ModelName, _ version: Version) -> String {
        let raw = "maxhub-\(name)-\(version)"
        return String(raw.map { $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" || $0 == "_" ? $0 : "_" })
    }
}
