import Foundation
import UpwindCore

/// Why a HYSPLIT `CONTROL` or `SETUP.CFG` file could not be used.
///
/// Every case's ``description`` is one line naming the file and, for content errors, the
/// 1-based line number, and saying what to do.
public enum HysplitControlError: Error, Equatable, Sendable, CustomStringConvertible, LocalizedError {
    /// The file does not exist.
    case fileNotFound(path: String)
    /// The file exists but could not be read, or is not text.
    case unreadable(path: String, reason: String)
    /// The file ends before a line it declares (e.g. fewer start lines than `nstart`).
    /// `line` is the missing line's number; `expected` says what belongs there.
    case truncated(path: String, line: Int, expected: String)
    /// A line that must hold values is blank.
    case emptyLine(path: String, line: Int, expected: String)
    /// A value that must be a number is not one (or is not a whole number where one is needed).
    case badNumber(path: String, line: Int, field: String, text: String, hint: String)
    /// A value parses but is out of range or inconsistent.
    case badValue(path: String, line: Int, field: String, reason: String)
    /// A vertical-motion code Upwind does not run (3, 5, 6, 7, 8, 9, 10…).
    case unsupportedVerticalCode(path: String, line: Int, code: Int)
    /// A `SETUP.CFG` that is not a Fortran namelist `&SETUP … /`.
    case badNamelist(path: String, line: Int, reason: String)
    /// A met file named on `line` (directory on the line before) does not exist at `metPath`
    /// (relative directories are taken from `workingDirectory`).
    case metFileNotFound(path: String, line: Int, metPath: String, workingDirectory: String)

    /// A one-line explanation naming the file and line, and what to do.
    public var description: String {
        switch self {
        case let .fileNotFound(path):
            return "HYSPLIT file '\(path)' does not exist; check the path (CONTROL and SETUP.CFG are read from the current directory)"
        case let .unreadable(path, reason):
            return "cannot read HYSPLIT file '\(path)': \(reason); give a plain-text CONTROL or SETUP.CFG"
        case let .truncated(path, line, expected):
            return "'\(path)' ends before line \(line), which should give \(expected); the file declares more lines than it has: add them or fix the count that declares them"
        case let .emptyLine(path, line, expected):
            return "'\(path)' line \(line) is empty but should give \(expected); write it there"
        case let .badNumber(path, line, field, text, hint):
            return "'\(path)' line \(line): '\(text)' is not a valid \(field); \(hint)"
        case let .badValue(path, line, field, reason):
            return "'\(path)' line \(line): bad \(field): \(reason)"
        case let .unsupportedVerticalCode(path, line, code):
            return "'\(path)' line \(line): vertical motion code \(code) is not supported; use 0 (model vertical velocity), 1 (isobaric), 2 (isentropic) or 4 (isosigma, run at constant height above ground)"
        case let .badNamelist(path, line, reason):
            return "'\(path)' line \(line): \(reason); SETUP.CFG must be a Fortran namelist '&SETUP name = value, … /'"
        case let .metFileNotFound(path, line, metPath, workingDirectory):
            return "'\(path)' line \(line): met file '\(metPath)' does not exist (relative met directories are taken from the current directory, \(workingDirectory)); fix the directory (line \(line - 1)) or the file name, or run from the directory the CONTROL was written for"
        }
    }

    /// Same as ``description``.
    public var errorDescription: String? { description }
}

