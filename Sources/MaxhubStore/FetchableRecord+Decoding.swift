import GRDB

extension FetchableRecord where Self: TableRecord {
    /// The record in a row, or `CatalogStorageError.unreadableRow` when the row does not hold one.
    static func decoded(from row: Row) throws -> Self {
        do {
            return try Self(row: row)
        } catch {
            throw CatalogStorageError.unreadableRow(
                table: databaseTableName, id: try? row.decode(Int64.self, forColumn: "id"), reason: "\(error)"
            )
        }
    }
}
