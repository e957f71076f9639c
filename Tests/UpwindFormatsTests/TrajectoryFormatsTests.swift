import Foundation
import NetCDFKit
import Testing
import UpwindTestSupport
import UpwindCore
@testable import UpwindFormats

/// Two backward trajectories with every field set (one shorter, one with a NaN pressure and
/// partial diagnostics) plus the tutorial tdump's three forward ones.
enum FormatSamples {
    static func backward() -> [Trajectory] {
        var a = Fixture.backward(id: 4, site: "Zhengzhou, \"ZZ\"")
        a.start.heightIsMSL = true
        a.verticalMode = .isentropic
        a.member = 3
        a.termination = Termination(reason: .leftDomain, time: Fixture.start + -7000)
        a.provenance = TrajectoryProvenance(metModel: "ERA5", usedStandardAtmosphere: true)
        a.endpoints[1].diagnostics.temperatureK = nil   // Fixture has NaN here; nil is what formats keep
        var b = Fixture.path([(116.4, 39.9), (179.9, 40), (-179.9, 40.1)], id: 9, site: "S2", reason: .completed)
        b.start.longitude = 359.5
        return [a, b]
    }

    /// `a` and `b` are equal to float precision (positions 1e-4°, heights and pressure 1e-3).
    static func close(_ a: [Trajectory], _ b: [Trajectory]) -> Bool {
        guard a.count == b.count else { return false }
        func near(_ x: Double, _ y: Double, _ tolerance: Double) -> Bool { x.isNaN ? y.isNaN : abs(x - y) <= tolerance * max(1, abs(x)) }
        func near(_ x: Double?, _ y: Double?) -> Bool { x == nil ? y == nil : (y != nil && near(x ?? 0, y ?? 0, 1e-6)) }
        for (s, t) in zip(a, b) {
            guard s.id == t.id, s.start == t.start, s.member == t.member, s.isBackward == t.isBackward,
                  s.verticalMode == t.verticalMode, s.termination == t.termination, s.provenance == t.provenance,
                  s.endpoints.count == t.endpoints.count else { return false }
            for (e, f) in zip(s.endpoints, t.endpoints) {
                guard e.time == f.time, e.ageHours == f.ageHours, near(e.latitude, f.latitude, 1e-6),
                      near(NumberText.normalizedLongitude(e.longitude), f.longitude, 1e-6),
                      near(e.heightAGL, f.heightAGL, 1e-6), near(e.pressureHPa, f.pressureHPa, 1e-6),
                      near(e.diagnostics.terrainM, f.diagnostics.terrainM), near(e.diagnostics.temperatureK, f.diagnostics.temperatureK),
                      near(e.diagnostics.thetaK, f.diagnostics.thetaK), near(e.diagnostics.mixingDepthM, f.diagnostics.mixingDepthM),
                      near(e.diagnostics.relativeHumidityPct, f.diagnostics.relativeHumidityPct) else { return false }
            }
        }
        return true
    }
}

@Suite("CF trajectory NetCDF")
struct TrajectoryNetCDFTests {
    @Test("round trip of every field to float precision, fill past termination, CF attributes")
    func roundTrip() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let trajectories = FormatSamples.backward()
        try TrajectoryNetCDF.write(trajectories, to: folder.path("t.nc"))
        #expect(try folder.contents() == ["t.nc"])
        let back = try TrajectoryNetCDF.read(path: folder.path("t.nc"))
        #expect(FormatSamples.close(trajectories, back))
        #expect(back[1].endpoints[1].pressureHPa.isNaN)
        #expect(back[0].endpoints[1].diagnostics.relativeHumidityPct == 60 && back[0].endpoints[1].diagnostics.mixingDepthM == nil)