/// A HYSPLIT trajectory `CONTROL` file, parsed (pure parsing: no met is opened and no path is
/// checked; see ``HysplitControl/metPaths(workingDirectory:)`` and ``runPlan(firstMetTime:lastMetTime:workingDirectory:setup:)``).
///
/// Layout (HYSPLIT User's Guide, "Trajectory / Control file"), one record per line, numbers
/// separated by blanks or commas:
/// 1. start time `YY MM DD HH [mm]`: 2-digit year (< 40 → 20YY, else 19YY; a 4-digit year is
///    taken as is), month, day, hour UTC, optional minutes. `00 00 00 00` means the start (forward
///    runs) or end (backward runs) of the met data; with year and month 0, day and hour are an
///    offset from there (`00 00 01 12` = 36 h in).
/// 2. `nstart`, the number of start locations (≥ 1).
/// 3. `nstart` lines `lat lon height`: degrees north, degrees east, metres above ground (above
///    sea level with `kmsl = 1` in `SETUP.CFG`); further values (emission rate, area) are ignored.
/// 4. run length, whole hours; negative = backward.
/// 5. vertical motion code: 0 data (ω), 1 isobaric, 2 isentropic, 4 isosigma (run as constant
///    height above ground); other codes are refused (``HysplitControlError/unsupportedVerticalCode(path:line:code:)``).
/// 6. model top, m above ground: trajectories above it stop.
/// 7. number of met files (any number; HYSPLIT itself stops at 12).
/// 8. per met file two lines: directory, file name.
/// 9. output directory, then output file name.
///
/// Lines after the output file name (a concentration run's pollutant and grid sections) are ignored.
public struct HysplitControl: Sendable, Equatable {
    /// When the trajectories start.
    public enum StartTime: Sendable, Equatable {
        /// An explicit UTC time.
        case absolute(UTCTime)
        /// An offset in seconds (≥ 0) from the first met time (forward runs) or back from the
        /// last met time (backward runs); `00 00 00 00` is offset 0.
        case relativeToMet(seconds: Int64)
    }

    /// One start location (record 3).
    public struct Start: Sendable, Equatable {
        /// Latitude, degrees north.
        public var latitude: Double
        /// Longitude, degrees east, as written (any range).
        public var longitude: Double
        /// Height, m above ground level (above mean sea level with `kmsl = 1`).
        public var height: Double
        /// The 1-based line of the CONTROL file it came from.
        public var line: Int
        /// Creates a start.
        public init(latitude: Double, longitude: Double, height: Double, line: Int) {
            self.latitude = latitude; self.longitude = longitude; self.height = height; self.line = line
        }
        /// Height, m: the old name of ``height``.
        @available(*, deprecated, renamed: "height")
        public var heightM: Double { height }
    }

    /// One met file (record 8): a directory and a file name on consecutive lines.
    public struct MetFile: Sendable, Equatable {
        /// The directory as written (HYSPLIT writes it with a trailing `/`).
        public var directory: String
        /// The file name as written.
        public var file: String
        /// The 1-based line of the directory.
        public var directoryLine: Int
        /// The 1-based line of the file name.
        public var fileLine: Int
        /// Creates a met-file entry.
        public init(directory: String, file: String, directoryLine: Int, fileLine: Int) {
            self.directory = directory; self.file = file; self.directoryLine = directoryLine; self.fileLine = fileLine
        }
        /// The file's path: `directory` + `file`, a relative directory taken from
        /// `workingDirectory` (as HYSPLIT does, from the directory it runs in).
        public func path(workingDirectory: String) -> String {
            HysplitControl.join(directory, file, workingDirectory: workingDirectory)
        }
    }

    /// The file parsed (for error messages).
    public var path: String
    /// Record 1: the start time.
    public var startTime: StartTime
    /// Record 3: the start locations, in file order.
    public var starts: [Start]
    /// Record 4: run length in hours; negative for backward trajectories.
    public var hours: Int
    /// Record 5: HYSPLIT's vertical-motion code as written (0, 1, 2 or 4).
    public var verticalCode: Int
    /// The engine's vertical mode for ``verticalCode`` (4 → `VerticalMode/height`).
    public var verticalMode: VerticalMode
    /// Record 6: model top, m above ground level.
    public var topAGL: Double
    /// Model top, m AGL: the old name of ``topAGL``.
    @available(*, deprecated, renamed: "topAGL")
    public var topM: Double { topAGL }
    /// Record 8: the met files, in file order.
    public var metFiles: [MetFile]
    /// Record 9: output directory as written.
    public var outputDirectory: String
    /// Record 9: output file name as written.
    public var outputFile: String
    /// The 1-based line of the output file name.
    public var outputLine: Int

