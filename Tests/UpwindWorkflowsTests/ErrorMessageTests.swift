import Foundation
import Testing
import Upwind

/// Every case of every public error type, built with distinctive values, must give a
/// `localizedDescription` equal to its `description` (LocalizedError), on one line, naming
/// the file, the variable and the offending value it carries.
///
/// Each error type has a parameterized test over samples `(error, substrings the message must
/// contain)`, and ``everyCaseHasASample()`` checks that the samples cover every case. The
/// `caseName` switches below have no `default`, so a new case fails to compile here: add a
/// sample for it, and its name to the type's list in ``everyCaseHasASample()``.
@Suite("Every public error says its file and cause")
struct ErrorMessageTests {
    // MARK: - Distinctive values

    static let path = "/data/met/file-XYZ.nc"
    static let otherPath = "/data/met/other-QRS.nc"
    static let referencePath = "/data/met/reference-JKL.nc"
    static let arlPath = "/data/met/gdas1-ARL-XYZ.bin"
    static let csvPath = "/data/runs/traj-XYZ.csv"
    static let tempPath = "/data/runs/.traj-XYZ.csv.tmp-77"
    static let folder = "/data/no-such-folder-XYZ"
    static let startsPath = "/data/runs/starts-XYZ.csv"
    static let controlPath = "/data/hysplit/CONTROL-XYZ"
    static let tdumpPath = "/data/hysplit/tdump-XYZ"
    static let variable = "uwnd_XYZ"
    static let value = "292.5"

    // MARK: - The check

