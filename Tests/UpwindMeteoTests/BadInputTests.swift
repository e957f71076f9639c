import Foundation
import NetCDFKit
import Testing
import UpwindTestSupport
import UpwindCore
@testable import UpwindMeteo

/// Opens `paths` expecting a ``MetError``; returns it.
func expectMetError(_ paths: [String], mapping: MetVariableMapping = MetVariableMapping(),
                    sourceLocation: SourceLocation = #_sourceLocation) -> MetError? {
    do {
        _ = try MetDataset(paths: paths, mapping: mapping)
        Issue.record("expected an error opening \(paths)", sourceLocation: sourceLocation)
        return nil
    } catch let error as MetError {
        // One line that names the problem and what to do.
        #expect(!error.description.contains("\n"), sourceLocation: sourceLocation)
        return error
    } catch {
        Issue.record("not a MetError: \(error)", sourceLocation: sourceLocation)
        return nil
    }
}

@Suite("Bad input gives typed errors naming file, variable and value")
struct BadInputTests {
    @Test("missing file, directory, non-NetCDF and empty files")
    func files() throws {
        let dir = try TemporaryDirectory()
        let missing = dir.path("nope.nc")
        guard case .netCDF(.fileNotFound(let p))? = expectMetError([missing]) else { Issue.record("not fileNotFound"); return }
        #expect(p == missing)
        guard case .netCDF(.isDirectory)? = expectMetError([dir.url.path]) else { Issue.record("not isDirectory"); return }
        let text = dir.path("readme.nc")
        try "this is not netcdf".write(toFile: text, atomically: true, encoding: .utf8)
        guard case .netCDF(.notNetCDF)? = expectMetError([text]) else { Issue.record("not notNetCDF"); return }
        let empty = dir.path("empty.nc")
        #expect(FileManager.default.createFile(atPath: empty, contents: Data()))
        guard case .netCDF(.emptyFile)? = expectMetError([empty]) else { Issue.record("not emptyFile"); return }
        guard case .noFiles? = expectMetError([dir.path("*.grib")]) else { Issue.record("not noFiles"); return }
        guard case .noFiles? = expectMetError([]) else { Issue.record("not noFiles for []"); return }
    }

    @Test("truncated files, classic and NetCDF-4", arguments: ["era5_legacy", "era5_cds"])
    func truncated(name: String) throws {
        let dir = try TemporaryDirectory()
        let path = try dir.ncgen(name)
        let size = try fileSize(path)
        try truncate(path, to: size / 2)
        let error = expectMetError([path])
        guard case .netCDF(let e)? = error else { Issue.record("not a NetCDF error: \(String(describing: error))"); return }
        #expect(e.description.contains(path))
        if name == "era5_legacy" {
            guard case .truncated(_, let expected, let actual) = e else { Issue.record("not truncated: \(e)"); return }
            #expect(actual == size / 2 && expected > actual)
        }
    }

    @Test("no recognisable wind lists the variables and suggests a mapping, in library terms")
    func noWind() throws {
        let dir = try TemporaryDirectory()
        let error = expectMetError([try dir.ncgen("no_wind")])
        guard case .noWind(_, let variables)? = error else { Issue.record("not noWind"); return }
        #expect(variables.contains("ta"))
        #expect(error?.description.contains("MetVariableMapping([.u: NAME, .v: NAME])") == true)
        #expect(error?.description.contains("--map") == false)
        #expect(error?.localizedDescription == error?.description)
    }

    @Test("files with different grids are refused, naming the file that differs")
    func gridMismatch() throws {
        let dir = try TemporaryDirectory()
        let a = try dir.ncgen("era5_legacy"), b = try dir.ncgen("era5_legacy_badgrid")
        guard case .gridMismatch(let path, let reference, let detail)? = expectMetError([a, b]) else { Issue.record("not gridMismatch"); return }
        #expect(path == b && reference == a && detail.contains("longitude"))
    }

    @Test("duplicate times within a file and across files")
    func duplicates() throws {
        let dir = try TemporaryDirectory()
        guard case .duplicateTime(_, _, _, let time)? = expectMetError([try dir.ncgen("time_duplicate")]) else { Issue.record("not duplicateTime"); return }
        #expect(time == "2020-01-01T01:00:00Z")
        let a = try dir.ncgen("era5_legacy")
        let b = dir.path("copy.nc")
        try FileManager.default.copyItem(atPath: a, toPath: b)
        guard case .duplicateTime(let p, let other, _, _)? = expectMetError([a, b]) else { Issue.record("not duplicateTime across files"); return }
        #expect(p == b && other == a)
    }

