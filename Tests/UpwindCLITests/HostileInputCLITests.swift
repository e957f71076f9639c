import Foundation
import Testing
import UpwindTestSupport

/// Issue 13: every crash and the hang found by attacking the CLI, as regressions. Each input is
/// made here from the fixtures; each run must end with exit 1 (bad data) or 2 (bad usage) and
/// exactly one line on stderr, or succeed, and never trap.
@Suite("Hostile inputs to the CLI")
struct HostileInputCLITests {
    let grads = Fixtures.root.appendingPathComponent("met/grads_model_1987.nc").path
    let storm = Fixtures.root.appendingPathComponent("met/ncl_storm1996_500hPa.nc").path

    /// One line on stderr that does not come from a trap.
    func expectOneLine(_ r: ProcessResult, _ status: Int32, containing words: [String] = [], sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(r.status == status, "\(r.status): \(r.stderr)", sourceLocation: sourceLocation)
        #expect(r.stderr.hasPrefix("upwind: error: ") && r.stderr.split(separator: "\n").count == 1, "\(r.stderr)", sourceLocation: sourceLocation)
        #expect(!r.stderr.contains("Fatal error") && !r.stderr.contains("Backtrac"), sourceLocation: sourceLocation)
        for w in words { #expect(r.stderr.contains(w), "\(r.stderr) lacks \(w)", sourceLocation: sourceLocation) }
    }

    @Test("--hours ±Int.max, Int.min and 1e9 are refused before the met is opened (was: overflow trap; allocation failure)",
          arguments: ["9223372036854775807", "-9223372036854775808", "1000000000", "-87661"])
    func extremeHours(_ hours: String) throws {
        let dir = try TemporaryDirectory()
        let r = try CLI.run(["trajectories", "--met", grads, "--start", "40,116,1500", "--time", "1987-01-05T00:00:00Z",
                             "--hours", hours, "--vertical", "isobaric", "--out", dir.path("x.csv")])
        expectOneLine(r, 2, containing: ["--hours \(hours)", "87660"])
        #expect(r.stdout.isEmpty && !FileManager.default.fileExists(atPath: dir.path("x.csv")))
    }

    @Test("--start 0,1e308,0 --skip-invalid-starts runs the other start and reports this one (was: Double→Int trap in the sampler)")
    func hugeLongitude() throws {
        let dir = try TemporaryDirectory()
        let r = try CLI.run(["trajectories", "--met", storm, "--start", "0,1e308,0", "--start", "40,-90,5500", "--time", "1996-01-10T00:00:00Z",
                             "--hours", "-3", "--skip-invalid-starts", "--out", dir.path("x.csv")])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.hasPrefix("1 trajectories, 1 completed, 1 start skipped"), "\(r.stdout)")
    }

    @Test("a tdump whose start record is cut short is refused naming the line (was: index out of range)")
    func tdumpCutShort() throws {
        let dir = try TemporaryDirectory()
        var lines = try String(contentsOf: Fixtures.root.appendingPathComponent("hysplit/tutorial_fwd12.tdump"), encoding: .utf8).components(separatedBy: "\n")
        lines[3] = "    95    10    16     0   40.000"
        try dir.write("cut.tdump", lines.joined(separator: "\n"))
        let r = try CLI.run(["convert", dir.path("cut.tdump"), dir.path("out.csv")])
        expectOneLine(r, 1, containing: ["line 4", "start record"])
    }

