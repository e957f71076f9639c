import Foundation
import Testing
import UpwindTestSupport
import UpwindCore
@testable import UpwindFormats

@Suite("tdump: the real HYSPLIT v5.3.0 tutorial file")
struct TdumpRealFileTests {
    @Test("reading the tutorial tdump gives its 3 trajectories with the values written in it")
    func readTutorial() throws {
        let trajectories = try TdumpReader.read(path: Fixtures.hysplit("tutorial_fwd12.tdump"))
        #expect(trajectories.count == 3)
        let t0 = UTCTime(year: 1995, month: 10, day: 16, hour: 0)
        for (i, t) in trajectories.enumerated() {
            #expect(t.id == i + 1)
            #expect(t.start.site == "T\(i + 1)")
            #expect(t.start.time == t0)
            #expect(t.start.latitude == 40 && t.start.longitude == -90)
            #expect(!t.isBackward)
            #expect(t.verticalMode == .data)
            #expect(t.endpoints.count == 13)
            #expect(t.termination == Termination(reason: .completed, time: t0 + 12 * 3600))
            #expect(t.provenance.metModel == "NGM")
        }
        #expect(trajectories.map(\.start.height) == [10, 500, 1000])
        let last = try #require(trajectories[2].endpoints.last)
        // "     3     1    95    10    16    12     0     0    12.0   36.887  -85.300    718.9    905.9    263.3"
        #expect(last.time == t0 + 12 * 3600)
        #expect(last.ageHours == 12)
        #expect(last.latitude == 36.887 && last.longitude == -85.3 && last.heightAGL == 718.9)
        #expect(last.pressureHPa == 905.9 && last.diagnostics.terrainM == 263.3)
        #expect(last.diagnostics.temperatureK == nil)
        let p = try #require(trajectories[0].provenance.tdump)
        #expect(p.metGrids == [TdumpMetGrid(modelField: "    NGM ", year: 95, month: 10, day: 16, hour: 0, forecastHour: 0)])
        #expect(p.formatFlag == 1 && p.verticalLabel == "OMEGA" && p.diagnosticLabels == ["PRESSURE", "TERR_MSL"])
        #expect(p.startRecord == "    95    10    16     0   40.000  -90.000    10.0")
        #expect(p.gridNumbers == Array(repeating: 1, count: 13) && p.forecastHours == Array(repeating: 0, count: 13))
        #expect(p.extraDiagnostics.isEmpty && !p.fourDigitYears)
    }

    @Test("read then write is byte-identical to HYSPLIT's own file")
    func byteIdenticalRoundTrip() throws {
        let original = try Data(contentsOf: URL(fileURLWithPath: Fixtures.hysplit("tutorial_fwd12.tdump")))
        let trajectories = try TdumpReader.read(path: Fixtures.hysplit("tutorial_fwd12.tdump"))
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        try TdumpWriter.write(trajectories, to: folder.path("copy.tdump"))
        let written = try Data(contentsOf: URL(fileURLWithPath: folder.path("copy.tdump")))
        #expect(written == original)
        #expect(try folder.contents() == ["copy.tdump"])
    }

    @Test("Trajectory values built from scratch are written line for line as HYSPLIT wrote them")
    func constructedLayoutMatchesReal() throws {
        let real = try Fixtures.text("hysplit/tutorial_fwd12.tdump")
        let realLines = real.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // The endpoint numbers, taken from the file with a plain whitespace split (not the reader).
        var endpoints: [[TrajectoryEndpoint]] = [[], [], []]
        let t0 = UTCTime(year: 1995, month: 10, day: 16, hour: 0)
        for line in realLines[7...] where !line.isEmpty {
            let v = line.split(separator: " ").compactMap { Double($0) }
            let traj = Int(v[0]) - 1
            endpoints[traj].append(TrajectoryEndpoint(
                time: t0 + Int64(v[5]) * 3600, ageHours: v[8], latitude: v[9], longitude: v[10], heightAGL: v[11],
                pressureHPa: v[12], diagnostics: EndpointDiagnostics(terrainM: v[13])))
        }
        let heights: [Double] = [10, 500, 1000]
        var trajectories: [Trajectory] = []
        for i in 0..<3 {
            let start = TrajectoryStart(site: "Tutorial", latitude: 40, longitude: -90, height: heights[i], time: t0)
            trajectories.append(Trajectory(id: i + 1, start: start, isBackward: false, verticalMode: .data, endpoints: endpoints[i],
                                           termination: Termination(reason: .completed, time: t0 + 43_200),
                                           provenance: TrajectoryProvenance(metModel: "NGM")))
        }
        let written = try TdumpWriter.text(trajectories)
        let writtenLines = written.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(writtenLines.count == realLines.count)
        for (n, (w, r)) in zip(writtenLines, realLines).enumerated() {
            #expect(w == r, "line \(n + 1)")
        }
        #expect(written == real)
    }
}

