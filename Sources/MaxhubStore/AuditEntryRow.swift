import Foundation
import GRDB
import MaxhubCore

/// A row of the append-only `audit_entry` table.
struct AuditEntryRow: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "audit_entry"

    var id: Int64?
    var at: String
    var actor: String
    var action: String
    var subject: String
    var fromState: String?
    var toState: String?
    var detail: String?

    enum CodingKeys: String, CodingKey {
        case id, at, actor, action, subject
        case fromState = "from_state"
        case toState = "to_state"
        case detail
    }

    init(
        at: Date, actor: String, action: String, subject: String, from: ReviewState? = nil, to: ReviewState? = nil,
        detail: String? = nil
    ) {
        self.id = nil
        self.at = CatalogTime.text(at)
        self.actor = actor
        self.action = action
        self.subject = subject
        self.fromState = from?.rawValue
        self.toState = to?.rawValue
        self.detail = detail
    }

    mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }

    var entry: AuditEntry {
        get throws {
            do {
                guard let id else { throw Unreadable("no id") }
                guard let time = CatalogTime.date(text: at) else { throw Unreadable("at \"\(at)\" is not a catalog time") }
                return AuditEntry(
                    id: id, at: time, actor: actor, action: action, subject: subject,
                    fromState: try Self.state(fromState), toState: try Self.state(toState), detail: detail
                )
            } catch {
                throw CatalogStorageError.unreadableRow(table: Self.databaseTableName, id: id, reason: "\(error)")
            }
        }
    }

    private static func state(_ text: String?) throws -> ReviewState? {
        guard let text else { return nil }
        guard let state = ReviewState(rawValue: text) else { throw Unreadable("unknown state \"\(text)\"") }
        return state
    }
}
