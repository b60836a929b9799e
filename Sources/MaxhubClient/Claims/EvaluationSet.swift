import Foundation

/// An evaluation set that ships in a package: a CSV file with a header row and a `label` column.
///
/// For a model served with MAX's API, an `image` or `audio` column holds each example's file, relative to the package
/// folder, or a `text` column holds each example's text; `label` is the class, the text in the file (OCR), or the
/// segments of speech in seconds ("0.500-1.830 2.100-3.000"). Otherwise every column but `label` is a feature, in
/// order (the model's first input, one row per example).
public struct EvaluationSet: Sendable {
    public var columns: [String]
    public var rows: [[String]]

    public init(columns: [String], rows: [[String]]) {
        self.columns = columns
        self.rows = rows
    }

    public init(contentsOf path: String) throws(ClaimError) {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw ClaimError("cannot read the evaluation set \(path)")
        }
        let records = Self.parseCSV(text)
        guard let header = records.first, !header.isEmpty else { throw ClaimError("\(path) is empty") }
        for (index, record) in records.enumerated().dropFirst() where record.count != header.count {
            throw ClaimError("\(path) line \(index + 1): \(record.count) fields, the header has \(header.count)")
        }
        self.init(columns: header, rows: Array(records.dropFirst()))
        guard columns.contains("label") else { throw ClaimError("\(path) has no label column") }
    }

    public func column(_ name: String) -> [String]? {
        guard let index = columns.firstIndex(of: name) else { return nil }
        return rows.map { $0[index] }
    }

    /// The labels, one per example.
    public var labels: [String] { column("label") ?? [] }

    /// Every column but `label`, as numbers, one row per example.
    public func features() throws(ClaimError) -> [[Double]] {
        let indices = columns.indices.filter { columns[$0] != "label" }
        var result: [[Double]] = []
        result.reserveCapacity(rows.count)
        for (row, record) in rows.enumerated() {
            var values: [Double] = []
            for index in indices {
                guard let value = Double(record[index].trimmingCharacters(in: .whitespaces)) else {
                    throw ClaimError("row \(row + 1), column \(columns[index]): \"\(record[index])\" is not a number")
                }
                values.append(value)
            }
            result.append(values)
        }
        return result
    }

    /// RFC 4180: commas, double-quoted fields with doubled quotes, CRLF or LF line ends; blank lines are skipped.
    static func parseCSV(_ text: String) -> [[String]] {
        var records: [[String]] = []
        var record: [String] = []
        var field = ""
        var quoted = false
        var characters = text.makeIterator()
        var pending: Character?
        func endRecord() {
            record.append(field)
            field = ""
            if !(record.count == 1 && record[0].isEmpty) { records.append(record) }
            record = []
        }
        while let character = pending ?? characters.next() {
            pending = nil
            if quoted {
                if character == "\"" {
                    if let next = characters.next() {
                        if next == "\"" { field.append("\"") } else { quoted = false; pending = next }
                    } else {
                        quoted = false
                    }
                } else {
                    field.append(character)
                }
                continue
            }
            switch character {
            case "\"" where field.isEmpty: quoted = true
            case ",": record.append(field); field = ""
            case "\n", "\r\n", "\r": endRecord()
            default: field.append(character)
            }
        }
        if !field.isEmpty || !record.isEmpty { endRecord() }
        return records
    }
}

/// Why a claim could not be checked.
public struct ClaimError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
