import Foundation
import UpwindAttribution
import UpwindCore

/// Reads NASA FIRMS active-fire CSV files (`--fires FILE`; see the *Fire matching* article in Upwind's documentation), MODIS and VIIRS, into
/// `FirePoint`s.
///
/// The header is FIRMS's: `latitude, longitude, bright_ti4 | brightness, scan, track, acq_date,
/// acq_time, satellite, instrument, confidence, version, bright_ti5 | bright_t31, frp, daynight`
/// (archive downloads add `type`), in any order and letter case. Required: `latitude`,
/// `longitude`, `acq_date`, `acq_time`, `frp`, `confidence`; `satellite`, `instrument` and `type`
/// are kept when present; any other column is ignored. Rows:
/// - `latitude` degrees north (−90…90), `longitude` degrees east (−180…180; 180 is kept as −180).
/// - `acq_date` the UTC date, `YYYY-MM-DD`; `acq_time` the UTC time `HHMM`, leading zeros
///   optional (`5` is 00:05, `105` is 01:05; `HH:MM` is accepted too).
/// - `confidence` a MODIS percent, a whole number 0–100, or a VIIRS class `l`, `n`, `h` (also
///   `low`, `nominal`, `high`, any letter case).
/// - `frp` fire radiative power, MW, a finite number ≥ 0.
/// - `type`, when present and not empty: 0, 1, 2 or 3.
/// - The fire's id: the `fire_id` column's value, else the `id` column's, else the 1-based
///   number of the data row (blank lines not counted) as text; ids are unique and not empty.
/// A header with no rows gives no fires (a FIRMS download of a quiet period). Fields are RFC 4180;
/// a UTF-8 byte-order mark, CRLF line ends, spaces around values and blank lines are tolerated.
/// Errors name the file, line (1-based physical lines, blank ones included), column and value.
///
/// ```swift
/// let fires = try FIRMSCSVReader.read(path: "fire_archive_SV-C2_2024.csv")
/// ```
public enum FIRMSCSVReader {
    /// The required column names, in documentation order.
    public static let requiredColumns = ["latitude", "longitude", "acq_date", "acq_time", "frp", "confidence"]
    /// The optional column names the reader uses (others are ignored).
    public static let optionalColumns = ["satellite", "instrument", "type", "fire_id", "id"]

    /// Reads the FIRMS CSV file at `path`.
    /// - Parameter path: the file.
    /// - Returns: the fires, in file order.
    /// - Throws: ``FIRMSCSVError``.
    public static func read(path: String) throws(FIRMSCSVError) -> [FirePoint] {
        let text: String
        do {
            text = try CSVRecords.text(ofFile: path)
        } catch {
            switch error {
            case .notFound: throw .fileNotFound(path: path)
            case .unreadable(let reason): throw .unreadable(path: path, reason: reason)
            }
        }
        return try parse(text, source: path)
    }

    /// Reads FIRMS CSV text held in memory, as ``read(path:)`` does.
    /// - Parameters:
    ///   - text: the CSV text.
    ///   - name: what errors call the text (e.g. an upload's file name).
    /// - Returns: the fires, in text order.
    /// - Throws: ``FIRMSCSVError``.
    public static func read(text: String, name: String) throws(FIRMSCSVError) -> [FirePoint] {
        try parse(text, source: name)
    }

    /// The confidence of a FIRMS `confidence` text: a whole percent (`85`, also `85.0`) or a VIIRS
    /// class (`l`, `n`, `h`, `low`, `nominal`, `high`, any letter case); nil otherwise. A percent
    /// outside 0–100 is returned as is (`FireConfidence.isValid` is false).
    /// - Parameter text: the text (spaces around it ignored).
    /// - Returns: the confidence, or nil.
    public static func confidence(_ text: String) -> FireConfidence? {
        let t = trim(text).lowercased()
        switch t {
        case "l", "low": return .low
        case "n", "nominal": return .nominal
        case "h", "high": return .high
        default: break
        }
        if let c = Int(t) { return .percent(c) }
        if let v = Double(t), v.isFinite, v == v.rounded(), abs(v) < 1e9 { return .percent(Int(v)) }
        return nil
    }