        let nc = try NetCDFFile.open(folder.path("t.nc"))
        defer { try? nc.close() }
        let root = nc.root
        #expect(nc.format == .netcdf4)
        #expect(try root.attribute(named: "Conventions")?.value.string == "CF-1.11")
        #expect(try root.attribute(named: "featureType")?.value.string == "trajectory")
        #expect(try root.attribute(named: "direction")?.value.string == "backward")
        #expect(try root.attribute(named: "vertical_mode")?.value.string == "mixed")
        #expect(try root.dimensions().map(\.name) == ["trajectory", "obs"])
        #expect(try root.dimensions().map(\.length) == [2, 3])
        let id = try root.requiredVariable(named: "trajectory_id")
        #expect(id.type == .string)
        #expect(try id.readStrings() == ["4", "9"])
        #expect(try id.attribute(named: "cf_role")?.value.string == "trajectory_id")
        #expect(try root.requiredVariable(named: "termination").readStrings() == ["leftDomain", "completed"])
        let time = try root.requiredVariable(named: "time")
        #expect(try time.attribute(named: "units")?.value.string == "seconds since 1970-01-01 00:00:00")
        #expect(try time.attribute(named: "calendar")?.value.string == "standard")
        let seconds: [Double] = try time.read()
        let t0 = Double(Fixture.start.secondsSince1970)
        #expect(seconds == [t0, t0 - 3600, t0 - 7200, t0, t0 - 3600, t0 - 7200])
        let lon: [Float] = try root.requiredVariable(named: "longitude").read()
        #expect(lon[1] == -170 && lon[4] == 179.9)
        #expect(try root.requiredVariable(named: "relative_humidity").attribute(named: "units")?.value.string == "percent")
        #expect(try root.requiredVariable(named: "terrain").attribute(named: "units")?.value.string == "m")
        #expect(try root.requiredVariable(named: "height_agl").attribute(named: "units")?.value.string == "m")
        #expect(try root.requiredVariable(named: "pressure").attribute(named: "units")?.value.string == "hPa")
        #expect(try root.requiredVariable(named: "age").attribute(named: "units")?.value.string == "hours")
        #expect(try root.variable(named: "tdump_provenance") == nil)
    }

    @Test("fill past termination for a shorter trajectory; tdump provenance survives so the tdump rewrite is byte-identical")
    func fillAndTdump() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        var trajectories = try TdumpReader.read(path: Fixtures.hysplit("tutorial_fwd12.tdump"))
        trajectories[1].endpoints.removeLast(5)
        trajectories[1].provenance.tdump?.gridNumbers.removeLast(5)
        trajectories[1].provenance.tdump?.forecastHours.removeLast(5)
        try TrajectoryNetCDF.write(trajectories, to: folder.path("t.nc"))
        let back = try TrajectoryNetCDF.read(path: folder.path("t.nc"))
        #expect(back.map(\.endpoints.count) == [13, 8, 13])
        #expect(try TdumpWriter.text(back) == TdumpWriter.text(trajectories))
        let nc = try NetCDFFile.open(folder.path("t.nc"))
        defer { try? nc.close() }
        let height: [Float] = try nc.root.requiredVariable(named: "height_agl").read()
        #expect(height[13 + 7] == 367.9 && height[13 + 8] == TrajectoryNetCDF.floatFill)
        #expect(try nc.root.requiredVariable(named: "height_agl").attribute(named: "_FillValue")?.value == .float([TrajectoryNetCDF.floatFill]))
        // The full tutorial round trip through NetCDF gives HYSPLIT's bytes again.
        let full = try TdumpReader.read(path: Fixtures.hysplit("tutorial_fwd12.tdump"))
        try TrajectoryNetCDF.write(full, to: folder.path("full.nc"))
        #expect(try TdumpWriter.text(TrajectoryNetCDF.read(path: folder.path("full.nc"))) == Fixtures.text("hysplit/tutorial_fwd12.tdump"))
    }

    @Test("zero trajectories write and read back as none; a non-trajectory NetCDF is refused")
    func emptyAndForeign() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        try TrajectoryNetCDF.write([], to: folder.path("none.nc"))
        #expect(try TrajectoryNetCDF.read(path: folder.path("none.nc")).isEmpty)
        let other = try NetCDFFile.create(folder.path("grid.nc"), format: .netcdf4)
        let x = try other.root.defineDimension("x", length: 2)
        try other.root.defineVariable("v", type: .double, dimensions: [x]).write([1.0, 2.0])
        try other.close()
        #expect(throws: TrajectoryReadError.notTrajectoryFile(path: folder.path("grid.nc"), reason: "its featureType attribute is 'absent', not 'trajectory'")) {
            try TrajectoryNetCDF.read(path: folder.path("grid.nc"))
        }
    }
}