    @Test("an ARL index whose Mercator grid size is 1e-45 km is refused by inspect and trajectories (was: accepted, then a trap)")
    func denormalARLGrid() throws {
        let dir = try TemporaryDirectory()
        var data = try Data(contentsOf: URL(fileURLWithPath: Fixtures.met("oct1618.BIN")))
        let length = 50 + 33 * 28
        var r = 0, previous = false
        while (r + 1) * length <= data.count {
            let base = r * length
            let isIndex = data[(base + 14) ..< (base + 18)].elementsEqual(Array("INDX".utf8))
            if isIndex && !previous {
                // 12F7 from character 9 of the index text: field 5 grid size, field 7 tangent latitude.
                data.replaceSubrange(base + 50 + 9 + 28 ..< base + 50 + 9 + 35, with: Array("  1e-45".utf8))
                data.replaceSubrange(base + 50 + 9 + 42 ..< base + 50 + 9 + 49, with: Array("    0.0".utf8))
            }
            previous = isIndex
            r += 1
        }
        let path = dir.path("mercator.bin")
        try data.write(to: URL(fileURLWithPath: path))
        expectOneLine(try CLI.run(["inspect", path]), 1, containing: ["grid size 1e-45 km"])
        expectOneLine(try CLI.run(["trajectories", "--met", path, "--start", "40,-90,500", "--time", "1995-10-16T00:00:00Z", "--hours", "3",
                                   "--out", dir.path("x.csv")]), 1, containing: ["grid size 1e-45 km"])
    }

    @Test("a CONTROL run length of 2147483648 h is refused naming the line and the limit (was: 128 GB reserved for endpoints)")
    func controlHugeHours() throws {
        let dir = try TemporaryDirectory()
        let metDir = Fixtures.root.appendingPathComponent("met").path + "/"
        try dir.write("CONTROL", "95 10 16 00\n1\n40.0 -90.0 500.0\n2147483648\n0\n10000.0\n1\n\(metDir)\noct1618.BIN\n./\ntdump\n")
        let r = try CLI.run(["trajectories", "--control", "CONTROL"], in: dir.url)
        expectOneLine(r, 1, containing: ["line 4", "2147483648", "87660"])
        #expect(!FileManager.default.fileExists(atPath: dir.path("tdump")))
    }

    func planText(to: String, everyHours: String, extra: String = "") -> String {
        """
        {"met": {"files": ["\(grads)"]}, "generator": {"sites": [{"site": "A", "latitude": 40, "longitude": 116}], "heights": [1500],
         "from": "1987-01-05T00:00:00Z", "to": "\(to)", "everyHours": \(everyHours)}, "hours": -3, "vertical": "isobaric"\(extra)}
        """
    }

    @Test("a plan with generator.everyHours = Int.max makes one start and runs (was: overflow in RunPlan.expandedStarts)")
    func planEveryHoursIntMax() throws {
        let dir = try TemporaryDirectory()
        try dir.write("plan.json", planText(to: "1999-01-01T00:00:00Z", everyHours: "9223372036854775807"))
        let r = try CLI.run(["trajectories", "--plan", dir.path("plan.json"), "--out", dir.path("x.csv")])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.hasPrefix("1 trajectories, 1 completed"), "\(r.stdout)")
    }

    @Test("a plan to 9999-12-31T23:59:59Z is refused at once by counting, naming count, limit and maxStarts (was: a hang making ~70 million starts)")
    func planFarFuture() throws {
        let dir = try TemporaryDirectory()
        try dir.write("plan.json", planText(to: "9999-12-31T23:59:59Z", everyHours: "1"))
        let clock = ContinuousClock.now
        let r = try CLI.run(["trajectories", "--plan", dir.path("plan.json"), "--out", dir.path("x.csv")])
        #expect(ContinuousClock.now - clock < .seconds(20))
        expectOneLine(r, 2, containing: ["starts", "10000000", "maxStarts"])
        // maxStarts in the plan lowers (or raises) the limit; --ensemble counts 27 members per start.
        try dir.write("small.json", planText(to: "1987-01-05T03:00:00Z", everyHours: "1", extra: ", \"maxStarts\": 4"))
        #expect(try CLI.run(["trajectories", "--plan", dir.path("small.json"), "--out", dir.path("y.csv")]).status == 0)
        expectOneLine(try CLI.run(["trajectories", "--plan", dir.path("small.json"), "--ensemble", "--out", dir.path("y.csv")]), 2,
                      containing: ["4 starts × 27 ensemble members = 108 trajectories", "limit of 4"])
    }
}