    /// Creates a CONTROL value (normally made by ``parse(_:path:)``).
    public init(path: String, startTime: StartTime, starts: [Start], hours: Int, verticalCode: Int, verticalMode: VerticalMode,
                topAGL: Double, metFiles: [MetFile], outputDirectory: String, outputFile: String, outputLine: Int) {
        self.path = path; self.startTime = startTime; self.starts = starts; self.hours = hours
        self.verticalCode = verticalCode; self.verticalMode = verticalMode; self.topAGL = topAGL; self.metFiles = metFiles
        self.outputDirectory = outputDirectory; self.outputFile = outputFile; self.outputLine = outputLine
    }

    /// The vertical modes of the supported HYSPLIT codes.
    public static let verticalModes: [Int: VerticalMode] = [0: .data, 1: .isobaric, 2: .isentropic, 4: .height]

    /// Reads and parses the CONTROL file at `path`.
    /// - Throws: ``HysplitControlError``.
    public static func read(path: String) throws -> HysplitControl {
        try parse(try HysplitText.read(path: path), path: path)
    }

    /// Parses CONTROL text; `path` names the file in errors.
    /// - Throws: ``HysplitControlError`` naming the line: too few lines, a malformed number,
    ///   an out-of-range value or an unsupported vertical code.
    public static func parse(_ text: String, path: String = "CONTROL") throws -> HysplitControl {
        var reader = LineReader(text: text, path: path)

        // 1. Start time.
        let (timeLine, timeFields) = try reader.numbers("the start time 'YY MM DD HH'")
        guard timeFields.count >= 4 else {
            throw HysplitControlError.badNumber(path: path, line: timeLine, field: "start time", text: timeFields.joined(separator: " "),
                                                hint: "write 'YY MM DD HH' (optional minutes), e.g. '95 10 16 00', or '00 00 00 00' for the start of the met data")
        }
        var t: [Int] = []
        for (n, name) in ["year", "month", "day", "hour", "minutes"].enumerated() where n < timeFields.count {
            t.append(try reader.integer(timeFields[n], line: timeLine, field: "start \(name)", hint: "the start time is whole numbers 'YY MM DD HH [mm]', e.g. '95 10 16 00'"))
        }
        let minutes = t.count > 4 ? t[4] : 0
        let startTime: StartTime
        if t[0] == 0 && t[1] == 0 {
            guard t[2] >= 0, t[3] >= 0, minutes >= 0 else {
                throw HysplitControlError.badValue(path: path, line: timeLine, field: "start time", reason: "with year and month 0, day and hour are an offset into the met data and must not be negative")
            }
            // Bounded so the offset's seconds (and the met time it is added to) cannot overflow.
            guard t[2] <= 36_525, t[3] <= 876_600, minutes <= 52_596_000 else {
                throw HysplitControlError.badValue(path: path, line: timeLine, field: "start time",
                                                   reason: "the offset '\(timeFields.joined(separator: " "))' into the met data exceeds 100 years (at most 36525 days, 876600 hours, 52596000 minutes)")
            }
            startTime = .relativeToMet(seconds: Int64(t[2]) * 86_400 + Int64(t[3]) * 3600 + Int64(minutes) * 60)
        } else {
            let year = t[0] >= 100 ? t[0] : (t[0] < 40 ? 2000 + t[0] : 1900 + t[0])
            guard t[0] >= 0, t[0] <= 9999, (1...12).contains(t[1]), t[2] >= 1, t[2] <= UTCTime.daysInMonth(year: year, month: t[1]),
                  (0...23).contains(t[3]), (0...59).contains(minutes) else {
                throw HysplitControlError.badValue(path: path, line: timeLine, field: "start time",
                                                   reason: "'\(timeFields.joined(separator: " "))' is not a valid date; write 'YY MM DD HH [mm]' with a year 0–9999, month 1–12, a day in the month, hour 0–23, minutes 0–59")
            }
            startTime = .absolute(UTCTime(year: year, month: t[1], day: t[2], hour: t[3], minute: minutes))
        }

        // 2–3. Start locations.
        let (countLine, countFields) = try reader.numbers("the number of start locations")
        let nstart = try reader.integer(countFields.first ?? "", line: countLine, field: "number of start locations", hint: "line 2 is a whole number ≥ 1")
        guard nstart >= 1 else {
            throw HysplitControlError.badValue(path: path, line: countLine, field: "number of start locations", reason: "\(nstart); give at least 1")
        }
        var starts: [Start] = []
        for n in 1...nstart {
            let (line, f) = try reader.numbers("start location \(n) of \(nstart) ('lat lon height')")
            guard f.count >= 3 else {
                throw HysplitControlError.badNumber(path: path, line: line, field: "start location", text: f.joined(separator: " "),
                                                    hint: "write 'latitude longitude height', e.g. '40.0 -90.0 500.0'")
            }
            let lat = try reader.real(f[0], line: line, field: "start latitude", hint: "degrees north, e.g. 40.0")
            let lon = try reader.real(f[1], line: line, field: "start longitude", hint: "degrees east, e.g. -90.0")
            let h = try reader.real(f[2], line: line, field: "start height", hint: "metres, e.g. 500.0")
            guard abs(lat) <= 90 else {
                throw HysplitControlError.badValue(path: path, line: line, field: "start latitude", reason: "\(f[0]) is outside −90…90")
            }
            starts.append(Start(latitude: lat, longitude: lon, height: h, line: line))
        }

        // 4–6. Run length, vertical motion, model top.
        let (hoursLine, hoursFields) = try reader.numbers("the run length in hours")
        let hours = try reader.integer(hoursFields.first ?? "", line: hoursLine, field: "run length", hint: "whole hours, negative for backward, e.g. -72")
        guard hours != 0 else {
            throw HysplitControlError.badValue(path: path, line: hoursLine, field: "run length", reason: "0 hours; give a positive (forward) or negative (backward) number of hours")
        }
        guard hours.magnitude <= UInt(RunLimits.maxRunHours) else {
            throw HysplitControlError.badValue(path: path, line: hoursLine, field: "run length",
                                               reason: "\(hours) hours is more than the limit of \(RunLimits.maxRunHours) hours (10 years) either way; split the run into consecutive CONTROL runs")
        }
        let (verticalLine, verticalFields) = try reader.numbers("the vertical motion code (0 data, 1 isobaric, 2 isentropic, 4 isosigma)")
        let code = try reader.integer(verticalFields.first ?? "", line: verticalLine, field: "vertical motion code", hint: "use 0 (data), 1 (isobaric), 2 (isentropic) or 4 (isosigma)")
        guard let mode = verticalModes[code] else {
            throw HysplitControlError.unsupportedVerticalCode(path: path, line: verticalLine, code: code)
        }
        let (topLine, topFields) = try reader.numbers("the model top in m above ground")
        let top = try reader.real(topFields.first ?? "", line: topLine, field: "model top", hint: "metres above ground, e.g. 10000.0")
        guard top > 0 else {
            throw HysplitControlError.badValue(path: path, line: topLine, field: "model top", reason: "\(topFields.first ?? "") m; give a positive height, e.g. 10000.0")
        }

        // 7–8. Met files.
        let (metCountLine, metCountFields) = try reader.numbers("the number of met files")
        let nmet = try reader.integer(metCountFields.first ?? "", line: metCountLine, field: "number of met files", hint: "a whole number ≥ 1")
        guard nmet >= 1 else {
            throw HysplitControlError.badValue(path: path, line: metCountLine, field: "number of met files", reason: "\(nmet); give at least 1")
        }
        var met: [MetFile] = []
        for n in 1...nmet {
            let (dirLine, dir) = try reader.text("the directory of met file \(n) of \(nmet)")
            let (fileLine, file) = try reader.text("the name of met file \(n) of \(nmet)")
            met.append(MetFile(directory: dir, file: file, directoryLine: dirLine, fileLine: fileLine))
        }

        // 9. Output.
        let (_, outDir) = try reader.text("the output directory")
        let (outLine, outFile) = try reader.text("the output file name")
        return HysplitControl(path: path, startTime: startTime, starts: starts, hours: hours, verticalCode: code, verticalMode: mode,
                              topAGL: top, metFiles: met, outputDirectory: outDir, outputFile: outFile, outputLine: outLine)
    }

