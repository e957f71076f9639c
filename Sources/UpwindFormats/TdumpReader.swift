import Foundation
import UpwindCore

/// Options for ``TdumpReader``.
public struct TdumpReadOptions: Sendable {
    /// Century for 1- and 2-digit start years, e.g. `19` reads `95` as 1995 and `20` reads `6`
    /// as 2006. Nil (the default) uses the pivot: years below 40 are 20xx, the others 19xx.
    /// 4-digit years are always taken as written.
    public var century: Int?
    /// Names the site of each trajectory from its 1-based trajectory number in the file and its
    /// start (a tdump carries no site name). Default: `T1`, `T2`, ….
    public var siteName: @Sendable (Int, TrajectoryStart) -> String

    /// Creates options.
    public init(century: Int? = nil, siteName: @escaping @Sendable (Int, TrajectoryStart) -> String = { number, _ in "T\(number)" }) {
        self.century = century
        self.siteName = siteName
    }
}

/// Reads HYSPLIT trajectory endpoints files (`tdump`) into ordinary `Trajectory` values.
///
/// Layout (HYSPLIT's description: https://www.ready.noaa.gov/hypub/trajinfo.html): record 1 `2I6` (met grids; format flag, absent in the old layout),
/// record 2 per grid `A8,5I6`, record 3 `I6,1X,A8,1X,A8` (trajectories, direction, vertical
/// label), record 4 per trajectory `4I6,2F9.3,F8.1` (start), record 5 `I6,n(1X,A8)` (diagnostic
/// labels), then one endpoint record per trajectory and output time
/// `8I6,F8.1,2F9.3,1X,F8.1,n(1X,F8.1)`.
///
/// What the reader accepts, beyond HYSPLIT v5.3.0's own output:
/// - fields separated by whitespace, or glued together (the pre-2005 `2F8.3` layout): a line
///   whose whitespace fields are not all numbers is re-read in fixed columns, first in the
///   current widths, then in the old ones; Fortran overflow (`********`) reads as NaN;
/// - 1-, 2- and 4-digit years: a start year below 100 takes ``TdumpReadOptions/century`` or the
///   pivot (below 40 → 20xx, else 19xx); endpoint years below 100 take the century that puts them
///   nearest the trajectory's start year (so a run across 1999/2000 stays continuous);
/// - any number of met grids, trajectories and diagnostics, in any label order (`PRESSURE`
///   fills `TrajectoryEndpoint/pressure`, NaN when absent; `THETA`, `AIR_TEMP`, `MIXDEPTH`,
///   `RELHUMID`, `TERR_MSL` fill `EndpointDiagnostics`; any other label is kept in
///   ``TdumpProvenance/extraDiagnostics``);
/// - the pre-2017 multi-line form, where an endpoint record with many diagnostics continues on
///   the next line(s): a record with fewer values than the labels need takes the following
///   line's values, as long as the total does not exceed what is needed;
/// - CRLF line ends, blank lines, and a last line without a line end.
///
/// What it refuses, with a ``TdumpError`` naming the file and line: an empty (or blank) file;
/// a file that ends inside the header (e.g. a one-line file); a header record that does not
/// parse; a header with no endpoint record after it; an endpoint record with too few or too
/// many values, a non-number, or an impossible date; a trajectory number outside the header's
/// count.
///
/// The result, one `Trajectory` per record 4 in file order: `id` = the trajectory number
/// (1-based), `site` from ``TdumpReadOptions/siteName``, `member` 0, start latitude, longitude
/// (as written, e.g. 0–360) and height (m AGL) from record 4 at its hour, endpoints in file
/// order (longitudes as written, normally −180…180). A tdump carries no termination reason,
/// so it is inferred: a trajectory as long (in |age|) as the file's longest is `completed`; a
/// shorter one whose last endpoint is at the file's last (forward) or first (backward) endpoint
/// time ran out of met (`outOfMetTime`); any other shorter one is taken to have left the grid
/// (`leftDomain`), HYSPLIT's usual early stop (see the *Trajectory integration* article in Upwind's documentation); a declared trajectory with no
/// endpoint is `missingData`. The termination time is the last endpoint's time.
/// `TrajectoryProvenance/metModel` is grid 1's model id without blanks and
/// `TrajectoryProvenance/tdump` keeps everything a byte-identical rewrite by ``TdumpWriter``
/// needs.
///
/// ```swift
/// let trajectories = try TdumpReader.read(path: "tdump_2024011506")
/// try TdumpWriter.write(trajectories, to: "copy.tdump")   // same bytes
/// ```
public enum TdumpReader {
    /// Reads a tdump file.
    /// - Throws: ``TdumpError``.
    public static func read(path: String, options: TdumpReadOptions = TdumpReadOptions()) throws -> [Trajectory] {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else { throw TdumpError.fileNotFound(path: path) }
        if isFolder.boolValue { throw TdumpError.unreadable(path: path, reason: "it is a folder") }
        if let kind = InputDevice.kind(path) { throw TdumpError.unreadable(path: path, reason: "it is \(kind), not a file") }
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw TdumpError.unreadable(path: path, reason: "\(error.localizedDescription)")
        }
        if data.contains(0) { throw TdumpError.unreadable(path: path, reason: "it holds binary data (NUL bytes)") }
        let text = String(data: data, encoding: .utf8) ?? String(decoding: data, as: UTF8.self)
        return try parse(text, path: path, options: options)
    }

    /// Parses tdump text; `path` is used in error messages only.
    /// - Throws: ``TdumpError``.
    public static func parse(_ text: String, path: String = "<text>", options: TdumpReadOptions = TdumpReadOptions()) throws -> [Trajectory] {
        var lines = Lines(text)
        guard lines.hasMore else { throw TdumpError.empty(path: path) }

        // Record 1.
        guard let r1 = lines.next() else { throw TdumpError.empty(path: path) }
        let r1Tokens = r1.text.split(whereSeparator: \.isWhitespace)
        guard let gridCount = r1Tokens.first.flatMap({ Int($0) }), (1...999).contains(gridCount) else {
            throw TdumpError.badHeader(path: path, line: r1.number, record: "record 1 (number of met grids, format flag)", text: r1.text)
        }
        let formatFlag = r1Tokens.count > 1 ? Int(r1Tokens[1]) : nil

        // Record 2, one per grid.
        var grids: [TdumpMetGrid] = []
        for g in 0..<gridCount {
            guard let line = lines.next() else {
                throw TdumpError.truncatedHeader(path: path, line: lines.lastNumber, expected: "\(gridCount) met-grid records, found \(g)")
            }
            guard let grid = TdumpParsing.metGrid(line.text) else {
                throw TdumpError.badHeader(path: path, line: line.number, record: "met-grid record (A8,5I6: model id, year, month, day, hour, forecast hour)", text: line.text)
            }
            grids.append(grid)
        }

        // Record 3.
        guard let r3 = lines.next() else {
            throw TdumpError.truncatedHeader(path: path, line: lines.lastNumber, expected: "the record with the number of trajectories, direction and vertical method")
        }
        guard let (trajectoryCount, isBackward, verticalLabel) = TdumpParsing.runRecord(r3.text), trajectoryCount >= 1 else {
            throw TdumpError.badHeader(path: path, line: r3.number, record: "record 3 (I6,1X,A8,1X,A8: trajectories, FORWARD/BACKWARD, vertical method)", text: r3.text)
        }

        // Record 4, one per trajectory.
        var starts: [(record: String, start: TdumpParsing.Start, year: Int)] = []
        for k in 0..<trajectoryCount {
            guard let line = lines.next() else {
                throw TdumpError.truncatedHeader(path: path, line: lines.lastNumber, expected: "\(trajectoryCount) start records, found \(k)")
            }
            guard let start = TdumpParsing.start(line.text), TdumpParsing.validDate(month: start.month, day: start.day, hour: start.hour),
                  UTCTime.supportedYears.contains(start.year), start.latitude.isFinite, start.longitude.isFinite, start.height.isFinite else {
                throw TdumpError.badHeader(path: path, line: line.number, record: "start record (4I6,2F9.3,F8.1: year, month, day, hour, latitude, longitude, height)", text: line.text)
            }
            let year = fullYear(start.year, century: options.century)
            guard UTCTime.supportedYears.contains(year) else {
                throw TdumpError.badHeader(path: path, line: line.number, record: "start record (the year \(year) is outside \(UTCTime.supportedYears.lowerBound)…\(UTCTime.supportedYears.upperBound))", text: line.text)
            }
            starts.append((line.text, start, year))
        }

        // Record 5 (labels may continue on following lines in very old files).
        guard let r5 = lines.next() else {
            throw TdumpError.truncatedHeader(path: path, line: lines.lastNumber, expected: "the diagnostic-labels record (e.g. '     1 PRESSURE')")
        }
        guard let parsedLabels = TdumpParsing.labels(r5.text), (0...99).contains(parsedLabels.0) else {
            throw TdumpError.badHeader(path: path, line: r5.number, record: "diagnostic-labels record (I6,n(1X,A8))", text: r5.text)
        }
        let labelCount = parsedLabels.0
        var labels = parsedLabels.1
        while labels.count < labelCount, let next = lines.peek(), let first = next.text.split(whereSeparator: \.isWhitespace).first,
              Double(first) == nil {
            _ = lines.next()
            labels += next.text.split(whereSeparator: \.isWhitespace).map(String.init)
        }
        if labels.count != labelCount {
            throw TdumpError.badHeader(path: path, line: r5.number, record: "diagnostic-labels record (it declares \(labelCount) labels but lists \(labels.count))", text: r5.text)
        }

        // Endpoint records.
        let expected = 12 + labelCount
        var perTrajectory = [[Row]](repeating: [], count: trajectoryCount)
        var fourDigitYears: Bool?
        var rowCount = 0
        while let line = lines.next() {
            var values = try TdumpParsing.values(line.text, first: true, path: path, line: line.number)
            while values.count < expected, let next = lines.peek() {
                guard let more = try? TdumpParsing.values(next.text, first: false, path: path, line: next.number),
                      values.count + more.count <= expected, !TdumpParsing.looksLikeEndpoint(more, expected: expected) else { break }
                values += more
                _ = lines.next()
            }
            guard values.count == expected else {
                throw TdumpError.badEndpoint(path: path, line: line.number, reason: "expected \(expected) values (12 + \(labelCount) diagnostics) but found \(values.count)")
            }
            var ints: [Int] = []
            for (index, value) in values.prefix(8).enumerated() {
                guard let n = Int(exactly: value) else {
                    throw TdumpError.badEndpoint(path: path, line: line.number, reason: "field \(index + 1) ('\(value)') must be a whole number")
                }
                ints.append(n)
            }
            let number = ints[0]
            guard (1...trajectoryCount).contains(number) else {
                throw TdumpError.unknownTrajectory(path: path, line: line.number, number: number, declared: trajectoryCount)
            }
            guard TdumpParsing.validDate(month: ints[3], day: ints[4], hour: ints[5]), (0...59).contains(ints[6]),
                  UTCTime.supportedYears.contains(ints[2]) else {
                throw TdumpError.badEndpoint(path: path, line: line.number, reason: "the date \(ints[2])-\(ints[3])-\(ints[4]) \(ints[5]):\(ints[6]) is impossible")
            }
            if fourDigitYears == nil { fourDigitYears = ints[2] >= 100 }
            let startYear = starts[number - 1].year
            let year = ints[2] >= 100 ? ints[2] : nearestYear(ints[2], to: startYear)
            let time = UTCTime(year: year, month: ints[3], day: ints[4], hour: ints[5], minute: ints[6])
            perTrajectory[number - 1].append(Row(grid: ints[1], forecastHour: ints[7], time: time, values: Array(values[8...])))
            rowCount += 1
        }
        guard rowCount > 0 else { throw TdumpError.noEndpoints(path: path) }

        // Build trajectories.
        let fieldOf = labels.map { TdumpParsing.Field(label: $0) }
        var trajectories: [Trajectory] = []
        let lastAges = perTrajectory.compactMap { $0.last.map { abs($0.values[0]) } }
        let longest = lastAges.max() ?? 0
        let allTimes = perTrajectory.flatMap { $0.map(\.time) }
        let extremeTime = isBackward ? allTimes.min() : allTimes.max()
        let modelID = grids.first?.modelField.trimmingCharacters(in: .whitespaces)
        for (index, rows) in perTrajectory.enumerated() {
            let s = starts[index]
            var start = TrajectoryStart(site: "", latitude: s.start.latitude, longitude: s.start.longitude, height: s.start.height,
                                        time: UTCTime(year: s.year, month: s.start.month, day: s.start.day, hour: s.start.hour))
            start.site = options.siteName(index + 1, start)
            var endpoints: [TrajectoryEndpoint] = []
            endpoints.reserveCapacity(rows.count)
            var extras: [String: [Double]] = [:]
            for (label, field) in zip(labels, fieldOf) where field == .other { extras[label] = [] }
            for row in rows {
                var endpoint = TrajectoryEndpoint(time: row.time, ageHours: row.values[0], latitude: row.values[1],
                                                  longitude: row.values[2], heightAGL: row.values[3], pressureHPa: .nan)
                var seen = Set<TdumpParsing.Field>()
                for (k, field) in fieldOf.enumerated() {
                    let value = row.values[4 + k]
                    if field != .other, seen.contains(field) { continue }
                    seen.insert(field)
                    switch field {
                    case .pressure: endpoint.pressureHPa = value
                    case .theta: endpoint.diagnostics.thetaK = value
                    case .temperature: endpoint.diagnostics.temperatureK = value
                    case .mixingDepth: endpoint.diagnostics.mixingDepthM = value
                    case .relativeHumidity: endpoint.diagnostics.relativeHumidityPct = value
                    case .terrain: endpoint.diagnostics.terrainM = value
                    case .other: extras[labels[k], default: []].append(value)
                    }
                }
                endpoints.append(endpoint)
            }
            let reason: TerminationReason
            if let last = rows.last {
                if abs(last.values[0]) >= longest - 1e-9 { reason = .completed }
                else if last.time == extremeTime { reason = .outOfMetTime }
                else { reason = .leftDomain }
            } else {
                reason = .missingData
            }
            let tdump = TdumpProvenance(metGrids: grids, formatFlag: formatFlag, verticalLabel: verticalLabel,
                                        diagnosticLabels: labels, startRecord: s.record,
                                        gridNumbers: rows.map(\.grid), forecastHours: rows.map(\.forecastHour),
                                        extraDiagnostics: extras, fourDigitYears: fourDigitYears ?? false)
            trajectories.append(Trajectory(
                id: index + 1, start: start, member: 0, isBackward: isBackward,
                verticalMode: TdumpLabels.verticalMode(label: verticalLabel), endpoints: endpoints,
                termination: Termination(reason: reason, time: rows.last?.time ?? start.time),
                provenance: TrajectoryProvenance(metModel: (modelID?.isEmpty ?? true) ? nil : modelID, tdump: tdump)))
        }
        return trajectories
    }

    /// The full year of a tdump start year: 100 and above as written; below 100,
    /// `century·100 + year` when `century` is given, else the pivot (below 40 → 2000 + year,
    /// otherwise 1900 + year).
    public static func fullYear(_ year: Int, century: Int? = nil) -> Int {
        guard year < 100, year >= 0 else { return year }
        if let century {
            // Saturates instead of trapping on an absurd century; the caller checks the year's range.
            let (hundreds, o1) = century.multipliedReportingOverflow(by: 100)
            let (full, o2) = hundreds.addingReportingOverflow(year)
            return o1 || o2 ? (century < 0 ? Int.min : Int.max) : full
        }
        return year < 40 ? 2000 + year : 1900 + year
    }

    /// `twoDigit + 100·k` nearest to `reference` (ties to the later year).
    static func nearestYear(_ twoDigit: Int, to reference: Int) -> Int {
        let base = reference - ((reference % 100) + 100) % 100 + twoDigit
        let candidates = [base - 100, base, base + 100]
        return candidates.min { abs($0 - reference) < abs($1 - reference) || (abs($0 - reference) == abs($1 - reference) && $0 > $1) } ?? base
    }

    private struct Row {
        var grid: Int
        var forecastHour: Int
        var time: UTCTime
        /// Age, latitude, longitude, height, then the diagnostics in label order.
        var values: [Double]
    }

    /// Non-blank lines with their 1-based physical numbers (CR stripped).
    private struct Lines {
        private var items: [(number: Int, text: String)] = []
        private var index = 0
        /// Number of the last line handed out (or of the last line of the file).
        private(set) var lastNumber = 0

        init(_ text: String) {
            var number = 0
            // "\r\n" is one Character in Swift, so split on any line end (LF, CRLF, CR).
            for line in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }) {
                number += 1
                if line.allSatisfy({ $0 == " " || $0 == "\t" }) { continue }
                items.append((number, String(line)))
            }
            lastNumber = items.last?.number ?? 0
        }

        var hasMore: Bool { index < items.count }

        mutating func next() -> (number: Int, text: String)? {
            guard index < items.count else { return nil }
            defer { index += 1 }
            return items[index]
        }

        func peek() -> (number: Int, text: String)? { index < items.count ? items[index] : nil }
    }
}

