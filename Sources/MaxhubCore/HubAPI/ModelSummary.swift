import Foundation

/// A model as search results list it, described by its latest visible version (the highest release, or the highest
/// prerelease when there is no release).
public struct ModelSummary: Codable, Sendable, Equatable {
    public var name: ModelName
    public var latestVersion: Version
    public var state: ReviewState
    public var task: String
    public var description: String
    public var license: Manifest.Licenses
    /// The framework's name (`onnxruntime`, `pytorch`, ...), when the manifest names one.
    public var framework: String?
    public var updatedAt: Date

    public init(
        name: ModelName, latestVersion: Version, state: ReviewState, task: String, description: String,
        license: Manifest.Licenses, framework: String?, updatedAt: Date
    ) {
        self.name = name
        self.latestVersion = latestVersion
        self.state = state
        self.task = task
        self.description = description
        self.license = license
        self.framework = framework
        self.updatedAt = updatedAt
    }

    private enum CodingKeys: String, CodingKey {
        case name
        case latestVersion = "latest_version"
        case state, task, description, license, framework
        case updatedAt = "updated_at"
    }
}
