import Foundation

/// A version as an OCI artifact in CNCF ModelPack form: a config blob (`application/vnd.cncf.model.config.v1+json`)
/// and an image manifest whose one layer is the package archive, titled `NAME-VERSION.tar.zst` (`.tar.gz` for a gzip
/// archive).
///
/// Both are derived from what never changes once a version is approved (its name, version, description, reviewed
/// licences, publication time, archive and the archive's DiffID), written with sorted keys: every hub makes the same
/// bytes for a version on every day, so its manifest digest never changes.
public struct ModelPackArtifact: Sendable, Equatable {
    public static let manifestMediaType = "application/vnd.oci.image.manifest.v1+json"
    public static let artifactType = "application/vnd.cncf.model.manifest.v1+json"
    public static let configMediaType = "application/vnd.cncf.model.config.v1+json"
    public static let titleAnnotation = "org.opencontainers.image.title"

    /// How the archive is compressed, which names its layer's media type and title.
    public enum Compression: String, Sendable {
        case zstd
        case gzip

        var mediaType: String { self == .zstd ? "application/vnd.cncf.model.weight.v1.tar+zstd" : "application/vnd.cncf.model.weight.v1.tar+gzip" }
        var suffix: String { self == .zstd ? ".tar.zst" : ".tar.gz" }

        /// From the archive's first bytes (zstd's and gzip's magic numbers); nil for anything else.
        public init?(magic: [UInt8]) {
            if magic.starts(with: [0x28, 0xB5, 0x2F, 0xFD]) {
                self = .zstd
            } else if magic.starts(with: [0x1F, 0x8B]) {
                self = .gzip
            } else {
                return nil
            }
        }
    }

    /// The config blob's bytes.
    public let config: [UInt8]
    /// The manifest's bytes.
    public let manifest: [UInt8]

    public var configDigest: Digest { Digest.of(config) }
    public var manifestDigest: Digest { Digest.of(manifest) }

    public init(
        name: ModelName, version: Version, description: String, licenses: Manifest.Licenses, framework: String?, publishedAt: Date,
        archive: ArchiveReference, compression: Compression, diffID: Digest
    ) {
        let created = HubJSON.format(publishedAt)
        let licenseList = Array(NSOrderedSet(array: [licenses.code, licenses.weights, licenses.data])).compactMap { $0 as? String }
        let config = Config(
            descriptor: .init(
                name: name.description, version: version.description, description: description, licenses: licenseList, createdAt: created),
            config: .init(format: framework),
            modelfs: .init(type: "layers", diffIds: [diffID.description]))
        let configBytes = Self.json(config)
        let title = "\(name.fileSystemName)-\(version)\(compression.suffix)"
        let manifest = ImageManifest(
            schemaVersion: 2, mediaType: Self.manifestMediaType, artifactType: Self.artifactType,
            config: .init(mediaType: Self.configMediaType, digest: Digest.of(configBytes).description, size: Int64(configBytes.count)),
            layers: [
                .init(
                    mediaType: compression.mediaType, digest: archive.digest.description, size: archive.size,
                    annotations: [Self.titleAnnotation: title])
            ],
            annotations: [
                "org.opencontainers.image.created": created, "org.opencontainers.image.version": version.description,
                "org.opencontainers.image.title": name.description, "org.opencontainers.image.description": description,
                "org.opencontainers.image.licenses": licenses.code,
            ])
        self.config = configBytes
        self.manifest = Self.json(manifest)
    }

    struct Config: Encodable {
        var descriptor: Descriptor
        var config: Format
        var modelfs: ModelFS

        struct Descriptor: Encodable {
            var name: String
            var version: String
            var description: String
            var licenses: [String]
            var createdAt: String
        }

        struct Format: Encodable {
            var format: String?
        }

        struct ModelFS: Encodable {
            var type: String
            var diffIds: [String]
        }
    }

    struct ImageManifest: Encodable {
        var schemaVersion: Int
        var mediaType: String
        var artifactType: String
        var config: Descriptor
        var layers: [Descriptor]
        var annotations: [String: String]
    }

    struct Descriptor: Encodable {
        var mediaType: String
        var digest: String
        var size: Int64
        var annotations: [String: String]?
    }

    static func json(_ value: some Encodable) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array((try? encoder.encode(value)) ?? Data())
    }
}