    private static func parse(_ text: String, source: String) throws(FIRMSCSVError) -> [FirePoint] {
        var records: CSVRecords
        do {
            records = try CSVRecords(text: text)
        } catch {
            throw .unreadable(path: source, reason: "\(error)")
        }

        // Header: the first non-blank record.
        guard let (headerLine, header) = records.header() else { throw .empty(path: source) }
        let used = requiredColumns + optionalColumns
        var index: [String: Int] = [:]
        for (position, name) in header.enumerated() where used.contains(name) {
            guard index[name] == nil else { throw .duplicateColumn(path: source, line: headerLine, column: name) }
            index[name] = position
        }
        let missing = requiredColumns.filter { index[$0] == nil }
        guard missing.isEmpty else {
            throw .missingColumns(path: source, line: headerLine, columns: missing, header: header)
        }
        let idColumn = index["fire_id"] != nil ? "fire_id" : (index["id"] != nil ? "id" : nil)
        let columns = Columns(
            latitude: index["latitude"] ?? 0, longitude: index["longitude"] ?? 0, date: index["acq_date"] ?? 0,
            time: index["acq_time"] ?? 0, frp: index["frp"] ?? 0, confidence: index["confidence"] ?? 0,
            satellite: index["satellite"], instrument: index["instrument"], type: index["type"],
            id: idColumn.flatMap { index[$0] }, idName: idColumn ?? "")

        var fires: [FirePoint] = []
        var firstLineOfID: [String: Int] = [:]
        var row = 0
        while let next = records.nextNonBlank() {
            let line = next.line, record = next.fields
            guard record.count == header.count else {
                throw .fieldCount(path: source, line: line, count: record.count, expected: header.count)
            }
            row += 1
            let fire = try fire(record, columns, row: row, line: line, source: source)
            if let first = firstLineOfID.updateValue(line, forKey: fire.id) {
                throw .duplicateID(path: source, id: fire.id, firstLine: first, line: line)
            }
            fires.append(fire)
        }
        return fires
    }

    /// Positions of the columns used.
    private struct Columns {
        var latitude, longitude, date, time, frp, confidence: Int
        var satellite, instrument, type, id: Int?
        var idName: String
    }

