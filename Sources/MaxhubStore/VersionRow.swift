import Foundation
import GRDB
import MaxhubCore
import MaxhubJSON

/// A row of the `version` table.
struct VersionRow: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "version"

    var id: Int64?
    var modelID: Int64
    /// As written, build metadata included.
    var version: String
    /// Without build metadata: what makes a version unique within its model.
    var versionKey: String
    var precedence: String
    var isRelease: Bool
    var state: String
    var task: String
    var description: String
    var framework: String?
    var licenseCode: String
    var licenseWeights: String
    var licenseData: String
    var archiveDigest: String
    var archiveSize: Int64
    var manifest: String
    var publishedBy: String
    var publishedAt: String
    var yankReason: String?
    var manifestFileSHA256: String?

    enum CodingKeys: String, CodingKey {
        case id
        case modelID = "model_id"
        case version
        case versionKey = "version_key"
        case precedence
        case isRelease = "is_release"
        case state, task, description, framework
        case licenseCode = "license_code"
        case licenseWeights = "license_weights"
        case licenseData = "license_data"
        case archiveDigest = "archive_digest"
        case archiveSize = "archive_size"
        case manifest
        case publishedBy = "published_by"
        case publishedAt = "published_at"
        case yankReason = "yank_reason"
        case manifestFileSHA256 = "manifest_file_sha256"
    }

    /// A new version of a model, pending review.
    init(_ new: NewVersion, modelID: Int64) throws {
        let version = new.version
        self.id = nil
        self.modelID = modelID
        self.version = version.description
        self.versionKey = version.withoutBuild.description
        self.precedence = PrecedenceKey(version).text
        self.isRelease = version.prerelease.isEmpty
        self.state = ReviewState.pending.rawValue
        self.task = new.manifest.task
        self.description = new.manifest.description
        self.framework = new.manifest.framework?.name
        self.licenseCode = new.manifest.license.code
        self.licenseWeights = new.manifest.license.weights
        self.licenseData = new.manifest.license.data
        self.archiveDigest = new.archive.digest.description
        self.archiveSize = new.archive.size
        self.manifest = try new.manifestJSON.jsonString()
        self.publishedBy = new.publishedBy
        self.publishedAt = CatalogTime.text(new.publishedAt)
        self.yankReason = nil
        self.manifestFileSHA256 = new.manifestFileDigest?.description
    }

    mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }

    /// The selection that `record(from:)` reads: every column of `version` (as `alias`), the model's name, and the
    /// version's review as a JSON object.
    static func selection(version alias: String, model modelAlias: String) -> String {
        """
        \(alias).*, \(modelAlias).name AS model_name,
        (SELECT json_object('reviewer', r.reviewer, 'decision', r.decision, 'license_code', r.license_code,
                            'license_weights', r.license_weights, 'license_data', r.license_data, 'note', r.note,
                            'reviewed_at', r.reviewed_at)
         FROM review r WHERE r.version_id = \(alias).id) AS review_json
        """
    }

    /// A version with its model's name, from a row of `selection(version:model:)`.
    static func record(from row: Row) throws -> VersionRecord {
        let stored = try VersionRow.decoded(from: row)
        let review = try row.decode(String?.self, forColumn: "review_json")
        return try stored.record(modelName: try row.decode(String.self, forColumn: "model_name"), reviewJSON: review)
    }

    func record(modelName: String, reviewJSON: String? = nil) throws -> VersionRecord {
        do {
            guard let state = ReviewState(rawValue: state) else { throw Unreadable("unknown state \"\(state)\"") }
            guard let publishedAt = CatalogTime.date(text: publishedAt) else {
                throw Unreadable("published_at \"\(publishedAt)\" is not a catalog time")
            }
            return VersionRecord(
                name: try ModelName(parsing: modelName),
                version: try Version(parsing: version),
                state: state,
                task: task,
                description: description,
                license: Manifest.Licenses(code: licenseCode, weights: licenseWeights, data: licenseData),
                framework: framework,
                archive: ArchiveReference(digest: try Digest(parsing: archiveDigest), size: archiveSize),
                publishedBy: publishedBy,
                publishedAt: publishedAt,
                manifest: try JSONValue(jsonString: manifest),
                review: try reviewJSON.map(Self.review(json:)),
                yankReason: yankReason,
                manifestFileDigest: try manifestFileSHA256.map { try Digest(parsing: $0) }
            )
        } catch {
            throw CatalogStorageError.unreadableRow(table: Self.databaseTableName, id: id, reason: "\(error)")
        }
    }

    private struct StoredReview: Decodable {
        var reviewer: String
        var decision: String
        var license_code: String
        var license_weights: String
        var license_data: String
        var note: String?
        var reviewed_at: String
    }

    private static func review(json: String) throws -> Review {
        let stored = try JSONDecoder().decode(StoredReview.self, from: Data(json.utf8))
        guard let decision = ReviewRequest.Decision(rawValue: stored.decision) else {
            throw Unreadable("unknown review decision \"\(stored.decision)\"")
        }
        guard let time = CatalogTime.date(text: stored.reviewed_at) else {
            throw Unreadable("reviewed_at \"\(stored.reviewed_at)\" is not a catalog time")
        }
        return Review(
            reviewer: stored.reviewer, decision: decision,
            license: Manifest.Licenses(code: stored.license_code, weights: stored.license_weights, data: stored.license_data),
            note: stored.note, reviewedAt: time)
    }
}
