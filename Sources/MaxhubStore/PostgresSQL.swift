import Foundation
import PostgresNIO

/// A piece of PostgreSQL with the values it binds, composable as GRDB's `SQL` is: an interpolated value is a bound
/// parameter, an interpolated `PostgresSQL` is spliced in, and `\(sql:)` is text as it is. Parameters are numbered
/// (`$1`, `$2`, ...) only when the whole statement is built (`query`), so fragments join in any order.
struct PostgresSQL: Sendable, ExpressibleByStringInterpolation {
    fileprivate enum Part: Sendable {
        case text(String)
        case value(any PostgresThrowingDynamicTypeEncodable & Sendable)
        case null
    }

    fileprivate var parts: [Part]

    init(stringLiteral text: String) {
        parts = [.text(text)]
    }

    init(stringInterpolation: StringInterpolation) {
        parts = stringInterpolation.parts
    }

    struct StringInterpolation: StringInterpolationProtocol {
        fileprivate var parts: [Part] = []

        init(literalCapacity: Int, interpolationCount: Int) {}

        mutating func appendLiteral(_ literal: String) {
            parts.append(.text(literal))
        }

        mutating func appendInterpolation(_ value: some PostgresThrowingDynamicTypeEncodable & Sendable) {
            parts.append(.value(value))
        }

        mutating func appendInterpolation(_ value: (some PostgresThrowingDynamicTypeEncodable & Sendable)?) {
            parts.append(value.map { .value($0) } ?? .null)
        }

        mutating func appendInterpolation(_ fragment: PostgresSQL) {
            parts += fragment.parts
        }

        /// Text spliced in as it is: only ever the store's own identifiers and SQL, never a caller's value.
        mutating func appendInterpolation(sql text: String) {
            parts.append(.text(text))
        }
    }

    /// The statement to send: the text with numbered parameters, and their values.
    var query: PostgresQuery {
        get throws {
            var text = ""
            var bindings = PostgresBindings()
            for part in parts {
                switch part {
                case .text(let piece):
                    text += piece
                case .value(let value):
                    try bindings.append(value)
                    text += "$\(bindings.count)"
                case .null:
                    bindings.appendNull()
                    text += "$\(bindings.count)"
                }
            }
            return PostgresQuery(unsafeSQL: text, binds: bindings)
        }
    }

    static func + (lhs: PostgresSQL, rhs: PostgresSQL) -> PostgresSQL {
        var joined = lhs
        joined.parts += rhs.parts
        return joined
    }
}

extension [PostgresSQL] {
    func joined(separator: String) -> PostgresSQL {
        var joined: PostgresSQL = ""
        for (index, fragment) in enumerated() {
            if index > 0 { joined.parts.append(.text(separator)) }
            joined.parts += fragment.parts
        }
        return joined
    }
}

extension PostgresSQL {
    /// The one place that turns a visibility into PostgreSQL, as `CatalogVisibility.sqlPredicate(on:)` does for
    /// SQLite: a predicate on the `version` row named `alias`, `(alias.state IN (...) OR alias.published_by = ...)`.
    /// Seeing nothing is `false`.
    static func visible(_ visibility: CatalogVisibility, on alias: String) -> PostgresSQL {
        var clauses: [PostgresSQL] = []
        if !visibility.states.isEmpty {
            clauses.append("\(sql: alias).state = ANY(\(visibility.states.map(\.rawValue).sorted())::text[])")
        }
        if let publisher = visibility.publisher {
            clauses.append("\(sql: alias).published_by = \(publisher)")
        }
        guard !clauses.isEmpty else { return "false" }
        return "(" + clauses.joined(separator: " OR ") + ")"
    }

    /// A catalog time as `CatalogTime.text(_:)` writes it, for a `timestamptz` column or expression.
    static func timeText(_ expression: String) -> PostgresSQL {
        "to_char(\(sql: expression) AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')"
    }

    /// A time as the catalog keeps it, to the millisecond (`CatalogTime`), as a `timestamptz` value.
    static func time(_ date: Date) -> PostgresSQL {
        "\(CatalogTime.text(date))::timestamptz"
    }
}

extension PostgresConnection {
    /// Runs one statement and reads all its rows, so that an error the server ends it with is thrown here.
    @discardableResult
    func run(_ statement: PostgresQuery, logger: Logger) async throws -> [PostgresRow] {
        try await query(statement, logger: logger).collect()
    }
}