    private static func fire(_ record: [String], _ columns: Columns, row: Int, line: Int,
                             source: String) throws(FIRMSCSVError) -> FirePoint {
        func field(_ position: Int) -> String { trim(record[position]) }
        func number(_ position: Int, _ name: String) throws(FIRMSCSVError) -> (Double, String) {
            let text = field(position)
            guard let value = Double(text) else { throw .badNumber(path: source, line: line, column: name, value: text) }
            return (value, text)
        }
        let (latitude, latitudeText) = try number(columns.latitude, "latitude")
        guard latitude.isFinite else { throw .badNumber(path: source, line: line, column: "latitude", value: latitudeText) }
        guard (-90...90).contains(latitude) else {
            throw .latitudeOutOfRange(path: source, line: line, value: latitudeText)
        }
        let (longitude, longitudeText) = try number(columns.longitude, "longitude")
        guard longitude.isFinite else { throw .badNumber(path: source, line: line, column: "longitude", value: longitudeText) }
        guard (-180...180).contains(longitude) else {
            throw .longitudeOutOfRange(path: source, line: line, value: longitudeText)
        }
        let dateText = field(columns.date)
        let days: Int
        switch date(dateText) {
        case .success(let d): days = d
        case .failure(let reason): throw .badDate(path: source, line: line, value: dateText, reason: reason.text)
        }
        let timeText = field(columns.time)
        let minutes: Int
        switch clock(timeText) {
        case .success(let m): minutes = m
        case .failure(let reason): throw .badTime(path: source, line: line, value: timeText, reason: reason.text)
        }
        let (frp, frpText) = try number(columns.frp, "frp")
        guard frp.isFinite, frp >= 0 else { throw .badFRP(path: source, line: line, value: frpText) }
        let confidenceText = field(columns.confidence)
        guard let confidence = confidence(confidenceText) else {
            throw .badConfidence(path: source, line: line, value: confidenceText)
        }
        guard confidence.isValid else { throw .confidenceOutOfRange(path: source, line: line, value: confidenceText) }
        var detectionType: Int?
        if let position = columns.type, !field(position).isEmpty {
            let text = field(position)
            guard let t = Int(text), (0...3).contains(t) else { throw .badType(path: source, line: line, value: text) }
            detectionType = t
        }
        let id: String
        if let position = columns.id {
            id = field(position)
            guard !id.isEmpty else { throw .emptyID(path: source, line: line, column: columns.idName) }
        } else {
            id = String(row)
        }
        let satellite = columns.satellite.map(field).flatMap { $0.isEmpty ? nil : $0 }
        let instrument = columns.instrument.map(field).flatMap { $0.isEmpty ? nil : $0 }
        let time = UTCTime(secondsSince1970: Int64(days) * 86_400 + Int64(minutes) * 60)
        return FirePoint(id: id, latitude: latitude, longitude: Geodesy.normalizedLongitude(longitude), time: time, frpMW: frp,
                         confidence: confidence, satellite: satellite, instrument: instrument, detectionType: detectionType)
    }

    /// Why a date or time text was refused.
    private struct Reason: Error {
        var text: String
    }

    /// Days since 1970-01-01 of a `YYYY-MM-DD` date.
    private static func date(_ text: String) -> Result<Int, Reason> {
        guard !text.isEmpty else { return .failure(Reason(text: "it is empty")) }
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, (1...2).contains(parts[1].count), (1...2).contains(parts[2].count),
              parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]) else {
            return .failure(Reason(text: "it is not YYYY-MM-DD"))
        }
        guard (1...12).contains(m) else { return .failure(Reason(text: "month \(m) is not 1–12")) }
        let last = UTCTime.daysInMonth(year: y, month: m)
        guard (1...last).contains(d) else {
            return .failure(Reason(text: "day \(d) is not in \(parts[0])-\(m < 10 ? "0" : "")\(m) (1–\(last))"))
        }
        return .success(UTCTime.daysFromCivil(year: y, month: m, day: d))
    }

    /// Minutes after midnight of an `HHMM` time (1–4 digits) or `HH:MM`.
    private static func clock(_ text: String) -> Result<Int, Reason> {
        guard !text.isEmpty else { return .failure(Reason(text: "it is empty")) }
        let digits: (Substring) -> Bool = { !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }
        let hours: Int, minutes: Int
        if text.contains(":") {
            let parts = text.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 2, (1...2).contains(parts[0].count), parts[1].count == 2, digits(parts[0]), digits(parts[1]),
                  let h = Int(parts[0]), let m = Int(parts[1]) else {
                return .failure(Reason(text: "it is not HHMM or HH:MM"))
            }
            hours = h
            minutes = m
        } else {
            guard text.count <= 4, digits(Substring(text)), let v = Int(text) else {
                return .failure(Reason(text: "it is not HHMM (up to 4 digits)"))
            }
            hours = v / 100
            minutes = v % 100
        }
        guard hours < 24 else { return .failure(Reason(text: "hour \(hours) is not 0–23")) }
        guard minutes < 60 else { return .failure(Reason(text: "minute \(minutes) is not 0–59")) }
        return .success(hours * 60 + minutes)
    }

    private static func trim(_ text: String) -> String { CSVRecords.trim(text) }
}
