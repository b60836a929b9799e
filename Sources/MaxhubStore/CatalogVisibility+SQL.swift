import GRDB
import MaxhubCore

extension CatalogVisibility {
    /// The one place that turns a visibility into SQL, used by every read: a predicate on the `version` row named
    /// `alias`, `(alias.state IN (...) OR alias.published_by = ?)`. Seeing nothing is `0`.
    func sqlPredicate(on alias: String) -> SQL {
        var clauses: [SQL] = []
        if !states.isEmpty {
            let names = states.map(\.rawValue).sorted()
            clauses.append("\(sql: alias).state IN \(names)")
        }
        if let publisher {
            clauses.append("\(sql: alias).published_by = \(publisher)")
        }
        guard !clauses.isEmpty else { return "0" }
        return "(" + clauses.joined(separator: " OR ") + ")"
    }
}
