import CSV
import Foundation

/// A CSV file read for the report: the header (trimmed, lower-cased) and the rows, fields found
/// by column name. Numbers that are empty or do not parse read as NaN (an undefined value, as the
/// writers leave it), so one odd field never hides a whole table.
struct ReportTable {
    /// Column names, lower-cased.
    var header: [String]
    /// The data rows (blank lines skipped), fields trimmed.
    var rows: [[String]]
    private var index: [String: Int] = [:]

    /// Why a table could not be read: a sentence for the report's notes.
    struct Problem: Error, CustomStringConvertible {
        var description: String
    }

    /// Reads `path`.
    /// - Throws: ``Problem`` when the file is unreadable, not UTF-8 CSV, or lacks a `required` column.
    init(path: String, required: [String]) throws(Problem) {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw Problem(description: "cannot be read (\(error.localizedDescription))")
        }
        guard var text = String(data: data, encoding: .utf8) else { throw Problem(description: "is not UTF-8 text") }
        if text.unicodeScalars.first == "\u{FEFF}" { text = String(text.unicodeScalars.dropFirst()) }
        let reader: CSVReader
        do { reader = try CSVReader(string: text) } catch { throw Problem(description: "is not CSV (\(error))") }
        var header: [String]?
        var rows: [[String]] = []
        while let record = reader.next() {
            if record.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { continue }
            let fields = record.map { $0.trimmingCharacters(in: .whitespaces) }
            if header == nil { header = fields.map { $0.lowercased() } } else { rows.append(fields) }
        }
        guard let header else { throw Problem(description: "is empty (no header)") }
        self.header = header
        self.rows = rows
        for (i, name) in header.enumerated() where index[name] == nil { index[name] = i }
        let missing = required.filter { index[$0] == nil }
        guard missing.isEmpty else {
            throw Problem(description: "lacks the column\(missing.count == 1 ? "" : "s") \(missing.joined(separator: ", ")) (it has \(header.joined(separator: ",")))")
        }
    }

    /// The column's position, nil when absent.
    func column(_ name: String) -> Int? { index[name] }

    /// The field of `row` in column `name` ("" when the column or field is absent).
    func text(_ row: [String], _ name: String) -> String {
        guard let c = index[name], c < row.count else { return "" }
        return row[c]
    }

    /// The field as a number; NaN when empty or not a number.
    func number(_ row: [String], _ name: String) -> Double { Double(text(row, name)) ?? .nan }

    /// The field as a whole number; nil when empty or not one.
    func integer(_ row: [String], _ name: String) -> Int? {
        let t = text(row, name)
        if let n = Int(t) { return n }
        if let x = Double(t), x.isFinite, x == x.rounded(), abs(x) < 1e15 { return Int(x) }
        return nil
    }

    /// The field as a boolean (`true`/`false`, `1`/`0`, `yes`/`no`); nil otherwise.
    func bool(_ row: [String], _ name: String) -> Bool? {
        switch text(row, name).lowercased() {
        case "true", "1", "yes": return true
        case "false", "0", "no": return false
        default: return nil
        }
    }
}
