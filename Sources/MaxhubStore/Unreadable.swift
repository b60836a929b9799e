/// Why a stored value cannot be read back; wrapped into `CatalogStorageError.unreadableRow`.
struct Unreadable: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