@Suite("tdump writer")
struct TdumpWriterTests {
    static let t0 = UTCTime(year: 2024, month: 1, day: 15, hour: 6)

    static func backward(id: Int, lon: Double = 116.4, hours: Int = 2, mode: VerticalMode = .isobaric) -> Trajectory {
        let start = TrajectoryStart(site: "S\(id)", latitude: 39.9, longitude: lon, height: 500, time: t0)
        var endpoints: [TrajectoryEndpoint] = []
        for h in 0...hours {
            let x = Double(h)
            let rh: Double? = h == 1 ? nil : 55.56
            let d = EndpointDiagnostics(terrainM: 50, temperatureK: 270.16, thetaK: nil, mixingDepthM: 812.26, relativeHumidityPct: rh)
            endpoints.append(TrajectoryEndpoint(time: t0 + Int64(-3600 * h), ageHours: -x, latitude: 39.9 - 0.25 * x,
                                                longitude: lon + x, heightAGL: 500 - x, pressureHPa: 950 + x, diagnostics: d))
        }
        return Trajectory(id: id, start: start, isBackward: true, verticalMode: mode, endpoints: endpoints,
                          termination: Termination(reason: .completed, time: t0 + Int64(-3600 * hours)),
                          provenance: TrajectoryProvenance(metModel: "ERA5"))
    }

    @Test("backward, isobaric, two trajectories of different lengths, 0–360 start longitude, labels in HYSPLIT order")
    func layout() throws {
        let text = try TdumpWriter.text([Self.backward(id: 1, lon: 359.5, hours: 2), Self.backward(id: 7, hours: 1)])
        let expected = """
             1     1
            ERA5    24     1    15     4     0
             2 BACKWARD ISOBARIC
            24     1    15     6   39.900  359.500   500.0
            24     1    15     6   39.900  116.400   500.0
             5 PRESSURE AIR_TEMP MIXDEPTH RELHUMID TERR_MSL
             1     1    24     1    15     6     0     0     0.0   39.900   -0.500    500.0    950.0    270.2    812.3     55.6     50.0
             2     1    24     1    15     6     0     0     0.0   39.900  116.400    500.0    950.0    270.2    812.3     55.6     50.0
             1     1    24     1    15     5     0     0    -1.0   39.650    0.500    499.0    951.0    270.2    812.3      NaN     50.0
             2     1    24     1    15     5     0     0    -1.0   39.650  117.400    499.0    951.0    270.2    812.3      NaN     50.0
             1     1    24     1    15     4     0     0    -2.0   39.400    1.500    498.0    952.0    270.2    812.3     55.6     50.0

        """
        #expect(text == expected)
        // pysplit's column positions: data lines are 92 characters up to and including pressure.
        let dataLine = try #require(text.split(separator: "\n").dropFirst(6).first)
        #expect(dataLine.prefix(92).hasSuffix("950.0"))
    }

