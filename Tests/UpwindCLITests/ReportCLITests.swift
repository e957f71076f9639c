import Foundation
import Testing
import Upwind
import UpwindTestSupport

/// `upwind report DIR [--out FILE]` on hand-made hotspots outputs (``ReportOutputsFixture``) and
/// on what `upwind attribute` really writes, plus the bad-input cases.
@Suite("upwind report")
struct ReportCLITests {
    static let maps = ["map_overview", "map_counties", "map_trajectories", "map_grid", "map_cwt"]

    @Test("DIR: report.html and the SVG maps in DIR, their paths printed, the page naming the top county")
    func defaultOut() throws {
        let dir = try TemporaryDirectory()
        try ReportOutputsFixture.write(into: dir.path)
        let r = try CLI.run(["report", dir.path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.hasPrefix("report: \(dir.path("report.html"))\n"), "\(r.stdout)")
        #expect(r.stdout.contains(dir.path("map_overview.svg")) && r.stderr.isEmpty, "\(r.stderr)")
        for name in Self.maps { #expect(FileManager.default.fileExists(atPath: dir.path(name + ".svg")), "\(name)") }
        let page = try dir.read("report.html")
        #expect(page.hasPrefix("<!DOCTYPE html>") && page.contains(ReportOutputsFixture.topCounty))
        #expect(try dir.contents().filter { $0.hasSuffix(".partial") }.isEmpty)
    }

    @Test("--out elsewhere: the page there and the maps beside it, DIR untouched")
    func customOut() throws {
        let dir = try TemporaryDirectory()
        try ReportOutputsFixture.write(into: dir.path)
        try FileManager.default.createDirectory(atPath: dir.path("briefing"), withIntermediateDirectories: true)
        let before = try dir.contents()
        let r = try CLI.run(["report", dir.path, "--out", dir.path("briefing/henan.html")])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try dir.contents() == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path("briefing")).sorted() == (["henan.html"] + Self.maps.map { $0 + ".svg" }).sorted())
    }

    @Test("the report of a real upwind attribute output: regions, fires and home shares read from the writers' own files")
    func fromAttribute() throws {
        let dir = try TemporaryDirectory()
        try AttributeCLITests.inputs(dir)
        let a = try CLI.run(["attribute", "--trajectories", dir.path("back.csv"), "--observations", dir.path("obs.csv"), "--criterion", "50",
                             "--resolution", "1", "--regions", dir.path("regions.geojson"), "--fires", dir.path("firms.csv"),
                             "--home-regions", dir.path("home.geojson"), "--home-region", "H", "--bootstrap", "20", "--out", dir.path("out")])
        #expect(a.status == 0, "\(a.stderr)")
        let r = try CLI.run(["report", dir.path("out")])
        #expect(r.status == 0, "\(r.stderr)")
        // attribute writes no trajectories.csv nor cluster files: the report says so on stderr and in the page.
        #expect(r.stderr.contains("note: trajectories.csv absent"), "\(r.stderr)")
        let page = try dir.read("out/report.html")
        #expect(page.contains("丙县") && page.contains("Not in this report"))
        let inputs = try ReportInputs.load(folder: dir.path("out"))
        #expect(inputs.regions.map(\.id) == ["C", "A", "B"] && inputs.regionShapes.count == 3)
        #expect(inputs.fires.count == 1 && inputs.homeShares.count == 2 && inputs.provinces.count == 2 && inputs.stations.map(\.site) == ["S"])
        #expect(inputs.regions[0].pollutedShare == 0.5 && inputs.grid.count > 0)
    }

    @Test("hotspots --report on real met: report.html from the pipeline's own files, one station circle per site, path printed")
    func hotspotsReport() throws {
        let dir = try TemporaryDirectory()
        var rows = ["site,latitude,longitude,time,value"]
        let t0 = UTCTime(year: 2010, month: 2, day: 12, hour: 18)
        for h in 0...6 {
            let t = (t0 + Int64(h * 3600)).iso8601
            rows.append("S1,16.7,-62.2,\(t),\([40, 50, 70, 90, 110, 80, 45][h])")
            rows.append("\"S&2<\"\"b\"\">\",15.0,-60.0,\(t),\([30, 35, 40, 45, 50, 55, 60][h])")
        }
        try dir.write("obs.csv", rows.joined(separator: "\n") + "\n")
        let r = try CLI.run(["hotspots", "--met", Fixtures.met("gdas_042.bin"), "--observations", dir.path("obs.csv"), "--hotspot-threshold", "75",
                             "--heights", "500", "--hours", "-6", "--resolution", "1", "--clusters", "none", "--report", "--out", dir.path("hot")])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("report: \(dir.path("hot/report.html"))"), "\(r.stdout)")
        let doc = ParsedXML(try dir.read("hot/report.html"))
        #expect(doc.error == nil, "\(doc.error ?? "")")
        #expect(doc.all("circle", within: "map_overview", cssClass: "station").count == 2)
        #expect(doc.all("polyline", within: "map_trajectories", cssClass: "trajectory").count == 14)
        #expect(doc.rows(ofTable: "table-events").count == 1)
        #expect(doc.all("text", within: "map_overview", cssClass: "station-label").map(\.text).contains("S&2<\"b\">"))
        #expect(FileManager.default.fileExists(atPath: dir.path("hot/map_trajectories.svg")))
    }

    @Test("bad input: DIR missing, or holding neither regions.csv nor events.csv: one line on stderr, exit 1, nothing written")
    func badInput() throws {
        let dir = try TemporaryDirectory()
        let missing = try CLI.run(["report", dir.path("nope")])
        #expect(missing.status == 1 && missing.stdout.isEmpty, "\(missing.stderr)")
        #expect(missing.stderr.hasPrefix("upwind: error: \(dir.path("nope")): no such folder") && missing.stderr.split(separator: "\n").count == 1)
        try dir.write("grid.csv", "latitude,longitude\n")
        let empty = try CLI.run(["report", dir.path])
        #expect(empty.status == 1 && empty.stdout.isEmpty && empty.stderr.contains("neither regions.csv nor events.csv"), "\(empty.stderr)")
        #expect(try dir.contents() == ["grid.csv"])
        let usage = try CLI.run(["report"])
        #expect(usage.status == 2 && usage.stderr.contains("dir"), "\(usage.stderr)")
        // An --out whose folder does not exist: exit 1, nothing half-written in DIR.
        try ReportOutputsFixture.write(into: dir.path)
        let before = try dir.contents()
        let noFolder = try CLI.run(["report", dir.path, "--out", dir.path("missing/report.html")])
        #expect(noFolder.status == 1 && noFolder.stderr.contains("missing/report.html"), "\(noFolder.stderr)")
        #expect(try dir.contents() == before)
    }
}
