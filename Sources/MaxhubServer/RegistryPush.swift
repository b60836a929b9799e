import Foundation
import MaxhubCore

/// What `/v2/` takes from a push, checked before anything is kept: the repository a path names, a tag, and a manifest's
/// JSON with the blobs and manifests it names.
enum RegistryPush {
    /// The manifest types a push may carry; each is stored and served as it came.
    static let manifestTypes: Set<String> = [
        "application/vnd.oci.image.manifest.v1+json",
        "application/vnd.oci.image.index.v1+json",
        "application/vnd.docker.distribution.manifest.v2+json",
        "application/vnd.docker.distribution.manifest.list.v2+json",
    ]
    static let indexTypes: Set<String> = ["application/vnd.oci.image.index.v1+json", "application/vnd.docker.distribution.manifest.list.v2+json"]

    /// The largest manifest taken, as in the distribution spec's reference registry.
    static let maxManifestBytes = 4 << 20

    /// A repository path: the model's name, then, for pushed content, one or more components
    /// (`[a-z0-9]+` joined by `.`, `_`, `__` or dashes), as the distribution spec has them.
    struct Repository {
        var model: ModelName
        var path: String
        /// Whether this is the model's own repository, whose tags are its versions; else one that takes pushes.
        var isModel: Bool

        init(_ path: String) throws(RegistryError) {
            let components = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
            guard let first = components.first, let model = try? ModelName(parsing: first) else {
                throw RegistryError(status: .badRequest, code: "NAME_INVALID", message: "\(path) does not start with a model name")
            }
            for component in components.dropFirst() where !Self.isComponent(component) {
                throw RegistryError(
                    status: .badRequest, code: "NAME_INVALID",
                    message: "\(component) in \(path) is not a repository component ([a-z0-9] joined by ., _, __ or -)")
            }
            self.model = model
            self.path = path
            self.isModel = components.count == 1
        }

        static func isComponent(_ text: String) -> Bool {
            guard let first = text.unicodeScalars.first, let last = text.unicodeScalars.last, Self.alphanumeric(first),
                Self.alphanumeric(last)
            else { return false }
            var previous: Unicode.Scalar?
            var underscores = 0
            for scalar in text.unicodeScalars {
                if Self.alphanumeric(scalar) {
                    underscores = 0
                } else if scalar == "_" {
                    underscores += 1
                    if underscores > 2 || previous == "." || previous == "-" { return false }
                } else if scalar == "." {
                    if previous.map({ !Self.alphanumeric($0) }) ?? true { return false }
                } else if scalar == "-" {
                    if previous == "." || previous == "_" { return false }
                } else {
                    return false
                }
                previous = scalar
            }
            return true
        }

        private static func alphanumeric(_ scalar: Unicode.Scalar) -> Bool {
            ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar)
        }
    }

    /// A tag as the distribution spec has them: `[A-Za-z0-9_][A-Za-z0-9._-]{0,127}`.
    static func isTag(_ text: String) -> Bool {
        let scalars = Array(text.unicodeScalars)
        guard (1...128).contains(scalars.count) else { return false }
        func word(_ scalar: Unicode.Scalar) -> Bool {
            ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar) || scalar == "_"
        }
        return word(scalars[0]) && scalars.dropFirst().allSatisfy { word($0) || $0 == "." || $0 == "-" }
    }

    struct Descriptor: Decodable {
        var mediaType: String?
        var digest: String
        var size: Int64
    }

    /// The parts of a manifest or index that a registry checks.
    struct Body: Decodable {
        var schemaVersion: Int?
        var mediaType: String?
        var config: Descriptor?
        var layers: [Descriptor]?
        var manifests: [Descriptor]?
        var subject: Descriptor?
        var artifactType: String?
        var annotations: [String: String]?
    }

    /// What a manifest names, checked for shape: the blobs (with their sizes) and, for an index, the manifests.
    struct Checked {
        var blobs: [(digest: Digest, size: Int64)]
        var manifests: [Digest]
        var subject: Digest?
    }

    static func check(_ bytes: [UInt8], mediaType: String) throws(RegistryError) -> Checked {
        func invalid(_ message: String) -> RegistryError {
            RegistryError(status: .badRequest, code: "MANIFEST_INVALID", message: message)
        }
        guard String(validating: bytes, as: UTF8.self) != nil else { throw invalid("the manifest is not UTF-8 JSON") }
        let body: Body
        do {
            body = try JSONDecoder().decode(Body.self, from: Data(bytes))
        } catch {
            throw invalid("the manifest is not a manifest's JSON: \(error)")
        }
        if let declared = body.mediaType, declared != mediaType {
            throw invalid("the manifest says it is \(declared), but was sent as \(mediaType)")
        }
        if body.schemaVersion != 2 { throw invalid("schemaVersion must be 2") }
        func digest(_ descriptor: Descriptor) throws(RegistryError) -> Digest {
            guard let digest = try? Digest(parsing: descriptor.digest) else {
                throw RegistryError(status: .badRequest, code: "DIGEST_INVALID", message: "\(descriptor.digest) is not a sha256 digest")
            }
            guard descriptor.size >= 0 else { throw invalid("\(descriptor.digest) has a negative size") }
            return digest
        }
        let subject = try body.subject.map { descriptor throws(RegistryError) in try digest(descriptor) }
        if indexTypes.contains(mediaType) {
            guard let manifests = body.manifests else { throw invalid("an index needs \"manifests\"") }
            var named: [Digest] = []
            for descriptor in manifests { named.append(try digest(descriptor)) }
            return Checked(blobs: [], manifests: named, subject: subject)
        }
        guard let config = body.config, let layers = body.layers else { throw invalid("an image manifest needs \"config\" and \"layers\"") }
        var blobs: [(digest: Digest, size: Int64)] = []
        for descriptor in [config] + layers { blobs.append((try digest(descriptor), descriptor.size)) }
        return Checked(blobs: blobs, manifests: [], subject: subject)
    }
}