/// Record parsers shared by ``TdumpReader`` and ``TdumpWriter``.
enum TdumpParsing {
    /// A start record's values as written.
    struct Start: Equatable {
        var year: Int, month: Int, day: Int, hour: Int
        var latitude: Double, longitude: Double, height: Double
    }

    /// What a diagnostic label fills.
    enum Field: Hashable {
        case pressure, theta, temperature, mixingDepth, relativeHumidity, terrain, other

        init(label: String) {
            switch label.uppercased() {
            case "PRESSURE": self = .pressure
            case "THETA": self = .theta
            case "AIR_TEMP": self = .temperature
            case "MIXDEPTH": self = .mixingDepth
            case "RELHUMID": self = .relativeHumidity
            case "TERR_MSL": self = .terrain
            default: self = .other
            }
        }
    }

    static func validDate(month: Int, day: Int, hour: Int) -> Bool {
        (1...12).contains(month) && (1...31).contains(day) && (0...24).contains(hour)
    }

    /// Record 2: `A8,5I6` (forecast hour optional), or whitespace fields with the id first.
    static func metGrid(_ line: String) -> TdumpMetGrid? {
        let chars = Array(line)
        if chars.count > 8 {
            let field = String(chars[0..<8])
            let rest = String(chars[8...])
            if let ints = integers(rest) ?? fixedIntegers(rest, width: 6), (4...5).contains(ints.count) {
                return TdumpMetGrid(modelField: field, year: ints[0], month: ints[1], day: ints[2], hour: ints[3],
                                    forecastHour: ints.count > 4 ? ints[4] : 0)
            }
        }
        let tokens = line.split(whereSeparator: \.isWhitespace).map(String.init)
        guard tokens.count >= 5, Int(tokens[0]) == nil, let ints = integers(tokens.dropFirst().joined(separator: " ")),
              (4...5).contains(ints.count) else { return nil }
        return TdumpMetGrid(modelField: TdumpLabels.modelField(tokens[0]), year: ints[0], month: ints[1], day: ints[2],
                            hour: ints[3], forecastHour: ints.count > 4 ? ints[4] : 0)
    }

