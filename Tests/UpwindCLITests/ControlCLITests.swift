import Foundation
import Testing
import UpwindTestSupport
import UpwindCore
import UpwindFormats

/// `upwind trajectories --control`: HYSPLIT CONTROL runs, each in its own temporary folder used
/// as the process's current directory (as HYSPLIT runs from its working directory).
@Suite("upwind trajectories --control")
struct ControlCLITests {
    /// A temporary run layout: `root/work` (the current directory) and `root/met`.
    struct Layout {
        let directory: TemporaryDirectory
        var root: URL { directory.url }
        var work: URL { root.appendingPathComponent("work") }
        var met: URL { root.appendingPathComponent("met") }

        init() throws {
            directory = try TemporaryDirectory(prefix: "upwind-control")
            try FileManager.default.createDirectory(at: root.appendingPathComponent("work"), withIntermediateDirectories: true)
            try FileManager.default.createDirectory(at: root.appendingPathComponent("met"), withIntermediateDirectories: true)
        }

        func remove() { directory.remove() }

        /// Copies a fixture (`hysplit/...` or `met/...`) to `destination` under `root`.
        func copy(_ fixture: String, to destination: String) throws {
            try FileManager.default.copyItem(at: Fixtures.url(fixture), to: root.appendingPathComponent(destination))
        }

        func write(_ relative: String, _ text: String) throws { try directory.write(relative, text) }

        func read(_ relative: String) throws -> String { try directory.read(relative) }

        /// Runs `upwind` with `work` as the current directory.
        func run(_ arguments: [String]) throws -> ProcessResult { try CLI.run(arguments, in: work) }

        /// The tutorial: CONTROL and SETUP.CFG in `work`, `oct1618.BIN` in `met` (`../met/` from `work`).
        static func tutorial() throws -> Layout {
            let l = try Layout()
            try l.copy("hysplit/tutorial_CONTROL", to: "work/CONTROL")
            try l.copy("hysplit/tutorial_SETUP.CFG", to: "work/SETUP.CFG")
            try l.copy("met/oct1618.BIN", to: "met/oct1618.BIN")
            return l
        }
    }

    /// Great-circle distance in km (R = 6371 km).
    static func km(_ a: (Double, Double), _ b: (Double, Double)) -> Double {
        let r = Double.pi / 180
        let h = pow(sin((b.0 - a.0) * r / 2), 2) + cos(a.0 * r) * cos(b.0 * r) * pow(sin((b.1 - a.1) * r / 2), 2)
        return 2 * 6371 * asin(min(1, sqrt(h)))
    }