@Suite("openair CSV")
struct OpenAirCSVTests {
    @Test("exact columns and row text")
    func layout() throws {
        let text = OpenAirCSV.text([FormatSamples.backward()[0]])
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines[0] == "date,receptor,year,month,day,hour,hour.inc,lat,lon,height,pressure,date2")
        #expect(lines[1] == "2024-01-15 06:00:00,\"Zhengzhou, \"\"ZZ\"\"\",2024,1,15,6,0,39.9000,116.4000,500.0,950.0,2024-01-15 06:00:00")
        #expect(lines[2] == "2024-01-15 06:00:00,\"Zhengzhou, \"\"ZZ\"\"\",2024,1,15,5,-1,40.1235,-170.0000,612.4,NA,2024-01-15 05:00:00")
        #expect(lines.count == 4 && text.hasSuffix("\n"))
        #expect(OpenAirCSV.ageText(-1.5) == "-1.50")
    }

    @Test("round trip keeps what the layout carries")
    func roundTrip() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let trajectories = FormatSamples.backward()
        try OpenAirCSV.write(trajectories, to: folder.path("o.csv"))
        let back = try OpenAirCSV.read(path: folder.path("o.csv"))
        #expect(back.count == 2)
        for (s, t) in zip(trajectories, back) {
            #expect(t.start.site == s.start.site && t.start.time == s.start.time && t.isBackward)
            #expect(t.endpoints.map(\.time) == s.endpoints.map(\.time))
            #expect(t.endpoints.map(\.ageHours) == s.endpoints.map(\.ageHours))
            for (e, f) in zip(s.endpoints, t.endpoints) {
                #expect(abs(e.latitude - f.latitude) < 5e-5)
                #expect(abs(NumberText.normalizedLongitude(e.longitude) - f.longitude) < 5e-5)
                #expect(abs(e.heightAGL - f.heightAGL) < 0.05)
                #expect(e.pressureHPa.isNaN ? f.pressureHPa.isNaN : abs(e.pressureHPa - f.pressureHPa) < 0.05)
            }
        }
        #expect(back.map(\.id) == [1, 2])
        // Re-writing what was read gives the same text.
        #expect(OpenAirCSV.text(back) == (try folder.read("o.csv")))
    }

    @Test("two trajectories with the same receptor and arrival time are split where hour.inc restarts")
    func sameKey() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        try folder.write("o.csv", """
            "date","receptor","year","month","day","hour","hour.inc","lat","lon","height","pressure","date2"
            "2024-01-15 06:00:00","A",2024,1,15,6,0,30,100,500,NA,"2024-01-15 06:00:00"
            "2024-01-15 06:00:00","A",2024,1,15,5,-1,30.5,100.5,450,NA,"2024-01-15 05:00:00"
            "2024-01-15 06:00:00","A",2024,1,15,6,0,30,100,1500,850,"2024-01-15 06:00:00"
            """)
        let back = try OpenAirCSV.read(path: folder.path("o.csv"))
        #expect(back.map(\.endpoints.count) == [2, 1])
        #expect(back[1].start.height == 1500 && back[1].endpoints[0].pressureHPa == 850)
        try folder.write("bad.csv", "date,receptor,hour.inc,lat,lon,height\n2024-01-15 06:00:00,A,0,north,100,500\n")
        #expect(throws: TrajectoryReadError.badValue(path: folder.path("bad.csv"), line: 2, column: "lat", value: "north", expected: "a number")) {
            try OpenAirCSV.read(path: folder.path("bad.csv"))
        }
    }
}

@Suite("engine CSV reader")
struct TrajectoryCSVReaderTests {
    @Test("reads what TrajectoryCSVWriter wrote, to the written precision")
    func roundTrip() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let trajectories = FormatSamples.backward()
        try TrajectoryFiles.write(trajectories, to: folder.path("t.csv"), format: .csv)
        let back = try TrajectoryCSVReader.read(path: folder.path("t.csv"))
        #expect(back.map(\.id) == [4, 9])
        #expect(back.map(\.start.site) == ["Zhengzhou, \"ZZ\"", "S2"])
        #expect(back.map(\.member) == [3, 3])
        #expect(back.map(\.termination.reason) == [.leftDomain, .completed])
        #expect(back[0].termination.time == Fixture.start + -7200)
        #expect(back[0].endpoints[0].diagnostics == EndpointDiagnostics(terrainM: 50, temperatureK: 270.2, thetaK: 274.3,
                                                                         mixingDepthM: 812.3, relativeHumidityPct: 55.6))
        #expect(back[0].endpoints[1].pressureHPa.isNaN && back[0].endpoints[1].longitude == -170)
        #expect(back[1].start.longitude == -0.5)  // the CSV writes start longitudes in −180…180
        #expect(back.map(\.isBackward) == [true, true])
        // Written again, the CSV is unchanged.
        try TrajectoryFiles.write(back, to: folder.path("again.csv"), format: .csv)
        #expect(try folder.read("again.csv") == folder.read("t.csv"))
    }

    @Test("a missing column or a bad termination names the file, line and column")
    func errors() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        try folder.write("a.csv", "trajectory,site\n1,A\n")
        #expect(throws: TrajectoryReadError.missingColumn(path: folder.path("a.csv"), column: "member", header: ["trajectory", "site"])) {
            try TrajectoryCSVReader.read(path: folder.path("a.csv"))
        }
        let header = TrajectoryCSVWriter.columns().joined(separator: ",")
        try folder.write("b.csv", header + "\n1,S1,0,2024-01-15T06:00:00Z,39.9,116.4,500.0,2024-01-15T06:00:00Z,0.00,39.9,116.4,500.0,950.0,crashed\n")
        #expect(throws: TrajectoryReadError.badValue(path: folder.path("b.csv"), line: 2, column: "termination", value: "crashed",
                                                     expected: "one of completed, leftDomain, hitTop, hitGround, outOfMetTime, missingData")) {
            try TrajectoryCSVReader.read(path: folder.path("b.csv"))
        }
        try folder.write("empty.csv", "")
        #expect(throws: TrajectoryReadError.empty(path: folder.path("empty.csv"))) { try TrajectoryCSVReader.read(path: folder.path("empty.csv")) }
        try folder.write("header.csv", header + ",termination\n")
        #expect(try TrajectoryCSVReader.read(path: folder.path("header.csv")).isEmpty)
    }
}