    /// Record 3: count, direction, vertical label (fields may be glued in the old layout).
    static func runRecord(_ line: String) -> (Int, Bool, String)? {
        let upper = line.uppercased()
        let direction: Bool
        let range: Range<String.Index>
        if let r = upper.range(of: "BACKWARD") { direction = true; range = r }
        else if let r = upper.range(of: "FORWARD") { direction = false; range = r }
        else { return nil }
        let countText = upper[..<range.lowerBound].trimmingCharacters(in: .whitespaces)
        guard let count = Int(countText) else { return nil }
        let label = line[range.upperBound...].trimmingCharacters(in: .whitespaces)
        return (count, direction, label)
    }

    /// Record 4, by whitespace or in the current or old fixed columns.
    static func start(_ line: String) -> Start? {
        let tokens = line.split(whereSeparator: \.isWhitespace).map(String.init)
        if tokens.count >= 7, let s = start(tokens) { return s }
        for widths in [[6, 6, 6, 6, 9, 9, 8], [6, 6, 6, 6, 8, 8, 8]] {
            if let fields = fixedFields(line, widths: widths), let s = start(fields) { return s }
        }
        return nil
    }

    private static func start(_ t: [String]) -> Start? {
        // A line cut short gives fewer fields than the record has: no start, not a trap.
        guard t.count >= 7, let y = Int(t[0]), let m = Int(t[1]), let d = Int(t[2]), let h = Int(t[3]),
              let lat = Double(t[4]), let lon = Double(t[5]), let z = Double(t[6]) else { return nil }
        return Start(year: y, month: m, day: d, hour: h, latitude: lat, longitude: lon, height: z)
    }

