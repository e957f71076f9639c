import Foundation
import UpwindCore

/// Why a NASA FIRMS fire CSV (`--fires FILE`) could not be read.
///
/// Every case's ``description`` is one line naming the file (and, for row errors, the line
/// number, column and value) and saying what to do. Line numbers are 1-based physical lines of
/// the file, blank lines included.
public enum FIRMSCSVError: Error, Equatable, Sendable, CustomStringConvertible, LocalizedError {
    /// The file does not exist.
    case fileNotFound(path: String)
    /// The file exists but could not be read, or is not UTF-8 text.
    case unreadable(path: String, reason: String)
    /// The file has no header line (it is empty or blank).
    case empty(path: String)
    /// The header (at `line`) lacks required columns: `columns` lists every missing one, in
    /// ``FIRMSCSVReader/requiredColumns`` order; `header` is the header as read (lowercased).
    case missingColumns(path: String, line: Int, columns: [String], header: [String])
    /// The header (at `line`) names a column the reader uses twice.
    case duplicateColumn(path: String, line: Int, column: String)
    /// A row has a different number of fields from the header.
    case fieldCount(path: String, line: Int, count: Int, expected: Int)
    /// A latitude or longitude is not a finite number, or an FRP is not a number.
    case badNumber(path: String, line: Int, column: String, value: String)
    /// A latitude is outside −90…90 degrees.
    case latitudeOutOfRange(path: String, line: Int, value: String)
    /// A longitude is outside −180…180 degrees.
    case longitudeOutOfRange(path: String, line: Int, value: String)
    /// An `acq_date` is not a YYYY-MM-DD date; `reason` says why.
    case badDate(path: String, line: Int, value: String, reason: String)
    /// An `acq_time` is not an HHMM UTC time (leading zeros may be missing); `reason` says why.
    case badTime(path: String, line: Int, value: String, reason: String)
    /// A `confidence` is neither a whole percent nor a VIIRS class (`l`, `n`, `h`, `low`, `nominal`, `high`).
    case badConfidence(path: String, line: Int, value: String)
    /// A MODIS `confidence` percent outside 0–100.
    case confidenceOutOfRange(path: String, line: Int, value: String)
    /// An `frp` that is negative, infinite or NaN.
    case badFRP(path: String, line: Int, value: String)
    /// A `type` that is not one of the FIRMS archive's 0, 1, 2, 3.
    case badType(path: String, line: Int, value: String)
    /// An empty id in the file's id column (`fire_id` or `id`).
    case emptyID(path: String, line: Int, column: String)
    /// Two rows with the same id.
    case duplicateID(path: String, id: String, firstLine: Int, line: Int)

    /// A one-line explanation naming the file, line, column and value, and what to do.
    public var description: String {
        let file = "FIRMS fire file"
        switch self {
        case let .fileNotFound(path):
            return "\(file) '\(path)' does not exist; check the path"
        case let .unreadable(path, reason):
            return "cannot read \(file) '\(path)': \(reason); give the CSV as downloaded from FIRMS (UTF-8 text)"
        case let .empty(path):
            return "\(file) '\(path)' is empty; it needs a FIRMS header (latitude,longitude,…,acq_date,acq_time,…,confidence,…,frp,…) and one row per fire"
        case let .missingColumns(path, line, columns, header):
            let found = header.isEmpty ? "nothing" : header.map { "'\($0)'" }.joined(separator: ", ")
            let missing = columns.map { "'\($0)'" }.joined(separator: ", ")
            return "\(file) '\(path)' line \(line) (header): missing column\(columns.count == 1 ? "" : "s") \(missing) (found \(found)); a FIRMS MODIS or VIIRS CSV needs \(FIRMSCSVReader.requiredColumns.joined(separator: ", "))"
        case let .duplicateColumn(path, line, column):
            return "\(file) '\(path)' line \(line) (header): column '\(column)' appears twice; keep one"
        case let .fieldCount(path, line, count, expected):
            return "\(file) '\(path)' line \(line): \(count) field\(count == 1 ? "" : "s") but the header has \(expected); give every column on every row"
        case let .badNumber(path, line, column, value):
            let shown = value.isEmpty ? "an empty value" : "'\(value)'"
            let hint: String
            switch column {
            case "latitude": hint = "degrees north such as 34.75"
            case "longitude": hint = "degrees east such as 113.62"
            default: hint = "megawatts such as 12.3"
            }
            return "\(file) '\(path)' line \(line), column \(column): \(shown) is not a number; write \(hint)"
        case let .latitudeOutOfRange(path, line, value):
            return "\(file) '\(path)' line \(line), column latitude: '\(value)' is outside -90…90; give degrees north (are latitude and longitude swapped?)"
        case let .longitudeOutOfRange(path, line, value):
            return "\(file) '\(path)' line \(line), column longitude: '\(value)' is outside -180…180; give degrees east"
        case let .badDate(path, line, value, reason):
            return "\(file) '\(path)' line \(line), column acq_date: '\(value)' is not usable: \(reason); write the UTC date as YYYY-MM-DD, e.g. 2024-06-10"
        case let .badTime(path, line, value, reason):
            return "\(file) '\(path)' line \(line), column acq_time: '\(value)' is not usable: \(reason); write the UTC time as HHMM, e.g. 0530 or 530 for 05:30, 5 for 00:05"
        case let .badConfidence(path, line, value):
            let shown = value.isEmpty ? "an empty value" : "'\(value)'"
            return "\(file) '\(path)' line \(line), column confidence: \(shown) is neither a MODIS percent (0–100) nor a VIIRS class (l, n, h or low, nominal, high)"
        case let .confidenceOutOfRange(path, line, value):
            return "\(file) '\(path)' line \(line), column confidence: '\(value)' is outside 0–100; a MODIS confidence is a percent"
        case let .badFRP(path, line, value):
            return "\(file) '\(path)' line \(line), column frp: '\(value)' is not a fire radiative power; give megawatts, a finite number ≥ 0"
        case let .badType(path, line, value):
            return "\(file) '\(path)' line \(line), column type: '\(value)' is not a FIRMS detection type; give 0 (vegetation fire), 1 (volcano), 2 (other static land source) or 3 (offshore), or leave it empty"
        case let .emptyID(path, line, column):
            return "\(file) '\(path)' line \(line), column \(column): the id is empty; give every fire an id, or remove the \(column) column to number fires by row"
        case let .duplicateID(path, id, firstLine, line):
            return "\(file) '\(path)' line \(line): fire id '\(id)' is already used on line \(firstLine); give each fire its own id"
        }
    }

    /// Same as ``description``.
    public var errorDescription: String? { description }
}