    @Test("non-monotonic times")
    func nonMonotonic() throws {
        let dir = try TemporaryDirectory()
        guard case .nonMonotonicTime(_, let variable, let index, _, _)? = expectMetError([try dir.ncgen("time_nonmonotonic")]) else {
            Issue.record("not nonMonotonicTime"); return
        }
        #expect(variable == "time" && index == 2)
    }

    @Test("unsupported calendar is refused with a clear message")
    func calendar() throws {
        let dir = try TemporaryDirectory()
        let error = expectMetError([try dir.ncgen("calendar_360")])
        guard case .unsupportedCalendar(_, _, let calendar)? = error else { Issue.record("not unsupportedCalendar"); return }
        #expect(calendar == "360_day")
        #expect(error?.description.contains("proleptic_gregorian") == true)
    }

    @Test("WRF output is refused for now", arguments: ["wrf_like"])
    func unsupportedGrids(name: String) throws {
        let dir = try TemporaryDirectory()
        guard case .unsupportedGrid(_, let detail)? = expectMetError([try dir.ncgen(name)]) else { Issue.record("not unsupportedGrid"); return }
        #expect(detail.contains(name == "wrf_like" ? "WRF" : "projected"))
    }

    @Test("time units are parsed the ways producers write them")
    func timeUnits() throws {
        let cases: [(String, Double, String)] = [
            ("hours since 1900-01-01 00:00:00.0", 1_051_896, "2020-01-01T00:00:00Z"),
            ("Hour since 2023-03-01T00:00:00Z", 6, "2023-03-01T06:00:00Z"),
            ("hours since 1987-1-2 00:00:00", 24, "1987-01-03T00:00:00Z"),
            ("seconds since 1970-01-01", 1_719_792_000, "2024-07-01T00:00:00Z"),
            ("days since 2001-01-01", 0.25, "2001-01-01T06:00:00Z"),
            ("minutes since 2020-01-01 00:00:00 UTC", 90, "2020-01-01T01:30:00Z"),
            ("hours since 1800-01-01 00:00:0.0", 1_928_472, "2020-01-01T00:00:00Z"),
        ]
        for (units, value, expected) in cases {
            let parsed = try #require(CF.parseTimeUnits(units), "\(units)")
            #expect(parsed.time(value)?.iso8601 == expected, "\(units)")
        }
        #expect(CF.parseTimeUnits("hours since analysis") == nil)
        #expect(CF.parseTimeUnits("fortnights since 2000-01-01") == nil)
        // NCEP's old "hours since 1-1-1 00:00:0.0" in the standard (Julian before 1582) calendar:
        // 17,067,072 h is 1948-01-01T00Z (the first time of the R1 archive).
        var units = try #require(CF.parseTimeUnits("hours since 1-1-1 00:00:0.0"))
        let c = units.reference.components
        units.reference = UTCTime(secondsSince1970: Int64(CFFile.julianDayNumber(year: c.year, month: c.month, day: c.day) - 2_440_588) * 86_400)
        #expect(units.time(17_067_072)?.iso8601 == "1948-01-01T00:00:00Z")
    }
}

@Suite("Bad input across files")
struct MultiFileBadInputTests {
    @Test("a variable whose units differ between files is refused, naming both files")
    func unitsMismatch() throws {
        let dir = try TemporaryDirectory()
        let a = try dir.ncgen("era5_legacy")
        let text = try Fixtures.cdl("era5_legacy_day2").replacingOccurrences(of: "t:units = \"K\"", with: "t:units = \"degC\"")
        let b = try dir.ncgen("era5_legacy_day2", cdl: text)
        guard case .unitsMismatch(let path, let reference, let variable, let units, _)? = expectMetError([a, b]) else {
            Issue.record("not unitsMismatch"); return
        }
        #expect(path == b && reference == a && variable == "t" && units == "degC")
    }

    @Test("an ARL file is recognised and refused with what to do")
    func arl() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("gdas1.bin")
        // The first bytes of a real ARL record label (gdas_042.bin).
        let label = "10 21112 0 099INDX    0 0.0000000E+00 0.0000000E+00GDAS  0 2" + String(repeating: " ", count: 100)
        try label.write(toFile: path, atomically: true, encoding: .ascii)
        guard case .unsupportedFormat(_, let detail)? = expectMetError([path]) else { Issue.record("not unsupportedFormat"); return }
        #expect(detail.contains("ARL"))
    }
}
