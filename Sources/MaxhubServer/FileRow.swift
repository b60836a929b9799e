import MaxhubCore

/// A file of a package as the model page and the review page list it.
struct FileRow {
    /// The files a page lists at most, so that it stays under 100 KB; the summary says when some are left out.
    static var listed: Int { 100 }

    var path: String
    var size: String
    var sha256: String

    /// The rows for a package's first `listed` files, and a line that counts them all.
    static func rows(for files: [Manifest.File]) -> (summary: String, rows: [FileRow]) {
        let total = files.reduce(Int64(0)) { $0 + $1.size }
        var summary = "\(files.count) file\(files.count == 1 ? "" : "s"), \(WebFormat.size(total)) in all"
        if files.count > listed { summary += "; the first \(listed) are listed" }
        let rows = files.prefix(listed).map { FileRow(path: WebFormat.clipped($0.path, 200), size: WebFormat.size($0.size), sha256: $0.sha256) }
        return (summary, rows)
    }
}