    @Test("vertical labels, direction word and the model-id rule")
    func labels() throws {
        #expect(VerticalMode.allCases.map(TdumpLabels.verticalLabel) == ["OMEGA", "ISOBARIC", "THETA", "SIGMA"])
        #expect(["OMEGA", "ISOBARIC", "THETA", "SIGMA", "DENSITY", "ISENTROP"].map(TdumpLabels.verticalMode(label:))
            == [.data, .isobaric, .isentropic, .height, .data, .isentropic])
        #expect(TdumpLabels.modelField("GDAS") == "    GDAS")
        #expect(TdumpLabels.modelField("NGM") == "    NGM ")
        #expect(TdumpLabels.modelField(" era5 ") == "    era5")
        #expect(TdumpLabels.modelField("GFS0P25") == " GFS0P25")
        #expect(TdumpLabels.modelField("ERA5-PRESSURE") == "ERA5-PRE")
        #expect(TdumpLabels.modelField(nil) == " UNKNOWN")
        let forward = try TdumpWriter.text([Self.backward(id: 1, mode: .data)].map { var t = $0; t.isBackward = false; return t })
        #expect(forward.split(separator: "\n")[2] == "     1 FORWARD  OMEGA   ")
    }

    @Test("Fortran number text: rounding, negative zero, NaN, overflow")
    func fortran() {
        #expect(FortranText.f(-0.0004, 9, 3) == "   -0.000")
        #expect(FortranText.f(0.0, 8, 1) == "     0.0")
        #expect(FortranText.f(12.25, 8, 1) == "    12.3")
        #expect(FortranText.f(.nan, 8, 1) == "     NaN")
        #expect(FortranText.f(123_456_789, 8, 1) == "********")
        #expect(FortranText.i(2015, 6) == "  2015")
        #expect(FortranText.i(1_234_567, 6) == "******")
    }

    @Test("mixed directions are refused; no trajectories is refused")
    func refusals() {
        var forward = Self.backward(id: 2)
        forward.isBackward = false
        #expect(throws: TdumpError.mixedRuns(path: "x.tdump", first: 1, other: 2, what: "direction (forward/backward)")) {
            try TdumpWriter.text([Self.backward(id: 1), forward], path: "x.tdump")
        }
        #expect(throws: TdumpError.noTrajectories(path: "x.tdump")) { try TdumpWriter.text([], path: "x.tdump") }
    }

    @Test("write is temp-then-rename and leaves nothing behind on error")
    func atomic() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        try folder.write("out.tdump", "old")
        #expect(throws: TdumpError.self) { try TdumpWriter.write([], to: folder.path("out.tdump")) }
        #expect(try folder.read("out.tdump") == "old")
        try TdumpWriter.write([Self.backward(id: 1)], to: folder.path("out.tdump"))
        #expect(try folder.read("out.tdump").hasPrefix("     1     1\n    ERA5"))
        #expect(try folder.contents() == ["out.tdump"])
    }
}

@Suite("tdump reader on what exists in the wild")
struct TdumpWildTests {
    static func parse(_ text: String, options: TdumpReadOptions = TdumpReadOptions()) throws -> [Trajectory] {
        try TdumpReader.parse(text, path: "wild.tdump", options: options)
    }

    /// Byte-identical rewrite of `text`.
    static func rewrite(_ text: String) throws -> String {
        try TdumpWriter.text(try parse(text))
    }

    static let fourDigit = """
         1     1
        GDAS    15     8     5     0     0
         1 BACKWARD OMEGA   
      2015     8     5     0   49.000 -119.000   100.0
         1 PRESSURE
         1     1  2015     8     5     0     0     0     0.0   49.000 -119.000    100.0    992.7
         1     1  2015     8     4    23     0     0    -1.0   49.012 -119.120     98.5    993.0

    """

    @Test("4-digit years in start and endpoint records; rewrite is byte-identical")
    func fourDigitYears() throws {
        let t = try #require(try Self.parse(Self.fourDigit).first)
        #expect(t.start.time == UTCTime(year: 2015, month: 8, day: 5))
        #expect(t.endpoints.map(\.time) == [UTCTime(year: 2015, month: 8, day: 5), UTCTime(year: 2015, month: 8, day: 4, hour: 23)])
        #expect(t.isBackward && t.endpoints[1].ageHours == -1 && t.endpoints[0].pressureHPa == 992.7)
        #expect(t.provenance.tdump?.fourDigitYears == true)
        #expect(try Self.rewrite(Self.fourDigit) == Self.fourDigit)
    }

    @Test("1-digit years use the pivot (below 40 → 20xx) or the given century")
    func oneDigitYears() throws {
        let text = """
                 1     1
                CDC1     6     1     1     0     0
                 1 FORWARD  OMEGA   
                 6     1     1     0   10.000   20.000   500.0
                 1 PRESSURE
                 1     1     6     1     1     0     0     0     0.0   10.000   20.000    500.0    950.0
            """
        let pivot = try #require(try Self.parse(text).first)
        #expect(pivot.start.time == UTCTime(year: 2006, month: 1, day: 1))
        #expect(pivot.endpoints[0].time == UTCTime(year: 2006, month: 1, day: 1))
        let century = try #require(try Self.parse(text, options: TdumpReadOptions(century: 19)).first)
        #expect(century.start.time == UTCTime(year: 1906, month: 1, day: 1))
        #expect(TdumpReader.fullYear(39) == 2039 && TdumpReader.fullYear(40) == 1940 && TdumpReader.fullYear(1987) == 1987)
        #expect(TdumpReader.nearestYear(0, to: 1999) == 2000 && TdumpReader.nearestYear(99, to: 2000) == 1999)
        // No final newline: the last endpoint is still read, and the rewrite adds the line end.
        #expect(try Self.rewrite(text) == text + "\n")
    }