@Suite("trajectory file formats")
struct TrajectoryFileFormatTests {
    @Test("format from the file name", arguments: [
        ("run/tdump", TrajectoryFileFormat.tdump), ("tdump_003", .tdump), ("TDUMP.txt", .tdump), ("x.tdump", .tdump),
        ("out.csv", .csv), ("tdump.csv", .csv), ("a.GeoJSON", .geojson), ("a.json", .geojson),
        ("b.nc", .netcdf), ("b.nc4", .netcdf), ("c.netcdf", .netcdf),
    ])
    func fromName(path: String, expected: TrajectoryFileFormat) {
        #expect(TrajectoryFileFormat.fromName(path) == expected)
    }

    @Test("unknown names give nil; a CSV whose header has receptor and hour.inc is openair")
    func sniff() throws {
        #expect(TrajectoryFileFormat.fromName("trajectories.txt") == nil)
        #expect(TrajectoryFileFormat.fromName("noext") == nil)
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        try OpenAirCSV.write(FormatSamples.backward(), to: folder.path("o.csv"))
        try TrajectoryFiles.write(FormatSamples.backward(), to: folder.path("e.csv"), format: .csv)
        #expect(TrajectoryFileFormat.detect(path: folder.path("o.csv")) == .openair)
        #expect(TrajectoryFileFormat.detect(path: folder.path("o.csv"), sniff: false) == .csv)
        #expect(TrajectoryFileFormat.detect(path: folder.path("e.csv")) == .csv)
        #expect(!TrajectoryFileFormat.geojson.isReadable && TrajectoryFileFormat.allCases.filter(\.isReadable).count == 4)
    }

    @Test("tdump → every format → back: what each layout carries survives")
    func chain() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let real = try TrajectoryFiles.read(path: Fixtures.hysplit("tutorial_fwd12.tdump"), format: .tdump)
        for format in TrajectoryFileFormat.allCases {
            try TrajectoryFiles.write(real, to: folder.path("x.\(format)"), format: format)
        }
        #expect(try folder.contents() == ["x.csv", "x.geojson", "x.netcdf", "x.openair", "x.tdump"])
        #expect(try folder.read("x.tdump") == Fixtures.text("hysplit/tutorial_fwd12.tdump"))
        let realText = try Fixtures.text("hysplit/tutorial_fwd12.tdump")
        for format in [TrajectoryFileFormat.csv, .openair, .netcdf] {
            let back = try TrajectoryFiles.read(path: folder.path("x.\(format)"), format: format)
            #expect(back.map(\.endpoints.count) == [13, 13, 13], "\(format)")
            // Re-written as tdump (with a new header where the layout lost HYSPLIT's), the file is
            // HYSPLIT's again; openair has no terrain, so there only the path and pressure match.
            let text = try TdumpWriter.text(back.map { var t = $0; t.provenance.metModel = "NGM"; return t })
            if format == .openair {
                let ours = text.split(separator: "\n").dropFirst(7).map { $0.prefix(92) }
                let theirs = realText.split(separator: "\n").dropFirst(7).map { $0.prefix(92) }
                #expect(ours == theirs)
            } else {
                #expect(text == realText, "\(format)")
            }
        }
        #expect(throws: TrajectoryReadError.self) { try TrajectoryFiles.read(path: folder.path("x.geojson"), format: .geojson) }
    }
}