    /// The message of `error` equals its `localizedDescription`, is one non-generic line and
    /// contains every string of `expected`.
    static func check(_ error: some Error & CustomStringConvertible, _ expected: [String],
                      sourceLocation: SourceLocation = #_sourceLocation) {
        let message = String(describing: error)
        let localized = (error as any Error).localizedDescription
        #expect(localized == message, "localizedDescription is not the description (is the type a LocalizedError whose errorDescription is its description?)",
                sourceLocation: sourceLocation)
        #expect(!message.isEmpty, sourceLocation: sourceLocation)
        #expect(!message.contains("\n") && !message.contains("\r"), "message is not one line: \(message)", sourceLocation: sourceLocation)
        for text in [message, localized] {
            #expect(!text.contains("The operation could not be completed"), "generic message: \(text)", sourceLocation: sourceLocation)
        }
        for part in expected {
            #expect(message.contains(part), "message lacks '\(part)': \(message)", sourceLocation: sourceLocation)
        }
    }

    // MARK: - NetCDFKit

    /// NetCDFError: fileNotFound, isDirectory, emptyFile, notNetCDF, truncated, corruptHeader,
    /// libraryCrashed, libraryHung, variableNotFound, dimensionNotFound, attributeNotFound, invalidRequest,
    /// library (all 13 cases; the cases with
    /// an optional variable or an unknown size are sampled both ways).
    static let netCDF: [(NetCDFError, [String])] = [
        (.fileNotFound(path: path), [path]),
        (.isDirectory(path: "/data/met/folder-XYZ.nc"), ["/data/met/folder-XYZ.nc"]),
        (.emptyFile(path: path), [path]),
        (.notNetCDF(path: path), [path]),
        (.truncated(path: path, expectedBytes: 918_273, actualBytes: 4_096_111), [path, "918273", "4096111"]),
        (.truncated(path: path, expectedBytes: -1, actualBytes: 4_096_111), [path, "4096111"]),
        (.corruptHeader(path: path, field: "variable 't2m_XYZ' type", value: "292", reason: "valid types are 1–6 in CDF-1"),
         [path, "variable 't2m_XYZ' type", "292", "valid types are 1–6 in CDF-1", "ncdump -h"]),
        (.libraryCrashed(path: path), [path, "crashed", "ncdump -h \(path)"]),
        (.libraryHung(path: path, seconds: 917), [path, "917 s", "ncdump -h \(path)", "UPWIND_PROBE_TIMEOUT"]),
        (.variableNotFound(path: path, variable: variable), [path, variable]),
        (.dimensionNotFound(path: path, dimension: "lev_XYZ"), [path, "lev_XYZ"]),
        (.attributeNotFound(path: path, variable: variable, attribute: "scale_factor_XYZ"), [path, variable, "scale_factor_XYZ"]),
        (.attributeNotFound(path: path, variable: nil, attribute: "Conventions_XYZ"), [path, "Conventions_XYZ"]),
        (.invalidRequest(path: path, variable: variable, reason: "start 292 beyond count 17"), [path, variable, "start 292 beyond count 17"]),
        (.invalidRequest(path: path, variable: nil, reason: "file closed XYZ"), [path, "file closed XYZ"]),
        (.library(code: -101, message: "NetCDF: HDF error XYZ", path: path, variable: variable, operation: "nc_get_vara_float"),
         [path, variable, "-101", "NetCDF: HDF error XYZ", "nc_get_vara_float"]),
        (.library(code: -51, message: "NetCDF: Unknown file format XYZ", path: path, variable: nil, operation: "nc_open"),
         [path, "-51", "NetCDF: Unknown file format XYZ", "nc_open"]),
    ]

    @Test("NetCDFError", arguments: netCDF)
    func netCDFError(_ error: NetCDFError, _ expected: [String]) {
        Self.check(error, expected)
    }

    static func caseName(_ e: NetCDFError) -> String {
        switch e {
        case .fileNotFound: "fileNotFound"
        case .isDirectory: "isDirectory"
        case .emptyFile: "emptyFile"
        case .notNetCDF: "notNetCDF"
        case .truncated: "truncated"
        case .corruptHeader: "corruptHeader"
        case .libraryCrashed: "libraryCrashed"
        case .libraryHung: "libraryHung"
        case .variableNotFound: "variableNotFound"
        case .dimensionNotFound: "dimensionNotFound"
        case .attributeNotFound: "attributeNotFound"
        case .invalidRequest: "invalidRequest"
        case .library: "library"
        }
    }

    // MARK: - UpwindCore

    /// TrajectoryError: invalidOptions, invalidOption, startsOutsideCoverage, missingField,
    /// sliceOutOfRange (all 5 cases). It carries no file: the option, value, starts or field is the cause.
    static let trajectory: [(TrajectoryError, [String])] = [
        (.invalidOptions("tratio 292.5 with fixedStepMinutes 17 XYZ"), ["tratio 292.5 with fixedStepMinutes 17 XYZ"]),
        (.invalidOption(option: "tratio", value: value, requirement: "must be in (0, 1] XYZ"), ["tratio", value, "must be in (0, 1] XYZ"]),
        (.startsOutsideCoverage(starts: ["Site-XYZ 39.9N 116.4E 2024-01-15T06:00:00Z", "Site-QRS 12.5N -170.25E"], coverage: "lat 10..60, lon 70..150, 2024-01-01..2024-01-10 XYZ"),
         ["Site-XYZ 39.9N 116.4E 2024-01-15T06:00:00Z", "Site-QRS 12.5N -170.25E", "lat 10..60, lon 70..150, 2024-01-01..2024-01-10 XYZ"]),
        (.missingField(field: "potential temperature XYZ", mode: "isentropic", hint: "give temperature XYZ"), ["potential temperature XYZ", "isentropic", "give temperature XYZ"]),
        (.sliceOutOfRange(index: 4217, count: 3981), ["4217", "3981"]),
    ]

    @Test("TrajectoryError", arguments: trajectory)
    func trajectoryError(_ error: TrajectoryError, _ expected: [String]) {
        Self.check(error, expected)
    }

    static func caseName(_ e: TrajectoryError) -> String {
        switch e {
        case .invalidOptions: "invalidOptions"
        case .invalidOption: "invalidOption"
        case .startsOutsideCoverage: "startsOutsideCoverage"
        case .missingField: "missingField"
        case .sliceOutOfRange: "sliceOutOfRange"
        }
    }

    /// UTCTimeParseError (a struct: one shape): the text and the reason.
    static let utcTimeParse: [(UTCTimeParseError, [String])] = [
        (UTCTimeParseError(text: "2024-13-45T06:00Z-XYZ", reason: "month 13 is not 1…12 XYZ"), ["2024-13-45T06:00Z-XYZ", "month 13 is not 1…12 XYZ"]),
        (UTCTimeParseError(text: "", reason: "it is empty XYZ"), ["it is empty XYZ"]),
    ]

    @Test("UTCTimeParseError", arguments: utcTimeParse)
    func utcTimeParseError(_ error: UTCTimeParseError, _ expected: [String]) {
        Self.check(error, expected)
    }

    // MARK: - UpwindMeteo

    /// MetError: netCDF, noFiles, noWind, mappedVariableMissing, unknownRole, missingAxis,
    /// unsupportedCalendar, badTimeUnits, nonMonotonicTime, duplicateTime, gridMismatch,
    /// unitsMismatch, levelMismatch, windMismatch, unsupportedUnits, unsupportedFormat,
    /// unsupportedGrid, unsupportedLayout, boxOutsideGrid, timeIndexOutOfRange, mixedFormats,
    /// mappingWithARL, ambiguousRole (all 23 cases). `.netCDF` must show the wrapped error's file (and variable).
    static let met: [(MetError, [String])] = [
        (.netCDF(.variableNotFound(path: path, variable: variable)), [path, variable]),
        (.netCDF(.truncated(path: otherPath, expectedBytes: 918_273, actualBytes: 4_096_111)), [otherPath, "918273", "4096111"]),
        (.netCDF(.library(code: -101, message: "NetCDF: HDF error XYZ", path: path, variable: variable, operation: "nc_get_vara_float")),
         [path, variable, "-101", "NetCDF: HDF error XYZ"]),
        (.noFiles(pattern: "/data/met/era5-*-XYZ.nc"), ["/data/met/era5-*-XYZ.nc"]),
        (.noWind(path: path, variables: ["temp_XYZ", "hgt_QRS"]), [path, "temp_XYZ", "hgt_QRS"]),
        (.mappedVariableMissing(role: "u", variable: variable, paths: [path, otherPath]), ["u", variable, path, otherPath]),
        (.unknownRole("windspeed_XYZ"), ["windspeed_XYZ"]),
        (.missingAxis(path: path, variable: variable, axis: "latitude", reason: "has 2 dimensions XYZ"), [path, variable, "latitude", "has 2 dimensions XYZ"]),
        (.unsupportedCalendar(path: path, variable: "time_XYZ", calendar: "360_day"), [path, "time_XYZ", "360_day"]),
        (.badTimeUnits(path: path, variable: "time_XYZ", units: "fortnights after lunch"), [path, "time_XYZ", "fortnights after lunch"]),
        (.nonMonotonicTime(path: path, variable: "time_XYZ", index: 4217, previous: "2024-01-15T06:00:00Z", value: "2024-01-15T03:00:00Z"),
         [path, "time_XYZ", "4217", "2024-01-15T06:00:00Z", "2024-01-15T03:00:00Z"]),
        (.duplicateTime(path: path, otherPath: otherPath, variable: variable, time: "2024-01-15T06:00:00Z"), [path, otherPath, variable, "2024-01-15T06:00:00Z"]),
        (.gridMismatch(path: path, referencePath: referencePath, detail: "nx 292 vs 288 XYZ"), [path, referencePath, "nx 292 vs 288 XYZ"]),
        (.unitsMismatch(path: path, referencePath: referencePath, variable: variable, units: "km/h_XYZ", referenceUnits: "m s-1_QRS"),
         [path, referencePath, variable, "km/h_XYZ", "m s-1_QRS"]),
        (.levelMismatch(path: path, variable: variable, detail: "level 292.5 hPa is not a wind level XYZ"), [path, variable, "level 292.5 hPa is not a wind level XYZ"]),
        (.windMismatch(detail: "u has 17 times, v has 16 XYZ"), ["u has 17 times, v has 16 XYZ"]),
        (.ambiguousRole(path: path, role: "u", rule: "name", variables: ["UWND_XYZ", "uwnd_QRS"]), [path, "UWND_XYZ", "uwnd_QRS", "--map u="]),
        (.unsupportedUnits(path: path, variable: "air_XYZ", units: "degF_XYZ", expected: "K or degC"), [path, "air_XYZ", "degF_XYZ", "K or degC"]),
        (.unsupportedFormat(path: arlPath, detail: "this is a HYSPLIT ARL file XYZ: use ARLWindField"), [arlPath, "this is a HYSPLIT ARL file XYZ: use ARLWindField"]),
        (.unsupportedGrid(path: path, detail: "Lambert conformal grids are not supported yet XYZ"), [path, "Lambert conformal grids are not supported yet XYZ"]),
        (.unsupportedLayout(path: path, variable: variable, detail: "5 dimensions (ensemble, time, level, lat, lon) XYZ"),
         [path, variable, "5 dimensions (ensemble, time, level, lat, lon) XYZ"]),
        (.boxOutsideGrid(box: BoundingBox(south: -12.25, north: 3.75, west: 292.5, east: 301.125), grid: "lat 20..60, lon 70..150 XYZ"),
         [BoundingBox(south: -12.25, north: 3.75, west: 292.5, east: 301.125).description, "-12.25", "301.125", "lat 20..60, lon 70..150 XYZ"]),
        (.timeIndexOutOfRange(index: 4217, count: 3981), ["4217", "3981"]),
        (.mixedFormats(arlPath: arlPath, otherPath: path), [arlPath, path]),
        // The mapping is refused for the whole ARL source, so naming its first file is enough.
        (.mappingWithARL(paths: [arlPath, "/data/met/gdas1-ARL-QRS.bin"]), [arlPath]),
    ]

    @Test("MetError", arguments: met)
    func metError(_ error: MetError, _ expected: [String]) {
        Self.check(error, expected)
    }

    static func caseName(_ e: MetError) -> String {
        switch e {
        case .netCDF: "netCDF"
        case .noFiles: "noFiles"
        case .noWind: "noWind"
        case .mappedVariableMissing: "mappedVariableMissing"
        case .unknownRole: "unknownRole"
        case .missingAxis: "missingAxis"
        case .unsupportedCalendar: "unsupportedCalendar"
        case .badTimeUnits: "badTimeUnits"
        case .nonMonotonicTime: "nonMonotonicTime"
        case .duplicateTime: "duplicateTime"
        case .gridMismatch: "gridMismatch"
        case .unitsMismatch: "unitsMismatch"
        case .levelMismatch: "levelMismatch"
        case .windMismatch: "windMismatch"
        case .ambiguousRole: "ambiguousRole"
        case .unsupportedUnits: "unsupportedUnits"
        case .unsupportedFormat: "unsupportedFormat"
        case .unsupportedGrid: "unsupportedGrid"
        case .unsupportedLayout: "unsupportedLayout"
        case .boxOutsideGrid: "boxOutsideGrid"
        case .timeIndexOutOfRange: "timeIndexOutOfRange"
        case .mixedFormats: "mixedFormats"
        case .mappingWithARL: "mappingWithARL"
        }
    }

    /// ARLError: unreadable, brokenHeader, brokenIndex, truncated, badChecksum (all 5 cases);
    /// every one names the file and (except unreadable) the record.
    static let arl: [(ARLError, [String])] = [
        (.unreadable(path: arlPath, detail: "Permission denied XYZ"), [arlPath, "Permission denied XYZ"]),
        (.brokenHeader(path: arlPath, record: 4217, detail: "level field 'x9' is not a number XYZ"), [arlPath, "record 4217", "level field 'x9' is not a number XYZ"]),
        (.brokenIndex(path: arlPath, record: 3981, detail: "grid size 'ab' XYZ"), [arlPath, "record 3981", "grid size 'ab' XYZ"]),
        (.truncated(path: arlPath, record: 5123, detail: "ends after 292 of 10450 bytes XYZ"), [arlPath, "record 5123", "ends after 292 of 10450 bytes XYZ"]),
        (.badChecksum(path: arlPath, record: 4217, variable: "UWND_XYZ", level: 23, time: "2024-01-15T06:00:00Z", expected: 918_273, computed: 271_828),
         [arlPath, "record 4217", "UWND_XYZ", "level 23", "2024-01-15T06:00:00Z", "918273", "271828"]),
    ]

    @Test("ARLError", arguments: arl)
    func arlError(_ error: ARLError, _ expected: [String]) {
        Self.check(error, expected)
    }

    static func caseName(_ e: ARLError) -> String {
        switch e {
        case .unreadable: "unreadable"
        case .brokenHeader: "brokenHeader"
        case .brokenIndex: "brokenIndex"
        case .truncated: "truncated"
        case .badChecksum: "badChecksum"
        }
    }

    /// MetWriteError: cannotWrite, unconvertible (all 2 cases).
    static let metWrite: [(MetWriteError, [String])] = [
        (.cannotWrite(path: "/data/out/converted-XYZ.arl", detail: "No space left on device XYZ"), ["/data/out/converted-XYZ.arl", "No space left on device XYZ"]),
        (.unconvertible(path: path, detail: "variable uwnd_XYZ is on a rotated grid"), [path, "variable uwnd_XYZ is on a rotated grid"]),
    ]

    @Test("MetWriteError", arguments: metWrite)
    func metWriteError(_ error: MetWriteError, _ expected: [String]) {
        Self.check(error, expected)
    }

    static func caseName(_ e: MetWriteError) -> String {
        switch e {
        case .cannotWrite: "cannotWrite"
        case .unconvertible: "unconvertible"
        }
    }

    /// SyntheticMetError: invalidParameter, timeIndexOutOfRange (all 2 cases). No file: the
    /// parameter name and value (or the index and count) are the cause.
    static let synthetic: [(SyntheticMetError, [String])] = [
        (.invalidParameter(name: "resolution_XYZ", value: value, requirement: "must be in (0, 10] degrees XYZ"), ["resolution_XYZ", value, "must be in (0, 10] degrees XYZ"]),
        (.timeIndexOutOfRange(index: 4217, count: 3981), ["4217", "3981"]),
    ]

    @Test("SyntheticMetError", arguments: synthetic)
    func syntheticMetError(_ error: SyntheticMetError, _ expected: [String]) {
        Self.check(error, expected)
    }

    static func caseName(_ e: SyntheticMetError) -> String {
        switch e {
        case .invalidParameter: "invalidParameter"
        case .timeIndexOutOfRange: "timeIndexOutOfRange"
        }
    }

    // MARK: - UpwindFormats

    /// TrajectoryOutputError: folderMissing, destinationIsFolder, cannotCreate, writeFailed,
    /// cannotReplace, alreadyFinished, unusableAfterError, nonFiniteCoordinate (all 8 cases).
    static let trajectoryOutput: [(TrajectoryOutputError, [String])] = [
        (.folderMissing(path: folder + "/out.csv", folder: folder), [folder + "/out.csv", folder]),
        (.destinationIsFolder(path: "/data/runs/folder-XYZ"), ["/data/runs/folder-XYZ"]),
        (.cannotCreate(path: csvPath, temporaryPath: tempPath, reason: "Permission denied XYZ"), [csvPath, tempPath, "Permission denied XYZ"]),
        (.writeFailed(path: csvPath, reason: "No space left on device XYZ"), [csvPath, "No space left on device XYZ"]),
        (.cannotReplace(path: csvPath, temporaryPath: tempPath, reason: "Read-only file system XYZ"), [csvPath, tempPath, "Read-only file system XYZ"]),
        (.alreadyFinished(path: csvPath), [csvPath]),
        (.unusableAfterError(path: csvPath), [csvPath]),
        (.nonFiniteCoordinate(path: "/data/runs/traj-XYZ.geojson", trajectory: 4217, endpoint: 3981), ["/data/runs/traj-XYZ.geojson", "4217", "3981"]),
    ]

    @Test("TrajectoryOutputError", arguments: trajectoryOutput)
    func trajectoryOutputError(_ error: TrajectoryOutputError, _ expected: [String]) {
        Self.check(error, expected)
    }

    static func caseName(_ e: TrajectoryOutputError) -> String {
        switch e {
        case .folderMissing: "folderMissing"
        case .destinationIsFolder: "destinationIsFolder"
        case .cannotCreate: "cannotCreate"
        case .writeFailed: "writeFailed"
        case .cannotReplace: "cannotReplace"
        case .alreadyFinished: "alreadyFinished"
        case .unusableAfterError: "unusableAfterError"
        case .nonFiniteCoordinate: "nonFiniteCoordinate"
        }
    }

    /// StartsCSVError: fileNotFound, unreadable, empty, missingColumn, noRows, badNumber,
    /// latitudeOutOfRange, badTime (all 8 cases; badNumber and badTime also with an empty value).
    static let startsCSV: [(StartsCSVError, [String])] = [
        (.fileNotFound(path: startsPath), [startsPath]),
        (.unreadable(path: startsPath, reason: "it is not valid UTF-8 XYZ"), [startsPath, "it is not valid UTF-8 XYZ"]),
        (.empty(path: startsPath), [startsPath]),
        (.missingColumn(path: startsPath, column: "height_m", header: ["site", "lat_XYZ", "lon_QRS"]), [startsPath, "height_m", "lat_XYZ", "lon_QRS"]),
        (.noRows(path: startsPath), [startsPath]),
        (.badNumber(path: startsPath, line: 4217, column: "longitude", value: "116.4E_XYZ"), [startsPath, "line 4217", "longitude", "116.4E_XYZ"]),
        (.badNumber(path: startsPath, line: 4218, column: "height_m", value: ""), [startsPath, "line 4218", "height_m", "empty"]),
        (.latitudeOutOfRange(path: startsPath, line: 3981, value: value), [startsPath, "line 3981", "latitude", value]),
        (.badTime(path: startsPath, line: 5123, value: "2024-01-15 06:00 XYZ"), [startsPath, "line 5123", "time", "2024-01-15 06:00 XYZ"]),
        (.badTime(path: startsPath, line: 5124, value: ""), [startsPath, "line 5124", "time", "empty"]),
    ]

    @Test("StartsCSVError", arguments: startsCSV)
    func startsCSVError(_ error: StartsCSVError, _ expected: [String]) {
        Self.check(error, expected)
    }

    static func caseName(_ e: StartsCSVError) -> String {
        switch e {
        case .fileNotFound: "fileNotFound"
        case .unreadable: "unreadable"
        case .empty: "empty"
        case .missingColumn: "missingColumn"
        case .noRows: "noRows"
        case .badNumber: "badNumber"
        case .latitudeOutOfRange: "latitudeOutOfRange"
        case .badTime: "badTime"
        }
    }

    /// TrajectoryReadError: fileNotFound, unreadable, empty, missingColumn, badValue,
    /// notTrajectoryFile (all 6 cases; badValue also with an empty value).
    static let trajectoryRead: [(TrajectoryReadError, [String])] = [
        (.fileNotFound(path: csvPath), [csvPath]),
        (.unreadable(path: csvPath, reason: "it is a folder XYZ"), [csvPath, "it is a folder XYZ"]),
        (.empty(path: csvPath), [csvPath]),
        (.missingColumn(path: csvPath, column: "height_agl", header: ["traj_XYZ", "lat_QRS"]), [csvPath, "height_agl", "traj_XYZ", "lat_QRS"]),
        (.badValue(path: csvPath, line: 4217, column: "pressure_hpa", value: "292.5hPa", expected: "a number or empty"), [csvPath, "line 4217", "pressure_hpa", "292.5hPa", "a number or empty"]),
        (.badValue(path: csvPath, line: 4218, column: "latitude", value: "", expected: "a number"), [csvPath, "line 4218", "latitude", "empty", "a number"]),
        (.notTrajectoryFile(path: path, reason: "no featureType trajectory attribute XYZ"), [path, "no featureType trajectory attribute XYZ"]),
    ]

    @Test("TrajectoryReadError", arguments: trajectoryRead)
    func trajectoryReadError(_ error: TrajectoryReadError, _ expected: [String]) {
        Self.check(error, expected)
    }

    static func caseName(_ e: TrajectoryReadError) -> String {
        switch e {
        case .fileNotFound: "fileNotFound"
        case .unreadable: "unreadable"
        case .empty: "empty"
        case .missingColumn: "missingColumn"
        case .badValue: "badValue"
        case .notTrajectoryFile: "notTrajectoryFile"
        }
    }

    /// HysplitControlError: fileNotFound, unreadable, truncated, emptyLine, badNumber, badValue,
    /// unsupportedVerticalCode, badNamelist, metFileNotFound (all 9 cases).
    static let hysplitControl: [(HysplitControlError, [String])] = [
        (.fileNotFound(path: controlPath), [controlPath]),
        (.unreadable(path: controlPath, reason: "it is not text XYZ"), [controlPath, "it is not text XYZ"]),
        (.truncated(path: controlPath, line: 4217, expected: "start 3 of 5 (lat lon height) XYZ"), [controlPath, "line 4217", "start 3 of 5 (lat lon height) XYZ"]),
        (.emptyLine(path: controlPath, line: 3981, expected: "the run length in hours XYZ"), [controlPath, "line 3981", "the run length in hours XYZ"]),
        (.badNumber(path: controlPath, line: 5123, field: "model top", text: "292.5m_XYZ", hint: "write metres above ground XYZ"),
         [controlPath, "line 5123", "model top", "292.5m_XYZ", "write metres above ground XYZ"]),
        (.badValue(path: controlPath, line: 6007, field: "latitude", reason: "292.5 is outside -90…90 XYZ"), [controlPath, "line 6007", "latitude", "292.5 is outside -90…90 XYZ"]),
        (.unsupportedVerticalCode(path: controlPath, line: 7001, code: 8), [controlPath, "line 7001", "code 8"]),
        (.badNamelist(path: "/data/hysplit/SETUP-XYZ.CFG", line: 8009, reason: "no closing '/' XYZ"), ["/data/hysplit/SETUP-XYZ.CFG", "line 8009", "no closing '/' XYZ"]),
        (.metFileNotFound(path: controlPath, line: 9011, metPath: "./met-XYZ/gdas1.jan24.w3", workingDirectory: "/home/user/run-QRS"),
         [controlPath, "line 9011", "./met-XYZ/gdas1.jan24.w3", "/home/user/run-QRS"]),
    ]

    @Test("HysplitControlError", arguments: hysplitControl)
    func hysplitControlError(_ error: HysplitControlError, _ expected: [String]) {
        Self.check(error, expected)
    }

    static func caseName(_ e: HysplitControlError) -> String {
        switch e {
        case .fileNotFound: "fileNotFound"
        case .unreadable: "unreadable"
        case .truncated: "truncated"
        case .emptyLine: "emptyLine"
        case .badNumber: "badNumber"
        case .badValue: "badValue"
        case .unsupportedVerticalCode: "unsupportedVerticalCode"
        case .badNamelist: "badNamelist"
        case .metFileNotFound: "metFileNotFound"
        }
    }

    /// TdumpError: fileNotFound, unreadable, empty, truncatedHeader, badHeader, badEndpoint,
    /// unknownTrajectory, noEndpoints, mixedRuns, noTrajectories (all 10 cases).
    static let tdump: [(TdumpError, [String])] = [
        (.fileNotFound(path: tdumpPath), [tdumpPath]),
        (.unreadable(path: tdumpPath, reason: "it is not text XYZ"), [tdumpPath, "it is not text XYZ"]),
        (.empty(path: tdumpPath), [tdumpPath]),
        (.truncatedHeader(path: tdumpPath, line: 4217, expected: "3 start records XYZ"), [tdumpPath, "line 4217", "3 start records XYZ"]),
        (.badHeader(path: tdumpPath, line: 3981, record: "met grid record", text: "    NGM  95 XYZ"), [tdumpPath, "line 3981", "met grid record", "    NGM  95 XYZ"]),
        (.badEndpoint(path: tdumpPath, line: 5123, reason: "'292.5x' is not a number XYZ"), [tdumpPath, "line 5123", "'292.5x' is not a number XYZ"]),
        (.unknownTrajectory(path: tdumpPath, line: 6007, number: 77, declared: 29), [tdumpPath, "line 6007", "number 77", "29"]),
        (.noEndpoints(path: tdumpPath), [tdumpPath]),
        (.mixedRuns(path: tdumpPath, first: 4217, other: 3981, what: "vertical method XYZ"), [tdumpPath, "4217", "3981", "vertical method XYZ"]),
        (.noTrajectories(path: tdumpPath), [tdumpPath]),
    ]

    @Test("TdumpError", arguments: tdump)
    func tdumpError(_ error: TdumpError, _ expected: [String]) {
        Self.check(error, expected)
    }

    static func caseName(_ e: TdumpError) -> String {
        switch e {
        case .fileNotFound: "fileNotFound"
        case .unreadable: "unreadable"
        case .empty: "empty"
        case .truncatedHeader: "truncatedHeader"
        case .badHeader: "badHeader"
        case .badEndpoint: "badEndpoint"
        case .unknownTrajectory: "unknownTrajectory"
        case .noEndpoints: "noEndpoints"
        case .mixedRuns: "mixedRuns"
        case .noTrajectories: "noTrajectories"
        }
    }

    /// RunRecordError: unreadable (its only case).
    static let runRecord: [(RunRecordError, [String])] = [
        (.unreadable(path: "/data/obs/stations-XYZ.csv", reason: "permission denied XYZ"), ["/data/obs/stations-XYZ.csv", "permission denied XYZ"]),
    ]

    @Test("RunRecordError", arguments: runRecord)
    func runRecordError(_ error: RunRecordError, _ expected: [String]) {
        Self.check(error, expected)
    }

    static func caseName(_ e: RunRecordError) -> String {
        switch e {
        case .unreadable: "unreadable"
        }
    }

    /// TrajectoryInputError: unknownFormat, notReadable (both cases).
    static let trajectoryInput: [(TrajectoryInputError, [String])] = [
        (.unknownFormat(path: "/data/traj/back-XYZ.txt"), ["/data/traj/back-XYZ.txt"]),
        (.notReadable(path: "/data/traj/back-XYZ.geojson", format: "geojson"), ["/data/traj/back-XYZ.geojson", "geojson"]),
    ]

    @Test("TrajectoryInputError", arguments: trajectoryInput)
    func trajectoryInputError(_ error: TrajectoryInputError, _ expected: [String]) {
        Self.check(error, expected)
    }

    static func caseName(_ e: TrajectoryInputError) -> String {
        switch e {
        case .unknownFormat: "unknownFormat"
        case .notReadable: "notReadable"
        }
    }

    // MARK: - Coverage

    @Test("the samples cover every case of every public error type")
    func everyCaseHasASample() {
        #expect(Set(Self.netCDF.map { Self.caseName($0.0) }) == [
            "fileNotFound", "isDirectory", "emptyFile", "notNetCDF", "truncated", "corruptHeader", "libraryCrashed", "libraryHung", "variableNotFound",
            "dimensionNotFound", "attributeNotFound", "invalidRequest", "library",
        ])
        #expect(Set(Self.trajectory.map { Self.caseName($0.0) }) == [
            "invalidOptions", "invalidOption", "startsOutsideCoverage", "missingField", "sliceOutOfRange",
        ])
        #expect(!Self.utcTimeParse.isEmpty)
        #expect(Set(Self.met.map { Self.caseName($0.0) }) == [
            "netCDF", "noFiles", "noWind", "mappedVariableMissing", "unknownRole", "missingAxis",
            "unsupportedCalendar", "badTimeUnits", "nonMonotonicTime", "duplicateTime", "gridMismatch",
            "unitsMismatch", "levelMismatch", "windMismatch", "unsupportedUnits", "unsupportedFormat",
            "unsupportedGrid", "unsupportedLayout", "boxOutsideGrid", "timeIndexOutOfRange", "mixedFormats",
            "mappingWithARL", "ambiguousRole",
        ])
        #expect(Set(Self.arl.map { Self.caseName($0.0) }) == ["unreadable", "brokenHeader", "brokenIndex", "truncated", "badChecksum"])
        #expect(Set(Self.metWrite.map { Self.caseName($0.0) }) == ["cannotWrite", "unconvertible"])
        #expect(Set(Self.synthetic.map { Self.caseName($0.0) }) == ["invalidParameter", "timeIndexOutOfRange"])
        #expect(Set(Self.trajectoryOutput.map { Self.caseName($0.0) }) == [
            "folderMissing", "destinationIsFolder", "cannotCreate", "writeFailed", "cannotReplace",
            "alreadyFinished", "unusableAfterError", "nonFiniteCoordinate",
        ])
        #expect(Set(Self.startsCSV.map { Self.caseName($0.0) }) == [
            "fileNotFound", "unreadable", "empty", "missingColumn", "noRows", "badNumber", "latitudeOutOfRange", "badTime",
        ])
        #expect(Set(Self.trajectoryRead.map { Self.caseName($0.0) }) == [
            "fileNotFound", "unreadable", "empty", "missingColumn", "badValue", "notTrajectoryFile",
        ])
        #expect(Set(Self.hysplitControl.map { Self.caseName($0.0) }) == [
            "fileNotFound", "unreadable", "truncated", "emptyLine", "badNumber", "badValue",
            "unsupportedVerticalCode", "badNamelist", "metFileNotFound",
        ])
        #expect(Set(Self.runRecord.map { Self.caseName($0.0) }) == ["unreadable"])
        #expect(Set(Self.trajectoryInput.map { Self.caseName($0.0) }) == ["unknownFormat", "notReadable"])
        #expect(Set(Self.tdump.map { Self.caseName($0.0) }) == [
            "fileNotFound", "unreadable", "empty", "truncatedHeader", "badHeader", "badEndpoint",
            "unknownTrajectory", "noEndpoints", "mixedRuns", "noTrajectories",
        ])
    }
}
