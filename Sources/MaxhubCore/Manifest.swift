import Foundation

/// The contents of `maxhub.yaml`: what a package is, how to feed it, what it claims and how to serve it.
///
/// `schemas/manifest.schema.json` is the source of truth for what is valid; these types mirror it so
/// that code can read a manifest that the schema has accepted. Properties are declared in the
/// order the canonical form writes them.
public struct Manifest: Codable, Sendable, Equatable {
    public var name: ModelName
    public var version: Version
    /// One of the task vocabulary in the schema (`image-classification`, `tabular-classification`, ...).
    public var task: String
    public var description: String
    public var license: Licenses
    public var authors: [Author]?
    public var source: Source?
    public var framework: Framework?
    public var dataset: DatasetReference?
    public var inputs: [Input]
    public var outputs: [Output]
    public var claims: [Claim]?
    public var serving: Serving
    /// Every file of the package but `maxhub.yaml` itself, sorted by path; written by `maxhub pack`.
    public var files: [File]?
    /// The model card, a Markdown file in the package.
    public var readme: String?

    public init(
        name: ModelName, version: Version, task: String, description: String, license: Licenses,
        authors: [Author]? = nil, source: Source? = nil, framework: Framework? = nil, dataset: DatasetReference? = nil,
        inputs: [Input], outputs: [Output], claims: [Claim]? = nil, serving: Serving, files: [File]? = nil,
        readme: String? = nil
    ) {
        self.name = name
        self.version = version
        self.task = task
        self.description = description
        self.license = license
        self.authors = authors
        self.source = source
        self.framework = framework
        self.dataset = dataset
        self.inputs = inputs
        self.outputs = outputs
        self.claims = claims
        self.serving = serving
        self.files = files
        self.readme = readme
    }

    /// The SPDX license of each part of a package, as declared by the owner or confirmed by IP review.
    public struct Licenses: Codable, Sendable, Equatable {
        public var code: String
        public var weights: String
        public var data: String

        public init(code: String, weights: String, data: String) {
            self.code = code
            self.weights = weights
            self.data = data
        }
    }

    /// An author, written either as a plain name or as `{name, email, url}`.
    public struct Author: Codable, Sendable, Equatable {
        public var name: String
        public var email: String?
        public var url: String?

        public init(name: String, email: String? = nil, url: String? = nil) {
            self.name = name
            self.email = email
            self.url = url
        }

        private enum CodingKeys: String, CodingKey { case name, email, url }

        public init(from decoder: any Decoder) throws {
            if let single = try? decoder.singleValueContainer(), let name = try? single.decode(String.self) {
                self.init(name: name)
                return
            }
            let container = try decoder.container(keyedBy: CodingKeys.self)
            self.init(
                name: try container.decode(String.self, forKey: .name),
                email: try container.decodeIfPresent(String.self, forKey: .email),
                url: try container.decodeIfPresent(String.self, forKey: .url)
            )
        }

        public func encode(to encoder: any Encoder) throws {
            if email == nil && url == nil {
                var single = encoder.singleValueContainer()
                try single.encode(name)
                return
            }
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(name, forKey: .name)
            try container.encodeIfPresent(email, forKey: .email)
            try container.encodeIfPresent(url, forKey: .url)
        }
    }

    /// Where the model comes from.
    public struct Source: Codable, Sendable, Equatable {
        public var url: String
        public var paper: String?
        public var commit: String?

        public init(url: String, paper: String? = nil, commit: String? = nil) {
            self.url = url
            self.paper = paper
            self.commit = commit
        }
    }

    /// The framework the model runs on, with the range of its versions that work.
    public struct Framework: Codable, Sendable, Equatable {
        public var name: String
        public var version: VersionRange?

        public init(name: String, version: VersionRange? = nil) {
            self.name = name
            self.version = version
        }
    }

    /// The data set the model was trained on.
    public struct DatasetReference: Codable, Sendable, Equatable {
        public var name: String
        public var version: String?
        public var url: String?

        public init(name: String, version: String? = nil, url: String? = nil) {
            self.name = name
            self.version = version
            self.url = url
        }
    }

    /// One input of the model and the ordered steps that turn raw data into it (MLModelScope style).
    public struct Input: Codable, Sendable, Equatable {
        public var name: String
        public var type: String
        public var description: String?
        public var shape: [Int]?
        public var elementType: String?
        public var processing: [ProcessingStep]?

        public init(
            name: String, type: String, description: String? = nil, shape: [Int]? = nil, elementType: String? = nil,
            processing: [ProcessingStep]? = nil
        ) {
            self.name = name
            self.type = type
            self.description = description
            self.shape = shape
            self.elementType = elementType
            self.processing = processing
        }

        private enum CodingKeys: String, CodingKey {
            case name, type, description, shape, elementType = "element_type", processing
        }
    }

    /// One output of the model.
    public struct Output: Codable, Sendable, Equatable {
        public var name: String
        public var type: String
        public var description: String?
        public var shape: [Int]?
        public var elementType: String?
        /// A file in the package with one label per line, in output order.
        public var labels: String?
        /// The ordered steps that turn the model's raw output into the answer (segmentation, decoding, ...).
        public var processing: [ProcessingStep]?

        public init(
            name: String, type: String, description: String? = nil, shape: [Int]? = nil, elementType: String? = nil,
            labels: String? = nil, processing: [ProcessingStep]? = nil
        ) {
            self.name = name
            self.type = type
            self.description = description
            self.shape = shape
            self.elementType = elementType
            self.labels = labels
            self.processing = processing
        }

        private enum CodingKeys: String, CodingKey {
            case name, type, description, shape, elementType = "element_type", labels, processing
        }
    }

    /// A metric the owner reports, measured on an evaluation set that ships in the package.
    public struct Claim: Codable, Sendable, Equatable {
        public var metric: String
        public var value: Double
        public var dataset: String
        public var split: String?
        public var tolerance: Double?

        public init(metric: String, value: Double, dataset: String, split: String? = nil, tolerance: Double? = nil) {
            self.metric = metric
            self.value = value
            self.dataset = dataset
            self.split = split
            self.tolerance = tolerance
        }
    }

    /// How the model is served: the standard API it speaks and how to start it.
    public struct Serving: Codable, Sendable, Equatable {
        public var api: String
        public var port: Int
        public var health: String?
        public var image: String?
        public var command: [String]?
        public var platforms: [String]?

        public init(
            api: String, port: Int, health: String? = nil, image: String? = nil, command: [String]? = nil,
            platforms: [String]? = nil
        ) {
            self.api = api
            self.port = port
            self.health = health
            self.image = image
            self.command = command
            self.platforms = platforms
        }
    }

    /// One file of the package with its size and SHA-256.
    public struct File: Codable, Sendable, Equatable {
        public var path: String
        public var size: Int64
        /// 64 lowercase hex digits.
        public var sha256: String

        public init(path: String, size: Int64, sha256: String) {
            self.path = path
            self.size = size
            self.sha256 = sha256
        }

        public init(path: String, size: Int64, digest: Digest) {
            self.init(path: path, size: size, sha256: digest.hex)
        }
    }
}
