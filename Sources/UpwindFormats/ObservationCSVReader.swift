import Foundation
import UpwindAttribution
import UpwindCore

/// Reads station observations from CSV (`--observations OBS.csv`) into an `ObservationSet`.
///
/// The header names the columns `site, latitude, longitude, time, value` and optionally
/// `pollutant` and `unit`, in any order and any letter case; any other column is refused (with
/// the list of allowed ones). Rows:
/// - `latitude` degrees north (−90…90), `longitude` degrees east (kept as given); a site keeps
///   the same coordinates on every row of the chosen pollutant.
/// - `time` ISO 8601 with `Z` or an offset (`2024-01-15T14:00:00+08:00`), converted to UTC. A time
///   without a zone is refused unless `timezone` says which offset such times have (`+08:00` for
///   Chinese monitoring data in Beijing time).
/// - `value` a decimal number. An empty cell, `NA`, `NaN` or `null` (any letter case) is a
///   **missing reading**: kept as an observation with a nil value, never as 0. Other text is
///   refused. Fill values such as -999 are read as numbers: write them as empty or NA.
/// - `pollutant`, when the column is present, is non-empty on every row; a file holding several
///   pollutants needs `pollutant` to pick one (matched ignoring letter case), and only its rows
///   are kept. `unit`, when given, is the same on every kept row (an empty unit is unknown).
/// - One row per site and time (UTC): a repeat is refused naming both lines.
/// Fields are RFC 4180 (quoted fields may hold commas); a UTF-8 byte-order mark, CRLF line ends,
/// spaces around values and blank lines are tolerated. Errors name the line (1-based physical
/// lines, blank ones included), column and value.
///
/// ```swift
/// let observations = try ObservationCSVReader.read(path: "obs.csv", pollutant: "PM2.5", timezone: "+08:00")
/// ```
public enum ObservationCSVReader {
    /// The required column names, in documentation order.
    public static let requiredColumns = ["site", "latitude", "longitude", "time", "value"]
    /// The optional column names.
    public static let optionalColumns = ["pollutant", "unit"]
    /// Value texts read as a missing reading (compared ignoring letter case); an empty cell is missing too.
    public static let missingValueTexts = ["NA", "NaN", "null"]

    /// Reads and validates the observations file at `path`.
    /// - Parameters:
    ///   - path: the CSV file.
    ///   - pollutant: the pollutant to keep when the file has a `pollutant` column (required when
    ///     it holds several); nil keeps the only one.
    ///   - timezone: the UTC offset of times written without a zone (`+08:00`, `-05:00`, `+0530`,
    ///     `+08`, `Z`, `UTC`); nil refuses such times.
    /// - Returns: the chosen pollutant's observations.
    /// - Throws: ``ObservationCSVError``.
    public static func read(path: String, pollutant: String? = nil, timezone: String? = nil) throws(ObservationCSVError) -> ObservationSet {
        let offset = try zoneOffset(timezone, source: path)
        let text: String
        do {
            text = try CSVRecords.text(ofFile: path)
        } catch {
            switch error {
            case .notFound: throw .fileNotFound(path: path)
            case .unreadable(let reason): throw .unreadable(path: path, reason: reason)
            }
        }
        return try parse(text, source: path, pollutant: pollutant, zonelessOffsetSeconds: offset)
    }

    /// Reads observations from CSV text held in memory (a service's upload), as ``read(path:pollutant:timezone:)`` does.
    /// - Parameters:
    ///   - text: the CSV text.
    ///   - name: what errors call the text (e.g. the upload's file name).
    ///   - pollutant: the pollutant to keep (see ``read(path:pollutant:timezone:)``).
    ///   - timezone: the UTC offset of zoneless times, or nil to refuse them.
    /// - Returns: the chosen pollutant's observations.
    /// - Throws: ``ObservationCSVError``.
    public static func read(text: String, name: String, pollutant: String? = nil, timezone: String? = nil) throws(ObservationCSVError) -> ObservationSet {
        let offset = try zoneOffset(timezone, source: name)
        return try parse(text, source: name, pollutant: pollutant, zonelessOffsetSeconds: offset)
    }

