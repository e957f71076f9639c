import Foundation
import UpwindCore

/// Why an observations CSV (`--observations OBS.csv`) could not be read.
///
/// Every case's ``description`` is one line naming the file (and, for row errors, the line
/// number, column and value) and saying what to do. Line numbers are 1-based physical lines of
/// the file, blank lines included.
public enum ObservationCSVError: Error, Equatable, Sendable, CustomStringConvertible, LocalizedError {
    /// The file does not exist.
    case fileNotFound(path: String)
    /// The file exists but could not be read, or is not UTF-8 text.
    case unreadable(path: String, reason: String)
    /// The file has no header line (it is empty or blank).
    case empty(path: String)
    /// The timezone given for times without a zone is not `Z`, `UTC` or `±hh[:mm]`.
    case badTimezone(path: String, value: String)
    /// The header (at `line`) lacks a required column (names are case-insensitive).
    case missingColumn(path: String, line: Int, column: String, header: [String])
    /// The header (at `line`) has a column that is not one of `allowed`.
    case unknownColumn(path: String, line: Int, column: String, allowed: [String])
    /// The header (at `line`) names a column twice.
    case duplicateColumn(path: String, line: Int, column: String)
    /// The header is present but no data rows follow.
    case noRows(path: String)
    /// A row has a different number of fields from the header.
    case fieldCount(path: String, line: Int, count: Int, expected: Int)
    /// A row's site is empty.
    case emptySite(path: String, line: Int)
    /// A latitude, longitude or value is not a finite number (an empty or NA value is a missing
    /// reading, not this error).
    case badNumber(path: String, line: Int, column: String, value: String)
    /// A latitude is outside −90…90 degrees.
    case latitudeOutOfRange(path: String, line: Int, value: String)
    /// A time is not ISO 8601, or has no zone and no timezone was given; `reason` says which.
    case badTime(path: String, line: Int, value: String, reason: String)
    /// A row's pollutant is empty although the file has a `pollutant` column.
    case emptyPollutant(path: String, line: Int)
    /// A pollutant was asked for but the file (header at `line`) has no `pollutant` column.
    case noPollutantColumn(path: String, line: Int, requested: String)
    /// The file holds several pollutants (each with the line it first appears on) and none was picked.
    case pollutantRequired(path: String, pollutants: [String], lines: [Int])
    /// The pollutant asked for is not in the file, which holds `available` (first lines `lines`).
    case pollutantNotFound(path: String, requested: String, available: [String], lines: [Int])
    /// Two rows of the chosen pollutant give different units.
    case conflictingUnit(path: String, firstLine: Int, line: Int, first: String, second: String)
    /// Two rows have the same site and time (UTC, after applying offsets).
    case duplicateObservation(path: String, site: String, time: UTCTime, firstLine: Int, line: Int)
    /// A site's coordinates (degrees) differ between two rows.
    case conflictingCoordinates(path: String, site: String, firstLine: Int, line: Int,
                                first: String, second: String)
    /// A row is refused by the observation set for another reason.
    case invalidObservation(path: String, line: Int, reason: String)