    /// Record 5: the count and the labels (`1X,A8` each, or glued `A8` in the old layout).
    static func labels(_ line: String) -> (Int, [String])? {
        let tokens = line.split(whereSeparator: \.isWhitespace).map(String.init)
        guard let first = tokens.first else { return nil }
        if let n = Int(first) {
            let labels = Array(tokens.dropFirst())
            if labels.count == n || labels.count < n { return (n, labels) }
        }
        // Fixed columns: I6 then n(1X,A8) or nA8.
        let chars = Array(line)
        guard chars.count >= 6, let n = Int(String(chars[0..<6]).trimmingCharacters(in: .whitespaces)) else { return nil }
        let rest = Array(chars[6...])
        for width in [9, 8] {
            var labels: [String] = []
            var i = 0
            while i < rest.count {
                let chunk = String(rest[i..<min(i + width, rest.count)]).trimmingCharacters(in: .whitespaces)
                if !chunk.isEmpty { labels.append(chunk) }
                i += width
            }
            if labels.count == n, labels.allSatisfy({ !$0.contains(" ") }) { return (n, labels) }
        }
        return nil
    }

    /// Numbers of an endpoint line (`first`) or continuation line: by whitespace, else in the
    /// current or old fixed columns. Throws when none parses.
    static func values(_ line: String, first: Bool, path: String, line lineNumber: Int) throws -> [Double] {
        let tokens = line.split(whereSeparator: \.isWhitespace)
        var out: [Double] = []
        out.reserveCapacity(tokens.count)
        var ok = true
        for token in tokens {
            if let v = number(token) { out.append(v) } else { ok = false; break }
        }
        if ok { return out }
        let layouts: [(lead: [Int], each: Int)] = first
            ? [([6, 6, 6, 6, 6, 6, 6, 6, 8, 9, 9, 9], 9), ([6, 6, 6, 6, 6, 6, 6, 6, 8, 8, 8, 8], 8)]
            : [([], 9), ([], 8)]
        let count = line.count
        for layout in layouts {
            var widths = layout.lead
            var used = widths.reduce(0, +)
            while used < count { widths.append(layout.each); used += layout.each }
            guard let fields = fixedFields(line, widths: widths) else { continue }
            var values: [Double] = []
            var good = true
            for field in fields where !field.isEmpty {
                guard let v = number(Substring(field)) else { good = false; break }
                values.append(v)
            }
            if good { return values }
        }
        let bad = tokens.first { number($0) == nil }.map(String.init) ?? line
        throw TdumpError.badEndpoint(path: path, line: lineNumber, reason: "'\(bad)' is not a number")
    }

