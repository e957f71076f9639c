import Foundation
import Testing
import UpwindTestSupport
import UpwindCore
@testable import UpwindFormats

@Suite("HYSPLIT CONTROL and SETUP.CFG parsing")
struct HysplitControlTests {
    @Test("the real tutorial CONTROL: every value exact, paths resolved from the working directory")
    func tutorialControl() throws {
        let c = try HysplitControl.read(path: Fixtures.hysplit("tutorial_CONTROL"))
        #expect(c.startTime == .absolute(UTCTime(year: 1995, month: 10, day: 16, hour: 0)))
        #expect(c.starts == [
            HysplitControl.Start(latitude: 40, longitude: -90, height: 10, line: 3),
            HysplitControl.Start(latitude: 40, longitude: -90, height: 500, line: 4),
            HysplitControl.Start(latitude: 40, longitude: -90, height: 1000, line: 5),
        ])
        #expect(c.hours == 12 && !c.isBackward)
        #expect(c.verticalCode == 0 && c.verticalMode == .data)
        #expect(c.topAGL == 10_000)
        #expect(c.metFiles == [HysplitControl.MetFile(directory: "../met/", file: "oct1618.BIN", directoryLine: 10, fileLine: 11)])
        #expect(c.outputDirectory == "./" && c.outputFile == "tdump" && c.outputLine == 13)
        #expect(c.metPaths(workingDirectory: "/run/work") == ["/run/work/../met/oct1618.BIN"])
        #expect(c.outputPath(workingDirectory: "/run/work/") == "/run/work/./tdump")

        let starts = c.trajectoryStarts(time: UTCTime(year: 1995, month: 10, day: 16), heightIsMSL: false)
        #expect(starts.map(\.site) == ["S1", "S2", "S3"] && starts.map(\.height) == [10, 500, 1000])
        let plan = c.runPlan(firstMetTime: UTCTime(year: 1995, month: 10, day: 16), lastMetTime: UTCTime(year: 1995, month: 10, day: 18, hour: 22),
                             workingDirectory: "/w", setup: try HysplitSetup.read(path: Fixtures.hysplit("tutorial_SETUP.CFG")))
        #expect(plan.met.files == ["/w/../met/oct1618.BIN"])
        #expect(plan.hours == 12 && plan.vertical == .data && plan.topAGL == 10_000 && plan.msl == false)
        #expect(plan.options.tratio == 0.75 && plan.options.fixedStepMinutes == nil && plan.options.outputIntervalMinutes == 60)
        #expect(try plan.expandedStarts() == starts)
    }

    @Test("the real tutorial SETUP.CFG: tm_pres and tm_terr on, everything else HYSPLIT's defaults")
    func tutorialSetup() throws {
        let s = try HysplitSetup.read(path: Fixtures.hysplit("tutorial_SETUP.CFG"))
        #expect(s.values == ["tm_pres": ["1"], "tm_terr": ["1"]])
        #expect(s.lines == ["tm_pres": 2, "tm_terr": 3])
        #expect(s.diagnosticSwitches == ["tm_pres", "tm_terr"])
        #expect(s.diagnosticLabels == ["PRESSURE", "TERR_MSL"])
        #expect(s.tratio == 0.75 && s.delt == 0 && s.kmsl == 0 && s.tout == 60)
        #expect(s.fixedStepMinutes == nil && s.minimumStepMinutes == nil && !s.heightsAreMSL)
        #expect(HysplitSetup().diagnosticLabels == ["PRESSURE"])
    }

    @Test("SETUP.CFG: several entries a line, comments, quotes, D exponents, &END, case; labels in HYSPLIT's order")
    func setupSyntax() throws {
        let text = """
        $setup
         TRATIO=0.25, DELT = 10.0 ! fixed 10-minute steps
         kmsl = 1, tout = 30, mgmin = 10, poutf = 'PAR/DUMP',
         tm_terr=1, tm_tpot = 1,tm_relh=1 tm_rain = 1
         tm_tamb = 0, khmax = 1.0D3
        &END
        """
        let s = try HysplitSetup.parse(text, path: "SETUP.CFG")
        #expect(s.tratio == 0.25 && s.delt == 10 && s.fixedStepMinutes == 10)
        #expect(s.kmsl == 1 && s.heightsAreMSL && s.tout == 30)
        #expect(s.values["poutf"] == ["PAR/DUMP"] && s.values["khmax"] == ["1.0D3"] && s.values["mgmin"] == ["10"])
        #expect(s.diagnosticLabels == ["PRESSURE", "THETA", "RAINFALL", "RELHUMID", "TERR_MSL"])
        let negative = try HysplitSetup.parse("&SETUP delt = -5.0 /", path: "S")
        #expect(negative.fixedStepMinutes == nil && negative.minimumStepMinutes == 5)
    }

    @Test("SETUP.CFG errors name the file and line", arguments: [
        (" &SETUP\n tratio = 0.x,\n /\n", 2, "tratio"),
        (" &SETUP\n tm_pres = 1,\n delt = 7.0\n /\n", 3, "divid"),
        (" &SETUP\n kmsl = 2\n /\n", 2, "kmsl"),
        (" &SETUP\n tm_pres = 1,\n", 2, "does not end"),
        ("tratio = 0.5\n", 1, "&SETUP"),
        (" &SETUP\n tratio = 1.5 /\n", 2, "(0, 1]"),
        (" &SETUP\n poutf = 'x\n /\n", 2, "never closed"),
    ])
    func setupErrors(text: String, line: Int, words: String) throws {
        do {
            _ = try HysplitSetup.parse(text, path: "/w/SETUP.CFG")
            Issue.record("no error for \(text)")
        } catch let e as HysplitControlError {
            #expect(e.description.contains("'/w/SETUP.CFG' line \(line)"), "\(e)")
            #expect(e.description.contains(words), "\(e)")
            #expect(!e.description.contains("\n"))
        }
    }

    @Test("start time: 2-digit years pivot at 40, 4-digit years, minutes, 00 00 00 00 and met-relative offsets")
    func startTimes() throws {
        func control(_ first: String, hours: Int = 12) -> String {
            "\(first)\n1\n40 -90 500\n\(hours)\n0\n10000\n1\n./\nmet.bin\n./\ntdump\n"
        }
        #expect(try HysplitControl.parse(control("39 12 31 23")).startTime == .absolute(UTCTime(year: 2039, month: 12, day: 31, hour: 23)))
        #expect(try HysplitControl.parse(control("40 01 01 00")).startTime == .absolute(UTCTime(year: 1940, month: 1, day: 1)))
        #expect(try HysplitControl.parse(control("10 2 13 0 30")).startTime == .absolute(UTCTime(year: 2010, month: 2, day: 13, minute: 30)))
        #expect(try HysplitControl.parse(control("2024,1,15,6")).startTime == .absolute(UTCTime(year: 2024, month: 1, day: 15, hour: 6)))
        let first = UTCTime(year: 1995, month: 10, day: 16), last = UTCTime(year: 1995, month: 10, day: 18, hour: 22)
        let zero = try HysplitControl.parse(control("00 00 00 00"))
        #expect(zero.startTime == .relativeToMet(seconds: 0))
        #expect(zero.resolvedStartTime(firstMetTime: first, lastMetTime: last) == first)
        let back = try HysplitControl.parse(control("00 00 00 00", hours: -12))
        #expect(back.resolvedStartTime(firstMetTime: first, lastMetTime: last) == last)
        let offset = try HysplitControl.parse(control("00 00 01 12"))
        #expect(offset.resolvedStartTime(firstMetTime: first, lastMetTime: last) == first + 36 * 3600)
    }

    @Test("more than 12 met files, CRLF line ends, extra values on start lines, trailing concentration lines ignored")
    func manyFiles() throws {
        var lines = ["10 02 13 00", "2", "16.7 -62.2 500.0 1.0 0.0", "16.7,-62.2,1500.", "-36", "1", "1.0E4", "14"]
        for n in 1...14 { lines += ["/data/gdas/", "gdas1.w\(n)"] }
        lines += ["out", "tdump_x", "1", "TEST"]
        let c = try HysplitControl.parse(lines.joined(separator: "\r\n") + "\r\n", path: "CONTROL")
        #expect(c.metFiles.count == 14)
        #expect(c.metFiles[13] == HysplitControl.MetFile(directory: "/data/gdas/", file: "gdas1.w14", directoryLine: 35, fileLine: 36))
        #expect(c.metPaths(workingDirectory: "/x")[0] == "/data/gdas/gdas1.w1")
        #expect(c.outputPath(workingDirectory: "/x") == "/x/out/tdump_x")
        #expect(c.starts.map(\.height) == [500, 1500] && c.topAGL == 10_000 && c.verticalMode == .isobaric && c.hours == -36)
        let isosigma = try HysplitControl.parse("95 10 16 00\n1\n40 -90 500\n12\n4\n10000\n1\n./\nm\n./\nt\n")
        #expect(isosigma.verticalMode == .height && isosigma.verticalCode == 4)
    }

    @Test("CONTROL errors name the file and line and say what to do", arguments: [
        ("95 10 16 00\n3\n40 -90 10\n40 -90 500\n", 5, "start location 3 of 3"),
        ("95 10 16 00\n1\n40 -90 10\n12\n0\n10000\n2\n../met/\noct1618.BIN\n", 10, "directory of met file 2 of 2"),
        ("95 10 16 00\n1\n40 -90 10\n12\n0\n10000\n1\n../met/\noct1618.BIN\n./\n", 11, "output file name"),
        ("95 10 16 00\n1\n40 -9O 10\n12\n0\n10000\n1\n./\nm\n./\nt\n", 3, "'-9O' is not a valid start longitude"),
        ("95 10 16 00\n1\n40 -90 10\n12.5\n0\n10000\n1\n./\nm\n./\nt\n", 4, "'12.5' is not a valid run length"),
        ("95 10 16 00\n1\n40 -90 10\n12\n3\n10000\n1\n./\nm\n./\nt\n", 5, "vertical motion code 3 is not supported"),
        ("95 10 16 00\n1\n40 -90 10\n12\n8\n10000\n1\n./\nm\n./\nt\n", 5, "use 0 (model vertical velocity), 1 (isobaric), 2 (isentropic) or 4"),
        ("95 13 16 00\n1\n40 -90 10\n12\n0\n10000\n1\n./\nm\n./\nt\n", 1, "not a valid date"),
        ("95 10 16\n1\n40 -90 10\n12\n0\n10000\n1\n./\nm\n./\nt\n", 1, "start time"),
        ("95 10 16 00\n0\n", 2, "at least 1"),
        ("95 10 16 00\n1\n95 -90 10\n12\n0\n10000\n1\n./\nm\n./\nt\n", 3, "−90…90"),
        ("95 10 16 00\n1\n40 -90 10\n0\n0\n10000\n1\n./\nm\n./\nt\n", 4, "0 hours"),
        ("95 10 16 00\n1\n40 -90 10\n12\n0\n\n1\n./\nm\n./\nt\n", 6, "is empty but should give the model top"),
    ])
    func controlErrors(text: String, line: Int, words: String) throws {
        do {
            _ = try HysplitControl.parse(text, path: "/w/CONTROL")
            Issue.record("no error for \(text)")
        } catch let e as HysplitControlError {
            #expect(e.description.hasPrefix("'/w/CONTROL' "), "\(e)")
            #expect(e.description.contains("line \(line):") || e.description.contains("line \(line) ") || e.description.contains("before line \(line),"), "\(e)")
            #expect(e.description.contains(words), "\(e)")
            #expect(!e.description.contains("\n"))
        }
    }

    @Test("missing files: CONTROL, and a met file named by the CONTROL (error names the line)")
    func missingFiles() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        #expect(throws: HysplitControlError.fileNotFound(path: folder.path("CONTROL"))) { try HysplitControl.read(path: folder.path("CONTROL")) }
        try folder.write("CONTROL", "95 10 16 00\n1\n40 -90 10\n12\n0\n10000\n2\n./\nhere.bin\nmet/\nmissing.bin\n./\ntdump\n")
        try folder.write("here.bin", "x")
        let c = try HysplitControl.read(path: folder.path("CONTROL"))
        #expect(throws: HysplitControlError.metFileNotFound(path: folder.path("CONTROL"), line: 11, metPath: folder.url.path + "/met/missing.bin",
                                                            workingDirectory: folder.url.path)) {
            try c.checkMetFiles(workingDirectory: folder.url.path)
        }
        try folder.write("binary", "95\u{0}")
        #expect(throws: HysplitControlError.self) { try HysplitControl.read(path: folder.path("binary")) }
    }
}