@Suite("Corrupt netCDF-4 met on the CLI")
struct CorruptNetCDF4CLITests {
    @Test("corrupt netCDF-4 headers: stderr is exactly the one-line error (was: then 'HDF5: infinite loop closing library' and an identifier dump)")
    func oneLineOnly() throws {
        let dir = try TemporaryDirectory()
        let good = try dir.ncgen("era5_cds", kind: "nc4")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: good))
        var refused = 0
        for offset in stride(from: 0, to: min(4096, bytes.count - 4), by: 193) {
            var data = bytes
            for k in offset ..< offset + 4 { data[k] ^= 0xFF }
            let bad = dir.path("bad\(offset).nc")
            try data.write(to: URL(fileURLWithPath: bad))
            let r = try CLI.run(["inspect", bad])
            guard r.status != 0 else { continue }
            refused += 1
            #expect(r.status == 1, "offset \(offset): \(r.status)")
            #expect(r.stderr.hasPrefix("upwind: error: ") && r.stderr.split(separator: "\n", omittingEmptySubsequences: false).count == 2,
                    "offset \(offset): \(r.stderr)")
            #expect(!r.stderr.contains("HDF5:") && !r.stderr.contains("HDF5-DIAG") && !r.stderr.contains("infinite loop"), "offset \(offset): \(r.stderr)")
        }
        #expect(refused > 3)
    }
}

@Suite("Usage corner cases (issue 13 item 6)")
struct UsageCornerCLITests {
    let grads = Fixtures.root.appendingPathComponent("met/grads_model_1987.nc").path
    var base: [String] { ["trajectories", "--met", grads, "--start", "40,116,1500", "--time", "1987-01-05T00:00:00Z", "--hours", "-3"] }

    @Test("negative --top, --tratio and --step parse as values and are refused with the real reason (was: 'Missing value')", arguments: [
        (["--top", "-5"], "--top -5.0: must be positive"),
        (["--tratio", "-0.5"], "--tratio -0.5: must be in (0, 1]"),
        (["--step", "-10m"], "--step -10m: a fixed step must be a positive whole number of minutes"),
        (["--top", "-1e308"], "--top -1e+308: must be positive"),
    ])
    func negativeValues(_ c: (flags: [String], message: String)) throws {
        let r = try CLI.run(base + c.flags)
        #expect(r.status == 2 && r.stdout.isEmpty, "\(r.status)")
        #expect(r.stderr.split(separator: "\n").count == 1 && r.stderr.contains(c.message) && !r.stderr.contains("Missing value"), "\(r.stderr)")
    }

    @Test("upwind with no arguments prints the help on stderr and exits 2")
    func noArguments() throws {
        let r = try CLI.run([])
        #expect(r.status == 2)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr.contains("USAGE: upwind") && r.stderr.contains("SUBCOMMANDS") && r.stderr.contains("trajectories"), "\(r.stderr)")
    }

    @Test("a character device or FIFO given as met is named as such (was: 'empty (0 bytes)'; a FIFO blocked)")
    func specialMet() throws {
        for device in ["/dev/null", "/dev/zero"] {
            let inspect = try CLI.run(["inspect", device])
            #expect(inspect.status == 1 && inspect.stderr.contains("\(device): it is a character device, not a met file"), "\(inspect.stderr)")
            let run = try CLI.run(["trajectories", "--met", device, "--start", "40,116,1500", "--time", "1987-01-05T00:00:00Z", "--hours", "-3"])
            #expect(run.status == 1 && run.stderr.split(separator: "\n").count == 1 && run.stderr.contains("character device"), "\(run.stderr)")
        }
        let dir = try TemporaryDirectory()
        let fifo = dir.path("met.nc")
        #expect(mkfifo(fifo, 0o600) == 0)
        let r = try CLI.run(["inspect", fifo])
        #expect(r.status == 1 && r.stderr.contains("it is a FIFO (named pipe), not a met file"), "\(r.stderr)")
    }
}
