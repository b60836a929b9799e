import Foundation

/// The signed record of an IP review: who approved a version, when, with which licence verdicts (SPDX) and note. Its
/// subject is the version's archive; it also names the files statement's digest, so that the two statements of one
/// approval vouch for each other.
public struct ReviewStatement: Sendable, Equatable {
    public static let predicateType = "https://maxhub/review/v1"

    public var statement: InTotoStatement<Predicate>

    public struct Predicate: Codable, Sendable, Equatable {
        public var name: String
        public var version: String
        public var decision: String
        public var reviewer: String
        public var reviewedAt: Date
        public var licenses: Licenses
        public var note: String?
        public var publishedBy: String
        public var archive: Archive
        /// The subject digest of the version's files statement.
        public var filesDigest: String

        enum CodingKeys: String, CodingKey {
            case name, version, decision, reviewer, licenses, note, archive
            case reviewedAt = "reviewed_at"
            case publishedBy = "published_by"
            case filesDigest = "files_digest"
        }
    }

    public struct Licenses: Codable, Sendable, Equatable {
        public var code: String
        public var weights: String
        public var data: String
    }

    public struct Archive: Codable, Sendable, Equatable {
        public var digest: String
        public var size: Int64
    }

    public init(
        name: ModelName, version: Version, reviewer: String, reviewedAt: Date, license: Manifest.Licenses, note: String?,
        publishedBy: String, archive: ArchiveReference, filesDigest: String
    ) {
        // Whole seconds: the statement's time reads the same wherever it is decoded.
        let seconds = Date(timeIntervalSince1970: reviewedAt.timeIntervalSince1970.rounded(.down))
        statement = InTotoStatement(
            subject: .init(name: "\(name)@\(version)", sha256: archive.digest.hex), predicateType: Self.predicateType,
            predicate: Predicate(
                name: name.description, version: version.description, decision: "approved", reviewer: reviewer, reviewedAt: seconds,
                licenses: Licenses(code: license.code, weights: license.weights, data: license.data), note: note,
                publishedBy: publishedBy, archive: Archive(digest: archive.digest.description, size: archive.size),
                filesDigest: filesDigest))
    }

    public init(json bytes: [UInt8]) throws(SignatureError) {
        statement = try InTotoStatement(json: bytes, predicateType: Self.predicateType)
    }

    public var predicate: Predicate { statement.predicate }

    public func json() -> [UInt8] { statement.json() }

    /// Throws unless the statement approves `name@version` with this archive.
    public func requireSubject(_ name: ModelName, _ version: Version, archive: Digest) throws(SignatureError) {
        guard predicate.name == name.description, (try? Version(parsing: predicate.version))?.withoutBuild == version.withoutBuild else {
            throw .subjectDiffers("the review statement is for \(predicate.name)@\(predicate.version), not \(name)@\(version)")
        }
        guard statement.subject[0].digest["sha256"] == archive.hex, predicate.archive.digest == archive.description else {
            throw .subjectDiffers("the review statement is for the archive \(predicate.archive.digest), not \(archive)")
        }
        guard predicate.decision == "approved" else { throw .subjectDiffers("the review statement records \(predicate.decision)") }
    }
}