    static let threeGrids = """
         3     1
        GDAS    24     1    14     0     0
        GDAS    24     1    15     0     0
        GFS     24     1    15     6     6
         2 BACKWARD OMEGA   
        24     1    15    12   34.750  113.650   500.0
        24     1    15    12   34.750  113.650  1500.0
         3 PRESSURE THETA    MIXDEPTH
         1     3    24     1    15    12     0     6     0.0   34.750  113.650    500.0    950.0    290.1    812.0
         2     3    24     1    15    12     0     6     0.0   34.750  113.650   1500.0    850.0    295.2    812.0
         1     2    24     1    15     0     0     0   -12.0   35.100  110.200    640.0    940.0    289.0    300.0
         2     2    24     1    15     0     0     0   -12.0   36.000  108.000   1800.0    820.0    296.0    300.0
         1     1    24     1    14    23     0     0   -13.0   35.200  109.900    650.0    939.0    289.1    250.0

    """

    @Test("three met grids, per-endpoint grid numbers and forecast hours, a shorter trajectory")
    func threeGrids() throws {
        let ts = try Self.parse(Self.threeGrids)
        #expect(ts.count == 2)
        let p = try #require(ts[0].provenance.tdump)
        #expect(p.metGrids.map(\.modelField) == ["    GDAS", "    GDAS", "    GFS "])
        #expect(p.metGrids[2].forecastHour == 6 && p.metGrids[2].hour == 6)
        #expect(p.gridNumbers == [3, 2, 1] && p.forecastHours == [6, 0, 0])
        #expect(ts[0].endpoints.map(\.diagnostics.thetaK) == [290.1, 289.0, 289.1])
        #expect(ts[1].endpoints.map(\.diagnostics.mixingDepthM) == [812, 300])
        #expect(ts[0].termination.reason == .completed)
        #expect(ts[1].termination == Termination(reason: .leftDomain, time: UTCTime(year: 2024, month: 1, day: 15)))
        #expect(ts[1].start.height == 1500)
        #expect(try Self.rewrite(Self.threeGrids) == Self.threeGrids)
    }