    /// The met files' paths, relative directories taken from `workingDirectory`.
    public func metPaths(workingDirectory: String) -> [String] {
        metFiles.map { $0.path(workingDirectory: workingDirectory) }
    }

    /// Checks that every met file exists (as a file), in CONTROL order.
    /// - Throws: ``HysplitControlError/metFileNotFound(path:line:metPath:workingDirectory:)`` for the first missing one.
    public func checkMetFiles(workingDirectory: String) throws {
        for m in metFiles {
            let p = m.path(workingDirectory: workingDirectory)
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: p, isDirectory: &isFolder), !isFolder.boolValue else {
                throw HysplitControlError.metFileNotFound(path: path, line: m.fileLine, metPath: p, workingDirectory: workingDirectory)
            }
        }
    }

    /// The output file's path, a relative directory taken from `workingDirectory`.
    public func outputPath(workingDirectory: String) -> String {
        Self.join(outputDirectory, outputFile, workingDirectory: workingDirectory)
    }

    /// True for backward runs (negative ``hours``).
    public var isBackward: Bool { hours < 0 }

    /// The start time: an explicit time as is; a met-relative one from the first met time
    /// (forward) or back from the last met time (backward), as HYSPLIT does.
    public func resolvedStartTime(firstMetTime: UTCTime, lastMetTime: UTCTime) -> UTCTime {
        switch startTime {
        case .absolute(let t): return t
        case .relativeToMet(let seconds): return isBackward ? lastMetTime + (-seconds) : firstMetTime + seconds
        }
    }

    /// The starts at `time`, named `S1`, `S2`… in file order.
    public func trajectoryStarts(time: UTCTime, heightIsMSL: Bool) -> [TrajectoryStart] {
        starts.enumerated().map { n, s in
            TrajectoryStart(site: "S\(n + 1)", latitude: s.latitude, longitude: s.longitude, height: s.height, heightIsMSL: heightIsMSL, time: time)
        }
    }

    /// The run as a `RunPlan` (met files resolved from `workingDirectory`, the start time
    /// resolved against the met period, and `setup`'s TRATIO, fixed step, output interval and
    /// `kmsl` applied), so the CLI and the service run a CONTROL the same way.
    public func runPlan(firstMetTime: UTCTime, lastMetTime: UTCTime, workingDirectory: String,
                        setup: HysplitSetup = HysplitSetup()) -> RunPlan {
        let time = resolvedStartTime(firstMetTime: firstMetTime, lastMetTime: lastMetTime)
        var plan = RunPlan(met: RunPlan.Met(files: metPaths(workingDirectory: workingDirectory)),
                           starts: trajectoryStarts(time: time, heightIsMSL: false).map {
                               RunPlan.Start(site: $0.site, latitude: $0.latitude, longitude: $0.longitude, height: $0.height, time: $0.time)
                           },
                           hours: hours, vertical: verticalMode, integrator: .heun, ensemble: false,
                           outputIntervalMinutes: setup.tout)
        plan.stepMinutes = setup.fixedStepMinutes
        plan.tratio = setup.tratio
        plan.topAGL = topAGL
        plan.msl = setup.kmsl == 1
        return plan
    }

    /// `directory` + `file` as HYSPLIT joins them (a `/` added when the directory lacks one), a
    /// relative result taken from `workingDirectory`.
    static func join(_ directory: String, _ file: String, workingDirectory: String) -> String {
        var joined = directory
        if !joined.isEmpty && !joined.hasSuffix("/") { joined += "/" }
        joined += file
        if joined.hasPrefix("/") { return joined }
        return workingDirectory.hasSuffix("/") ? workingDirectory + joined : workingDirectory + "/" + joined
    }
}