    /// The offset, in seconds east of UTC, of a timezone text: `Z` or `UTC` (0), or `±hh`,
    /// `±hhmm`, `±hh:mm` with hours 0–14 and minutes 0–59 (`+08:00` → 28800). Nil for anything else.
    public static func offsetSeconds(timezone text: String) -> Int? {
        let t = text.trimmingCharacters(in: .whitespaces)
        if t == "Z" || t == "z" || t.uppercased() == "UTC" { return 0 }
        guard let sign = t.first, sign == "+" || sign == "-" else { return nil }
        let rest = t.dropFirst()
        let digits: [Substring]
        if rest.contains(":") {
            digits = rest.split(separator: ":", omittingEmptySubsequences: false)
        } else if rest.count == 4 {
            digits = [rest.prefix(2), rest.suffix(2)]
        } else {
            digits = [rest]
        }
        guard (1...2).contains(digits.count), digits.allSatisfy({ (1...2).contains($0.count) && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
              let hours = Int(digits[0]), (0...14).contains(hours) else { return nil }
        let minutes = digits.count == 2 ? Int(digits[1]) : 0
        guard let minutes, (0..<60).contains(minutes) else { return nil }
        return (hours * 3600 + minutes * 60) * (sign == "+" ? 1 : -1)
    }

    private static func zoneOffset(_ timezone: String?, source: String) throws(ObservationCSVError) -> Int? {
        guard let timezone else { return nil }
        guard let offset = offsetSeconds(timezone: timezone) else { throw .badTimezone(path: source, value: timezone) }
        return offset
    }

    /// One validated row.
    private struct Row {
        var line: Int
        var observation: Observation
    }

    private static func parse(_ text: String, source: String, pollutant requested: String?,
                              zonelessOffsetSeconds: Int?) throws(ObservationCSVError) -> ObservationSet {
        var records: CSVRecords
        do {
            records = try CSVRecords(text: text)
        } catch {
            throw .unreadable(path: source, reason: "\(error)")
        }

        // Header: the first non-blank record.
        guard let (headerLine, header) = records.header() else { throw .empty(path: source) }
        let allowed = requiredColumns + optionalColumns
        var index: [String: Int] = [:]
        for (position, name) in header.enumerated() {
            guard allowed.contains(name) else {
                throw .unknownColumn(path: source, line: headerLine, column: name, allowed: allowed)
            }
            guard index[name] == nil else { throw .duplicateColumn(path: source, line: headerLine, column: name) }
            index[name] = position
        }
        for name in requiredColumns where index[name] == nil {
            throw .missingColumn(path: source, line: headerLine, column: name, header: header)
        }
        let hasPollutant = index["pollutant"] != nil
        if let requested, !hasPollutant {
            throw .noPollutantColumn(path: source, line: headerLine, requested: requested)
        }

        var rows: [Row] = []
        while let next = records.nextNonBlank() {
            let line = next.line, record = next.fields
            guard record.count == header.count else {
                throw .fieldCount(path: source, line: line, count: record.count, expected: header.count)
            }
            rows.append(try row(record, index: index, line: line, source: source, zonelessOffsetSeconds: zonelessOffsetSeconds))
        }
        guard !rows.isEmpty else { throw .noRows(path: source) }

        // Pollutant choice.
        if hasPollutant {
            var names: [String] = [], keys: [String] = [], firstLines: [Int] = []
            for row in rows {
                let name = row.observation.pollutant ?? ""
                if !keys.contains(name.lowercased()) {
                    keys.append(name.lowercased())
                    names.append(name)
                    firstLines.append(row.line)
                }
            }
            if let requested {
                guard keys.contains(requested.lowercased()) else {
                    throw .pollutantNotFound(path: source, requested: requested, available: names, lines: firstLines)
                }
                rows.removeAll { ($0.observation.pollutant ?? "").lowercased() != requested.lowercased() }
            } else if names.count > 1 {
                throw .pollutantRequired(path: source, pollutants: names, lines: firstLines)
            }
        }

        // One unit.
        var firstUnit: (text: String, line: Int)?
        for row in rows {
            guard let unit = row.observation.unit else { continue }
            if let first = firstUnit {
                guard first.text == unit else {
                    throw .conflictingUnit(path: source, firstLine: first.line, line: row.line, first: first.text, second: unit)
                }
            } else {
                firstUnit = (unit, row.line)
            }
        }

        do {
            return try ObservationSet(rows.map(\.observation))
        } catch {
            switch error {
            case let .duplicate(site, time, first, second):
                throw .duplicateObservation(path: source, site: site, time: time, firstLine: rows[first].line, line: rows[second].line)
            case let .conflictingCoordinates(site, first, second, lat1, lon1, lat2, lon2):
                throw .conflictingCoordinates(path: source, site: site, firstLine: rows[first].line, line: rows[second].line,
                                              first: "\(number(lat1)),\(number(lon1))", second: "\(number(lat2)),\(number(lon2))")
            case let .emptySite(i):
                throw .emptySite(path: source, line: rows[i].line)
            case let .badCoordinates(i, _, _), let .nonFiniteValue(i, _):
                throw .invalidObservation(path: source, line: rows[i].line, reason: "\(error)")
            }
        }
    }

    private static func row(_ record: [String], index: [String: Int], line: Int, source: String,
                            zonelessOffsetSeconds: Int?) throws(ObservationCSVError) -> Row {
        func field(_ name: String) -> String? {
            guard let position = index[name], position < record.count else { return nil }
            return trim(record[position])
        }
        func coordinate(_ name: String) throws(ObservationCSVError) -> Double {
            let text = field(name) ?? ""
            guard let value = Double(text), value.isFinite else {
                throw .badNumber(path: source, line: line, column: name, value: text)
            }
            return value
        }
        let site = field("site") ?? ""
        guard !site.isEmpty else { throw .emptySite(path: source, line: line) }
        let latitude = try coordinate("latitude")
        guard (-90...90).contains(latitude) else {
            throw .latitudeOutOfRange(path: source, line: line, value: field("latitude") ?? "")
        }
        let longitude = try coordinate("longitude")
        let timeText = field("time") ?? ""
        let time: UTCTime
        do {
            time = try UTCTime(parsing: timeText, zonelessOffsetSeconds: zonelessOffsetSeconds)
        } catch {
            throw .badTime(path: source, line: line, value: timeText, reason: error.reason)
        }
        let valueText = field("value") ?? ""
        var value: Double?
        if !valueText.isEmpty, !missingValueTexts.contains(where: { $0.caseInsensitiveCompare(valueText) == .orderedSame }) {
            guard let number = Double(valueText), number.isFinite else {
                throw .badNumber(path: source, line: line, column: "value", value: valueText)
            }
            value = number
        }
        var pollutant: String?
        if let text = field("pollutant") {
            guard !text.isEmpty else { throw .emptyPollutant(path: source, line: line) }
            pollutant = text
        }
        let unit = field("unit").flatMap { $0.isEmpty ? nil : $0 }
        return Row(line: line, observation: Observation(site: site, latitude: latitude, longitude: longitude, time: time,
                                                        value: value, pollutant: pollutant, unit: unit))
    }

    /// Shortest text of a coordinate, for messages.
    private static func number(_ value: Double) -> String { JSONText.number(value) }

    private static func trim(_ text: String) -> String { CSVRecords.trim(text) }
}
