import Foundation

/// An in-toto Statement v1 with one subject: the envelope of maxhub's signed statements. `Predicate` is the statement's
/// own part, named by `predicateType`.
public struct InTotoStatement<Predicate: Codable & Sendable & Equatable>: Codable, Sendable, Equatable {
    public static var statementType: String { "https://in-toto.io/Statement/v1" }

    public var type: String
    public var subject: [Subject]
    public var predicateType: String
    public var predicate: Predicate

    public struct Subject: Codable, Sendable, Equatable {
        public var name: String
        public var digest: [String: String]

        public init(name: String, sha256: String) {
            self.name = name
            digest = ["sha256": sha256]
        }
    }

    enum CodingKeys: String, CodingKey {
        case type = "_type"
        case subject, predicateType, predicate
    }

    public init(subject: Subject, predicateType: String, predicate: Predicate) {
        type = Self.statementType
        self.subject = [subject]
        self.predicateType = predicateType
        self.predicate = predicate
    }

    /// The statement as JSON, keys sorted.
    public func json() -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return Array((try? encoder.encode(self)) ?? Data())
    }

    /// Reads a statement of `predicateType` with exactly one subject.
    public init(json bytes: [UInt8], predicateType expected: String) throws(SignatureError) {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let header: Header
        do {
            header = try decoder.decode(Header.self, from: Data(bytes))
        } catch {
            throw .malformedStatement("not an in-toto statement: \(error)")
        }
        guard header.type == Self.statementType else {
            throw .malformedStatement("its type is \(header.type), not \(Self.statementType)")
        }
        guard header.predicateType == expected else {
            throw .malformedStatement("its predicate type is \(header.predicateType), not \(expected)")
        }
        do {
            self = try decoder.decode(Self.self, from: Data(bytes))
        } catch {
            throw .malformedStatement("its predicate is not a \(expected) one: \(error)")
        }
        guard subject.count == 1 else { throw .malformedStatement("it has \(subject.count) subjects, not one") }
    }

    /// What tells statements apart before their predicate is read.
    private struct Header: Decodable {
        var type: String
        var predicateType: String
        enum CodingKeys: String, CodingKey {
            case type = "_type"
            case predicateType
        }
    }
}
