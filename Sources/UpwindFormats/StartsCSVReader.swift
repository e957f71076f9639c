import Foundation
import UpwindCore

/// Why a starts CSV (`--starts starts.csv`) could not be read.
///
/// Every case's ``description`` is one line naming the file (and, for row errors, the line
/// number, column and value) and saying what to do. Line numbers are 1-based physical lines,
/// the header being line 1 (after any leading blank lines).
public enum StartsCSVError: Error, Equatable, Sendable, CustomStringConvertible, LocalizedError {
    /// The file does not exist.
    case fileNotFound(path: String)
    /// The file exists but could not be read, or is not UTF-8 text.
    case unreadable(path: String, reason: String)
    /// The file has no header line (it is empty or blank).
    case empty(path: String)
    /// The header has no column with this name (case-insensitive).
    case missingColumn(path: String, column: String, header: [String])
    /// The header is present but no data rows follow.
    case noRows(path: String)
    /// A numeric field (latitude, longitude, height_m) is empty, not a number, or not finite.
    case badNumber(path: String, line: Int, column: String, value: String)
    /// A latitude is outside −90…90 degrees.
    case latitudeOutOfRange(path: String, line: Int, value: String)
    /// A time is not ISO 8601 with `Z` or a UTC offset.
    case badTime(path: String, line: Int, value: String)

    /// A one-line explanation naming the file, line, column and value, and what to do.
    public var description: String {
        switch self {
        case let .fileNotFound(path):
            return "starts file '\(path)' does not exist; check the path"
        case let .unreadable(path, reason):
            return "cannot read starts file '\(path)': \(reason); save it as UTF-8 CSV text"
        case let .empty(path):
            return "starts file '\(path)' is empty; it needs the header 'site,latitude,longitude,height_m,time' and one row per start"
        case let .missingColumn(path, column, header):
            let found = header.isEmpty ? "nothing" : header.map { "'\($0)'" }.joined(separator: ", ")
            return "starts file '\(path)' header: no '\(column)' column (found \(found)); the header needs site,latitude,longitude,height_m,time"
        case let .noRows(path):
            return "starts file '\(path)' has a header but no rows; add one row per start, e.g. 'Beijing,39.9,116.4,500,2024-01-15T06:00:00Z'"
        case let .badNumber(path, line, column, value):
            let shown = value.isEmpty ? "an empty value" : "'\(value)'"
            return "starts file '\(path)' line \(line), column \(column): \(shown) is not a number; write a decimal such as \(column == "height_m" ? "500" : "39.9")\(StartsCSVError.unit(column))"
        case let .latitudeOutOfRange(path, line, value):
            return "starts file '\(path)' line \(line), column latitude: '\(value)' is outside -90…90; give degrees north (are latitude and longitude swapped?)"
        case let .badTime(path, line, value):
            let shown = value.isEmpty ? "an empty value" : "'\(value)'"
            return "starts file '\(path)' line \(line), column time: \(shown) is not an ISO 8601 time with a zone; write e.g. 2024-01-15T06:00:00Z (UTC) or 2024-01-15T14:00:00+08:00"
        }
    }

    /// Same as ``description``.
    public var errorDescription: String? { description }

    private static func unit(_ column: String) -> String {
        switch column {
        case "latitude": return " (degrees north)"
        case "longitude": return " (degrees east)"
        case "height_m": return " (metres)"
        default: return ""
        }
    }
}

/// Reads trajectory starts from a CSV file (`--starts starts.csv`).
///
/// The header must name the columns `site, latitude, longitude, height_m, time`, in any order and
/// any letter case; extra columns are ignored. `latitude` is degrees north (−90…90), `longitude`
/// degrees east (any range, kept as given), `height_m` metres (above ground unless the caller
/// sets `TrajectoryStart/heightIsMSL`), `time` ISO 8601 with `Z` or an offset such as `+08:00`
/// (converted to UTC; a time without a zone is refused as ambiguous). An empty `site` becomes
/// `S<n>` (n = the start's 1-based position). Fields are RFC 4180 (quoted fields may hold commas);
/// a UTF-8 byte-order mark, CRLF line ends, spaces around values and blank lines are tolerated.
///
/// ```swift
/// let starts = try StartsCSVReader.read(path: "starts.csv")
/// ```
public enum StartsCSVReader {
    /// The required column names, in documentation order.
    public static let requiredColumns = ["site", "latitude", "longitude", "height_m", "time"]

    /// Reads and validates the starts file at `path`.
    /// - Returns: One `TrajectoryStart` per data row, in file order (`heightIsMSL` false).
    /// - Throws: ``StartsCSVError``.
    public static func read(path: String) throws -> [TrajectoryStart] {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw StartsCSVError.fileNotFound(path: path)
        }
        guard !isFolder.boolValue else {
            throw StartsCSVError.unreadable(path: path, reason: "it is a folder")
        }
        if let kind = InputDevice.kind(path) { throw StartsCSVError.unreadable(path: path, reason: "it is \(kind), not a file") }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw StartsCSVError.unreadable(path: path, reason: "\(error)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw StartsCSVError.unreadable(path: path, reason: "it is not valid UTF-8")
        }
        return try parse(text, source: path)
    }

    /// Parses starts CSV text; `source` names the file in errors.
    /// - Throws: ``StartsCSVError``.
    public static func parse(_ text: String, source: String) throws -> [TrajectoryStart] {
        var records: CSVRecords
        do {
            records = try CSVRecords(text: text)
        } catch {
            throw StartsCSVError.unreadable(path: source, reason: "\(error)")
        }

        // Header: the first non-blank record.
        guard let (_, header) = records.header() else { throw StartsCSVError.empty(path: source) }
        var index: [String: Int] = [:]
        for name in requiredColumns {
            guard let position = header.firstIndex(of: name) else {
                throw StartsCSVError.missingColumn(path: source, column: name, header: header)
            }
            index[name] = position
        }

        var starts: [TrajectoryStart] = []
        while let next = records.nextNonBlank() {
            let line = next.line, record = next.fields
            func field(_ name: String) -> String {
                guard let position = index[name], position < record.count else { return "" }
                return trim(record[position])
            }
            func number(_ name: String) throws -> Double {
                let value = field(name)
                guard let number = Double(value), number.isFinite else {
                    throw StartsCSVError.badNumber(path: source, line: line, column: name, value: value)
                }
                return number
            }
            let latitude = try number("latitude")
            guard (-90...90).contains(latitude) else {
                throw StartsCSVError.latitudeOutOfRange(path: source, line: line, value: field("latitude"))
            }
            let longitude = try number("longitude")
            let height = try number("height_m")
            let timeText = field("time")
            guard hasZone(timeText), let time = UTCTime(iso8601: timeText) else {
                throw StartsCSVError.badTime(path: source, line: line, value: timeText)
            }
            let site = field("site")
            starts.append(TrajectoryStart(site: site.isEmpty ? "S\(starts.count + 1)" : site,
                                          latitude: latitude, longitude: longitude, height: height, time: time))
        }
        guard !starts.isEmpty else { throw StartsCSVError.noRows(path: source) }
        return starts
    }

    /// True when an ISO 8601 date-time ends in `Z` or carries a `±hh[:mm]` offset after the date.
    static func hasZone(_ text: String) -> Bool {
        guard let last = text.last else { return false }
        if last == "Z" || last == "z" { return true }
        let afterDate = text.dropFirst(10)
        return afterDate.contains("+") || afterDate.contains("-")
    }

    private static func trim(_ text: String) -> String { CSVRecords.trim(text) }
}