    /// True when `values` start like a full endpoint record (so it is not a continuation line).
    static func looksLikeEndpoint(_ values: [Double], expected: Int) -> Bool {
        values.count >= 12 && values.prefix(8).allSatisfy { Int(exactly: $0) != nil }
    }

    /// A number, with Fortran overflow (`****`) as NaN.
    private static func number(_ token: Substring) -> Double? {
        if !token.isEmpty, token.allSatisfy({ $0 == "*" }) { return .nan }
        return Double(token)
    }

    private static func integers(_ text: String) -> [Int]? {
        var out: [Int] = []
        for t in text.split(whereSeparator: \.isWhitespace) {
            guard let n = Int(t) else { return nil }
            out.append(n)
        }
        return out
    }

    private static func fixedIntegers(_ text: String, width: Int) -> [Int]? {
        let chars = Array(text)
        var out: [Int] = []
        var i = 0
        while i < chars.count {
            let s = String(chars[i..<min(i + width, chars.count)]).trimmingCharacters(in: .whitespaces)
            if !s.isEmpty { guard let n = Int(s) else { return nil }; out.append(n) }
            i += width
        }
        return out
    }

    /// `line` cut into fields of `widths` (trimmed); nil when the line is longer than the widths
    /// cover or a field other than trailing ones is blank.
    private static func fixedFields(_ line: String, widths: [Int]) -> [String]? {
        var chars = Array(line)
        while let last = chars.last, last == " " || last == "\t" { chars.removeLast() }
        guard chars.count <= widths.reduce(0, +) else { return nil }
        var out: [String] = []
        var i = 0
        for w in widths {
            guard i < chars.count else { break }
            out.append(String(chars[i..<min(i + w, chars.count)]).trimmingCharacters(in: .whitespaces))
            i += w
        }
        if out.isEmpty || out.contains(where: \.isEmpty) { return nil }
        return out
    }
}
