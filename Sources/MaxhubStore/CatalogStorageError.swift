/// A failure of the catalog's storage itself, as opposed to a write the catalog refuses (`CatalogError`): the database
/// cannot be opened or answers with an error, or holds a row the hub cannot read.
public enum CatalogStorageError: Error, Equatable, CustomStringConvertible {
    case cannotOpen(path: String, reason: String)
    /// The database failed: its result code (SQLite's, for the embedded store) and message.
    case database(code: Int32, message: String)
    /// The PostgreSQL server failed or could not be reached: the SQLSTATE of its error, when it sent one, and why.
    case server(sqlState: String?, message: String)
    /// A stored row does not hold what the hub wrote.
    case unreadableRow(table: String, id: Int64?, reason: String)

    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason):
            "cannot open the catalog at \(path): \(reason)"
        case .database(let code, let message):
            "the catalog database failed (code \(code)): \(message)"
        case .server(let sqlState, let message):
            "the catalog database failed\(sqlState.map { " (SQLSTATE \($0))" } ?? ""): \(message)"
        case .unreadableRow(let table, let id, let reason):
            "the catalog holds an unreadable \(table) row\(id.map { " \($0)" } ?? ""): \(reason)"
        }
    }
}