    @Test("the HYSPLIT tutorial CONTROL: header line for line, endpoints near HYSPLIT v5.3.0's")
    func tutorial() throws {
        let l = try Layout.tutorial()
        defer { l.remove() }
        let r = try l.run(["trajectories", "--control", "CONTROL"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.hasPrefix("3 trajectories, 3 completed"), "\(r.stdout)")
        #expect(r.stderr.isEmpty, "\(r.stderr)")
        let ours = try l.read("work/tdump")
        let hysplit = try String(contentsOf: Fixtures.root.appendingPathComponent("hysplit/tutorial_fwd12.tdump"), encoding: .utf8)
        let oursLines = ours.split(separator: "\n", omittingEmptySubsequences: false)
        let hysplitLines = hysplit.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(oursLines.count == hysplitLines.count)
        #expect(Array(oursLines.prefix(7)) == Array(hysplitLines.prefix(7)))
        #expect(oursLines[1] == "    NGM     95    10    16     0     0")
        #expect(oursLines[2] == "     3 FORWARD  OMEGA   ")
        #expect(oursLines[6] == "     2 PRESSURE TERR_MSL")
        // Endpoint lines: same layout (92 + 9 columns), same order (interleaved by hour).
        for (a, b) in zip(oursLines.dropFirst(7), hysplitLines.dropFirst(7)) {
            #expect(a.count == b.count && a.prefix(56) == b.prefix(56), "\(a)\n\(b)")
        }

        let mine = try TdumpReader.read(path: l.work.appendingPathComponent("tdump").path)
        let theirs = try TdumpReader.read(path: Fixtures.root.appendingPathComponent("hysplit/tutorial_fwd12.tdump").path)
        #expect(mine.count == 3 && mine.allSatisfy { $0.endpoints.count == 13 })
        var report = ["hour   10 m km   500 m km  1000 m km"]
        for hour in 0...12 {
            var row = String(format: "%4d", hour)
            for n in 0..<3 {
                let a = mine[n].endpoints[hour], b = theirs[n].endpoints[hour]
                let d = Self.km((a.latitude, a.longitude), (b.latitude, b.longitude))
                row += String(format: " %10.1f", d)
                if n > 0 { #expect(d < 30, "hour \(hour), \(mine[n].start.height) m: \(d) km from HYSPLIT") }
            }
            report.append(row)
        }
        print("tutorial CONTROL vs HYSPLIT v5.3.0 (km per hour):\n" + report.joined(separator: "\n"))
    }

    @Test("--out overrides the CONTROL's output path (relative to the current directory); 00 00 00 00 starts at the first met time")
    func outOverride() throws {
        let l = try Layout.tutorial()
        defer { l.remove() }
        var control = try l.read("work/CONTROL").split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        control[0] = "00 00 00 00"
        try l.write("work/CONTROL", control.joined(separator: "\n"))
        try FileManager.default.createDirectory(at: l.work.appendingPathComponent("out"), withIntermediateDirectories: true)
        let r = try l.run(["trajectories", "--control", "CONTROL", "--out", "out/fwd.tdump"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: l.work.appendingPathComponent("tdump").path))
        let text = try l.read("work/out/fwd.tdump")
        #expect(text.split(separator: "\n")[3] == "    95    10    16     0   40.000  -90.000    10.0")
    }

    /// A CONTROL naming `gdas_042.bin` in `./`: backward 36 h from 2010-02-13 00Z, four starts
    /// around Montserrat (16.7N 62.2W) at several heights.
    static func gdasControl(vertical: Int) -> String {
        """
        10 02 13 00
        4
        16.700 -62.200 500.0
        16.700 -62.200 1500.0
        17.000 -62.500 3000.0
        16.500 -61.800 100.0
        -36
        \(vertical)
        10000.0
        1
        ./
        gdas_042.bin
        ./
        tdump_gdas

        """
    }

    @Test("gdas_042.bin CONTROL, backward 36 h, vertical codes 0 and 1: a tdump TdumpReader reads back", arguments: [0, 1])
    func gdas(vertical: Int) throws {
        let l = try Layout()
        defer { l.remove() }
        try l.copy("met/gdas_042.bin", to: "work/gdas_042.bin")
        try l.write("work/CONTROL", Self.gdasControl(vertical: vertical))
        if vertical == 1 {
            try l.write("work/SETUP.CFG", " &SETUP\n tratio = 0.75,\n tout = 30,\n tm_pres = 1, tm_tpot = 1, tm_rain = 1, tm_terr = 1,\n /\n")
        }
        let r = try l.run(["trajectories", "--control", "CONTROL"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.hasPrefix("4 trajectories, 4 completed"), "\(r.stdout)")
        let text = try l.read("work/tdump_gdas")
        let lines = text.split(separator: "\n")
        #expect(lines[0] == "     1     1")
        #expect(lines[1] == "    GDAS    10     2    11    12     0")
        #expect(lines[2] == (vertical == 0 ? "     4 BACKWARD OMEGA   " : "     4 BACKWARD ISOBARIC"))
        #expect(lines[3] == "    10     2    13     0   16.700  -62.200   500.0")
        let perHour = vertical == 1 ? 2 : 1
        #expect(lines.count == 8 + 4 * (36 * perHour + 1))
        if vertical == 1 {
            #expect(lines[7] == "     3 PRESSURE THETA    TERR_MSL")
            #expect(r.stderr.contains("RAINFALL") && r.stderr.contains("left out"), "\(r.stderr)")
        } else {
            #expect(lines[7] == "     1 PRESSURE")
        }
        let back = try TdumpReader.read(path: l.work.appendingPathComponent("tdump_gdas").path)
        #expect(back.count == 4)
        #expect(back.allSatisfy { $0.isBackward && $0.endpoints.count == 36 * perHour + 1 })
        #expect(back.allSatisfy { $0.verticalMode == (vertical == 0 ? .data : .isobaric) })
        #expect(back.map(\.start.height) == [500, 1500, 3000, 100])
        #expect(back[0].endpoints.last?.time == UTCTime(year: 2010, month: 2, day: 11, hour: 12))
        #expect(back[0].endpoints.last?.ageHours == -36)
        if vertical == 1 {
            // Isobaric: pressure stays within a few hPa of the start's.
            for t in back { #expect(abs((t.endpoints.last?.pressureHPa ?? .nan) - t.endpoints[0].pressureHPa) < 30) }
        }
    }

    @Test("--met accepts ARL files (detected by content) and writes tdump, openair and NetCDF")
    func metARL() throws {
        let l = try Layout()
        defer { l.remove() }
        try l.copy("met/gdas_042.bin", to: "work/gdas.arl")
        let base = ["trajectories", "--met", "gdas.arl", "--start", "16.7,-62.2,500", "--start", "16.7,-62.2,1500",
                    "--time", "2010-02-13T00:00:00Z", "--hours", "-36"]
        let r = try l.run(base + ["--out", "back.tdump"])
        #expect(r.status == 0, "\(r.stderr)")
        let lines = try l.read("work/back.tdump").split(separator: "\n")
        #expect(lines[1] == "    GDAS    10     2    11    12     0")
        #expect(lines[2] == "     2 BACKWARD OMEGA   ")
        #expect(lines[5].hasPrefix("     ") && lines[5].contains("PRESSURE") && lines[5].contains("TERR_MSL"))
        let back = try TdumpReader.read(path: l.work.appendingPathComponent("back.tdump").path)
        #expect(back.count == 2 && back.allSatisfy { $0.endpoints.count == 37 })

        let tdumpFormat = try l.run(base + ["--format", "tdump", "--out", "named.txt"])
        #expect(tdumpFormat.status == 0, "\(tdumpFormat.stderr)")
        #expect(try l.read("work/named.txt") == l.read("work/back.tdump"))

        let openair = try l.run(base + ["--format", "openair", "--out", "back.csv"])
        #expect(openair.status == 0, "\(openair.stderr)")
        let csv = try l.read("work/back.csv").split(separator: "\n")
        #expect(csv[0] == "date,receptor,year,month,day,hour,hour.inc,lat,lon,height,pressure,date2")
        #expect(csv.count == 1 + 2 * 37)

        let netcdf = try l.run(base + ["--out", "back.nc"])
        #expect(netcdf.status == 0, "\(netcdf.stderr)")
        let fromNetCDF = try TrajectoryNetCDF.read(path: l.work.appendingPathComponent("back.nc").path)
        #expect(fromNetCDF.count == 2 && fromNetCDF.allSatisfy { $0.endpoints.count == 37 })
    }

    @Test("ARL and NetCDF met in one run are refused (exit 1, one line)")
    func mixedMet() throws {
        let l = try Layout()
        defer { l.remove() }
        try l.copy("met/gdas_042.bin", to: "work/gdas_042.bin")
        let r = try l.run(["trajectories", "--met", "gdas_042.bin", "--met", Fixtures.root.appendingPathComponent("met/grads_model_1987.nc").path,
                           "--start", "16.7,-62.2,500", "--time", "2010-02-13T00:00:00Z", "--hours", "-6"])
        #expect(r.status == 1)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr.split(separator: "\n").count == 1 && r.stderr.contains("all be ARL packed or all NetCDF"), "\(r.stderr)")
    }

    /// Bad CONTROL files: exit 1, one line on stderr naming the file (and line), nothing on
    /// stdout, the earlier output untouched and no partial file left.
    @Test("bad CONTROL input", arguments: [
        ("fewer start lines than declared", "95 10 16 00\n3\n40.0 -90.0 10.0\n40.0 -90.0 500.0\n", "'CONTROL' ends before line 5"),
        ("missing met file", "95 10 16 00\n1\n40.0 -90.0 500.0\n12\n0\n10000.0\n1\n../met/\noct1619.BIN\n./\ntdump\n", "'CONTROL' line 9: met file"),
        ("met period does not cover the start", "95 10 19 00\n1\n40.0 -90.0 500.0\n12\n0\n10000.0\n1\n../met/\noct1618.BIN\n./\ntdump\n", "outside the met coverage"),
        ("unsupported vertical code", "95 10 16 00\n1\n40.0 -90.0 500.0\n12\n3\n10000.0\n1\n../met/\noct1618.BIN\n./\ntdump\n", "'CONTROL' line 5: vertical motion code 3 is not supported"),
        ("malformed number", "95 10 16 00\n1\n40.0 -90.0 5OO.0\n12\n0\n10000.0\n1\n../met/\noct1618.BIN\n./\ntdump\n", "'CONTROL' line 3: '5OO.0' is not a valid start height"),
        ("malformed SETUP.CFG", "95 10 16 00\n1\n40.0 -90.0 500.0\n12\n0\n10000.0\n1\n../met/\noct1618.BIN\n./\ntdump\n", "SETUP.CFG' line 2"),
    ])
    func badInput(name: String, control: String, words: String) throws {
        let l = try Layout.tutorial()
        defer { l.remove() }
        try l.write("work/CONTROL", control)
        if name == "malformed SETUP.CFG" { try l.write("work/SETUP.CFG", " &SETUP\n tout = sixty\n /\n") }
        try l.write("work/tdump", "earlier output\n")
        let before = try FileManager.default.contentsOfDirectory(atPath: l.work.path).sorted()
        let r = try l.run(["trajectories", "--control", "CONTROL"])
        #expect(r.status == 1, "\(name): \(r.stderr)")
        #expect(r.stdout.isEmpty, "\(name): \(r.stdout)")
        #expect(r.stderr.split(separator: "\n").count == 1, "\(name): \(r.stderr)")
        #expect(r.stderr.contains(words), "\(name): \(r.stderr)")
        #expect(try l.read("work/tdump") == "earlier output\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: l.work.path).sorted() == before)
    }

    @Test("bad usage with --control exits 2", arguments: [
        ["trajectories", "--control", "NOCONTROL"],
        ["trajectories", "--control", "CONTROL", "--met", "x.nc"],
        ["trajectories", "--control", "CONTROL", "--hours", "-24"],
        ["trajectories", "--control", "CONTROL", "--format", "kml"],
    ])
    func badUsage(arguments: [String]) throws {
        let l = try Layout.tutorial()
        defer { l.remove() }
        let r = try l.run(arguments)
        #expect(r.status == 2, "\(r.stderr)")
        #expect(r.stdout.isEmpty)
        #expect(r.stderr.split(separator: "\n").count == 1)
        #expect(!FileManager.default.fileExists(atPath: l.work.appendingPathComponent("tdump").path))
    }
}