/// Reads CONTROL records line by line, with line numbers for errors.
struct LineReader {
    let lines: [Substring]
    let path: String
    var next = 0

    init(text: String, path: String) {
        // "\r\n" is one Character in Swift, so it is a separator of its own.
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" })
        while let last = lines.last, last.trimmingCharacters(in: .whitespaces).isEmpty { lines.removeLast() }
        self.lines = lines
        self.path = path
    }

    /// The next line, trimmed, with its 1-based number.
    mutating func text(_ expected: String) throws -> (line: Int, text: String) {
        guard next < lines.count else { throw HysplitControlError.truncated(path: path, line: next + 1, expected: expected) }
        next += 1
        return (next, lines[next - 1].trimmingCharacters(in: .whitespaces))
    }

    /// The next line split into values at blanks and commas (Fortran list-directed input).
    mutating func numbers(_ expected: String) throws -> (line: Int, fields: [String]) {
        let (line, text) = try self.text(expected)
        let fields = text.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "\t" }).map(String.init)
        guard !fields.isEmpty else {
            throw HysplitControlError.emptyLine(path: path, line: line, expected: expected)
        }
        return (line, fields)
    }

    func integer(_ text: String, line: Int, field: String, hint: String) throws -> Int {
        guard let v = Int(text.hasPrefix("+") ? String(text.dropFirst()) : text) else {
            throw HysplitControlError.badNumber(path: path, line: line, field: field, text: text, hint: hint)
        }
        return v
    }

    func real(_ text: String, line: Int, field: String, hint: String) throws -> Double {
        guard let v = HysplitText.real(text) else {
            throw HysplitControlError.badNumber(path: path, line: line, field: field, text: text, hint: hint)
        }
        return v
    }
}

