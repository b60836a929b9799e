import Foundation

/// What `--runtime` asks for: an engine, the process runtime, or `auto`, which takes the first engine that answers.
public enum RuntimeChoice: String, CaseIterable, Sendable {
    case auto, docker, podman, process

    /// The runtime to use: the one asked for, or for `auto` docker if its engine answers, then podman, then a process.
    public func resolve(searchPath: ProgramSearchPath = ProgramSearchPath()) -> ServingRuntime {
        switch self {
        case .docker: return .docker
        case .podman: return .podman
        case .process: return .process
        case .auto:
            for engine in [ServingRuntime.docker, .podman] where searchPath.find(engine.rawValue) != nil {
                if ModelServer.runQuietly([engine.rawValue, "info"], timeout: .seconds(10)) == 0 { return engine }
            }
            return .process
        }
    }
}