    @Test("the pre-2017 multi-line form: endpoint records with 9 diagnostics continue on a second line")
    func multiLine() throws {
        let text = """
                 1     1
                GDAS    10     7     1     0     0
                 1 BACKWARD OMEGA   
                10     7     1    12   40.000  -75.000   500.0
                 9 PRESSURE THETA    AIR_TEMP RAINFALL MIXDEPTH RELHUMID SPCHUMID H2OMIXRA TERR_MSL
                 1     1    10     7     1    12     0     0     0.0   40.000  -75.000    500.0    950.0    300.1    295.0      0.0    900.0     60.0      8.1
                 8.2     10.0
                 1     1    10     7     1    11     0     0    -1.0   40.100  -75.200    480.0    952.0    300.0    294.8      0.2    850.0     61.0      8.0
                 8.1     11.0
            """
        let t = try #require(try Self.parse(text).first)
        #expect(t.endpoints.count == 2)
        #expect(t.endpoints[1].diagnostics == EndpointDiagnostics(terrainM: 11, temperatureK: 294.8, thetaK: 300,
                                                                   mixingDepthM: 850, relativeHumidityPct: 61))
        let extra = try #require(t.provenance.tdump?.extraDiagnostics)
        #expect(extra["RAINFALL"] == [0, 0.2] && extra["SPCHUMID"] == [8.1, 8.0] && extra["H2OMIXRA"] == [8.2, 8.1])
        // The rewrite is in today's one-line form, with every value kept.
        let again = try Self.parse(try TdumpWriter.text([t]))
        #expect(again.first?.endpoints == t.endpoints)
        #expect(again.first?.provenance.tdump?.extraDiagnostics == extra)
    }

    @Test("the old glued layout (2F8.3 positions) is read in fixed columns")
    func gluedColumns() throws {
        let text = """
                 1
                NGM     95    10    16     0     0
                 1BACKWARDOMEGA   
                95    10    16     0  40.000-179.500    10.0
                 1 PRESSURE
                 1     1    95    10    16     0     0     0     0.0  40.000-179.500    10.0   991.7
            """
        let t = try #require(try Self.parse(text).first)
        #expect(t.start.longitude == -179.5 && t.start.latitude == 40)
        #expect(t.endpoints[0].longitude == -179.5 && t.endpoints[0].heightAGL == 10 && t.endpoints[0].pressureHPa == 991.7)
        #expect(t.provenance.tdump?.formatFlag == nil && t.isBackward)
    }

    static let header = "     1     1\n    GDAS    15     8     5     0     0\n     1 BACKWARD OMEGA   \n"
        + "    15     8     5     0   49.000 -119.000   100.0\n     1 PRESSURE\n"
    static let line0 = "     1     1    15     8     5     0     0     0     0.0   49.000 -119.000    100.0    992.7\n"
    static let errorCases: [(String, TdumpError)] = [
        ("", TdumpError.empty(path: "wild.tdump")),
        ("\n  \n", TdumpError.empty(path: "wild.tdump")),
        ("     1     1\n", TdumpError.truncatedHeader(path: "wild.tdump", line: 1, expected: "1 met-grid records, found 0")),
        (header, TdumpError.noEndpoints(path: "wild.tdump")),
        (header + line0 + "     1     1    15     8     4    23     0     0    -1.0   49.0x2 -119.120     98.5    993.0\n",
         TdumpError.badEndpoint(path: "wild.tdump", line: 7, reason: "'49.0x2' is not a number")),
        (header + "     1     1    15     8     5     0     0     0     0.0   49.000 -119.000    100.0\n",
         TdumpError.badEndpoint(path: "wild.tdump", line: 6, reason: "expected 13 values (12 + 1 diagnostics) but found 12")),
        (header + "     2     1    15     8     5     0     0     0     0.0   49.000 -119.000    100.0    992.7\n",
         TdumpError.unknownTrajectory(path: "wild.tdump", line: 6, number: 2, declared: 1)),
        ("     1     1\n    GDAS    15     8     5     0     0\n     1 SIDEWAYS OMEGA   \n",
         TdumpError.badHeader(path: "wild.tdump", line: 3, record: "record 3 (I6,1X,A8,1X,A8: trajectories, FORWARD/BACKWARD, vertical method)",
                              text: "     1 SIDEWAYS OMEGA   ")),
    ]

    @Test("empty, blank, one-line, header-only files and malformed lines give errors naming the file and line", arguments: errorCases)
    func errors(text: String, expected: TdumpError) {
        #expect(throws: expected) { try Self.parse(text) }
        #expect(!expected.description.contains("\n") && expected.description.contains("wild.tdump"))
    }

    @Test("a missing file or a folder is a one-line error")
    func missingFile() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        #expect(throws: TdumpError.fileNotFound(path: folder.path("none"))) { try TdumpReader.read(path: folder.path("none")) }
        #expect(throws: TdumpError.unreadable(path: folder.url.path, reason: "it is a folder")) { try TdumpReader.read(path: folder.url.path) }
    }

    @Test("CRLF line ends, a custom site naming, many trajectories with one that ran out of met")
    func crlfAndNaming() throws {
        let text = """
                 1     1\r
            GDAS    24     1    15     0     0\r
                 2 FORWARD  ISOBARIC\r
                24     1    15     0   30.000  100.000   500.0\r
                24     1    15     1   31.000  100.000   500.0\r
                 1 PRESSURE\r
                 1     1    24     1    15     0     0     0     0.0   30.000  100.000    500.0    950.0\r
                 2     1    24     1    15     1     0     0     0.0   31.000  100.000    500.0    950.0\r
                 1     1    24     1    15     1     0     0     1.0   30.100  100.100    500.0    950.0\r
                 1     1    24     1    15     2     0     0     2.0   30.200  100.200    500.0    950.0\r
                 2     1    24     1    15     2     0     0     1.0   31.100  100.100    500.0    950.0\r

            """
        let ts = try Self.parse(text, options: TdumpReadOptions(siteName: { n, s in "Site\(n)@\(Int(s.latitude))" }))
        #expect(ts.map(\.start.site) == ["Site1@30", "Site2@31"])
        #expect(ts.map(\.verticalMode) == [.isobaric, .isobaric])
        #expect(ts[0].termination.reason == .completed)
        #expect(ts[1].termination == Termination(reason: .outOfMetTime, time: UTCTime(year: 2024, month: 1, day: 15, hour: 2)))
    }
}
