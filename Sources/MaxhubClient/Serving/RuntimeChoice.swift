import Foundation

/// What `--runtime` asks for: an engine, the process runtime, or `auto`, which takes the first engine that answers and
/// has the model's image, or can pull it from the hub.
public enum RuntimeChoice: String, CaseIterable, Sendable {
    case auto, docker, podman, process

    /// The runtime picked, and for `auto`, the line that says why an installed engine was passed over.
    public struct Decision: Sendable, Equatable {
        public var runtime: ServingRuntime
        public var notice: String?
    }

    /// The runtime to use: the one asked for, or for `auto` docker if its engine answers and has `image` (or `hub`
    /// names it and has it), then podman, then a process. An image of nil (a manifest that names none) passes every
    /// engine over, quietly.
    public func resolve(image: String?, searchPath: ProgramSearchPath = ProgramSearchPath(), hub: HubImageSource? = nil) async -> Decision {
        switch self {
        case .docker: return Decision(runtime: .docker)
        case .podman: return Decision(runtime: .podman)
        case .process: return Decision(runtime: .process)
        case .auto:
            guard let image else { return Decision(runtime: .process) }
            var reasons: [String] = []
            var onTheHub: Bool?
            for runtime in [ServingRuntime.docker, .podman] {
                guard let engine = ContainerEngine(runtime, searchPath: searchPath) else { continue }
                if await engine.problem() != nil {
                    reasons.append("\(engine.name) does not answer")
                } else if await engine.hasImage(image) {
                    return Decision(runtime: runtime)
                } else if let hub, hub.names(image) {
                    if onTheHub == nil { onTheHub = await hub.has(image) }
                    if onTheHub == true { return Decision(runtime: runtime) }
                    reasons.append("neither \(engine.name) nor the hub has the image \(image)")
                } else {
                    reasons.append("\(engine.name) has no image \(image)")
                }
            }
            guard !reasons.isEmpty else { return Decision(runtime: .process) }
            return Decision(runtime: .process, notice: "running as a sandboxed process: " + reasons.joined(separator: ", "))
        }
    }
}
