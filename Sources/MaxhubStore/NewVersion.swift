import Foundation
import MaxhubCore
import MaxhubJSON

/// A version about to be published: its manifest (already validated and checked against its archive) and archive.
public struct NewVersion: Sendable {
    public var manifest: Manifest
    /// The manifest as the catalog keeps and serves it.
    public var manifestJSON: JSONValue
    public var archive: ArchiveReference
    public var publishedBy: String
    public var publishedAt: Date
    /// The README the archive carried, if any.
    public var readme: ModelCard?
    /// The sha256 of the archive's `maxhub.yaml` entry, which the signature of an approval lists with the other files.
    public var manifestFileDigest: Digest?

    public var name: ModelName { manifest.name }
    public var version: Version { manifest.version }

    public init(
        manifest: Manifest, manifestJSON: JSONValue, archive: ArchiveReference, publishedBy: String, publishedAt: Date,
        readme: ModelCard? = nil, manifestFileDigest: Digest? = nil
    ) {
        self.manifest = manifest
        self.manifestJSON = manifestJSON
        self.archive = archive
        self.publishedBy = publishedBy
        self.publishedAt = publishedAt
        self.readme = readme
        self.manifestFileDigest = manifestFileDigest
    }
}
