import Foundation
import MaxhubCore

/// Where a model's server runs: a container engine, or a plain process in the package folder.
public enum ServingRuntime: String, CaseIterable, Sendable, Codable {
    case docker, podman, process
}
