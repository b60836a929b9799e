import MaxhubJSON

/// The body of `PUT /api/v1/models/{name}/versions/{version}`: the manifest and the archive uploaded before it.
public struct PublishRequest: Codable, Sendable {
    /// The manifest as a JSON document; the hub validates it against the schema itself.
    public var manifest: JSONValue
    public var archive: ArchiveReference

    public init(manifest: JSONValue, archive: ArchiveReference) {
        self.manifest = manifest
        self.archive = archive
    }
}