    /// A one-line explanation naming the file, line, column and value, and what to do.
    public var description: String {
        let layout = "site,latitude,longitude,time,value (+ optional pollutant,unit)"
        switch self {
        case let .fileNotFound(path):
            return "observations file '\(path)' does not exist; check the path"
        case let .unreadable(path, reason):
            return "cannot read observations file '\(path)': \(reason); save it as UTF-8 CSV text"
        case let .empty(path):
            return "observations file '\(path)' is empty; it needs the header '\(layout)' and one row per site and hour"
        case let .badTimezone(path, value):
            return "timezone '\(value)' for the times in observations file '\(path)' is not an offset; give one such as +08:00 (Beijing time), -05:00 or Z"
        case let .missingColumn(path, line, column, header):
            let found = header.isEmpty ? "nothing" : header.map { "'\($0)'" }.joined(separator: ", ")
            return "observations file '\(path)' line \(line) (header): no '\(column)' column (found \(found)); the header needs \(layout)"
        case let .unknownColumn(path, line, column, allowed):
            let shown = column.isEmpty ? "an unnamed column" : "unknown column '\(column)'"
            return "observations file '\(path)' line \(line) (header): \(shown); the allowed columns are \(allowed.joined(separator: ", ")) (any order, any letter case); remove or rename it"
        case let .duplicateColumn(path, line, column):
            return "observations file '\(path)' line \(line) (header): column '\(column)' appears twice; keep one"
        case let .noRows(path):
            return "observations file '\(path)' has a header but no rows; add one row per site and hour, e.g. 'Zhengzhou,34.75,113.62,2024-01-15T06:00:00Z,88'"
        case let .fieldCount(path, line, count, expected):
            return "observations file '\(path)' line \(line): \(count) field\(count == 1 ? "" : "s") but the header has \(expected); quote values that contain commas and give every column (an empty value is a missing reading)"
        case let .emptySite(path, line):
            return "observations file '\(path)' line \(line), column site: the site is empty; name the site"
        case let .badNumber(path, line, column, value):
            let shown = value.isEmpty ? "an empty value" : "'\(value)'"
            let hint = column == "value" ? "a decimal such as 88.5, or leave it empty (or NA) for a missing reading"
                : "a decimal such as \(column == "latitude" ? "34.75 (degrees north)" : "113.62 (degrees east)")"
            return "observations file '\(path)' line \(line), column \(column): \(shown) is not a number; write \(hint)"
        case let .latitudeOutOfRange(path, line, value):
            return "observations file '\(path)' line \(line), column latitude: '\(value)' is outside -90…90; give degrees north (are latitude and longitude swapped?)"
        case let .badTime(path, line, value, reason):
            return "observations file '\(path)' line \(line), column time: '\(value)' is not usable: \(reason); write e.g. 2024-01-15T06:00:00Z or 2024-01-15T14:00:00+08:00, or give the timezone of zoneless times (--timezone +08:00)"
        case let .emptyPollutant(path, line):
            return "observations file '\(path)' line \(line), column pollutant: the pollutant is empty; name it (e.g. PM2.5) on every row, or remove the pollutant column"
        case let .noPollutantColumn(path, line, requested):
            return "observations file '\(path)' line \(line) (header): no pollutant column, so pollutant '\(requested)' cannot be picked; drop the pollutant choice or add a pollutant column"
        case let .pollutantRequired(path, pollutants, lines):
            return "observations file '\(path)' holds several pollutants: \(Self.list(pollutants, lines)); pick one (--pollutant NAME)"
        case let .pollutantNotFound(path, requested, available, lines):
            return "observations file '\(path)' has no pollutant '\(requested)'; it holds \(Self.list(available, lines)); pick one of those"
        case let .conflictingUnit(path, firstLine, line, first, second):
            return "observations file '\(path)' line \(line), column unit: '\(second)' differs from '\(first)' on line \(firstLine); convert the values to one unit"
        case let .duplicateObservation(path, site, time, firstLine, line):
            return "observations file '\(path)' line \(line): site '\(site)' at \(time.iso8601) already has a reading on line \(firstLine); keep one row per site and hour"
        case let .conflictingCoordinates(path, site, firstLine, line, first, second):
            return "observations file '\(path)' line \(line): site '\(site)' is at \(second) but at \(first) on line \(firstLine); give a site the same latitude,longitude on every row, or name the two positions as different sites"
        case let .invalidObservation(path, line, reason):
            return "observations file '\(path)' line \(line): \(reason)"
        }
    }

    /// Same as ``description``.
    public var errorDescription: String? { description }

    private static func list(_ names: [String], _ lines: [Int]) -> String {
        zip(names, lines).map { "'\($0)' (first on line \($1))" }.joined(separator: ", ")
    }
}