/// Text helpers shared by the CONTROL and SETUP.CFG parsers.
enum HysplitText {
    /// The file's text (UTF-8, else Latin-1).
    static func read(path: String) throws -> String {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else { throw HysplitControlError.fileNotFound(path: path) }
        guard !isFolder.boolValue else { throw HysplitControlError.unreadable(path: path, reason: "it is a folder") }
        if let kind = InputDevice.kind(path) { throw HysplitControlError.unreadable(path: path, reason: "it is \(kind), not a file") }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw HysplitControlError.unreadable(path: path, reason: "permission denied")
        }
        guard !data.contains(0) else { throw HysplitControlError.unreadable(path: path, reason: "it is binary, not text") }
        return String(data: data, encoding: .utf8) ?? String(decoding: data.map { $0 < 0x80 ? $0 : UInt8(ascii: "?") }, as: UTF8.self)
    }

    /// A Fortran real: `1`, `-90.`, `.5`, `1.0E4`, `1.0D4`; nil when not a finite number.
    static func real(_ text: String) -> Double? {
        let t = text.replacingOccurrences(of: "d", with: "e").replacingOccurrences(of: "D", with: "e")
        guard !t.isEmpty, t.allSatisfy({ "0123456789+-.eE".contains($0) }), let v = Double(t.hasSuffix(".") ? t + "0" : t), v.isFinite else { return nil }
        return v
    }
}
