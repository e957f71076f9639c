import Foundation
import Testing
import UpwindAttribution
import UpwindCore
import UpwindFormats
import UpwindReport
import UpwindTestSupport

/// The report rendered from ``ReportOutputsFixture`` (a hand-made set of hotspots outputs): the
/// page and every SVG are well-formed XML, the elements drawn and the table rows match the
/// files' rows, and hostile text is escaped.
@Suite("HTML report")
struct HTMLReportTests {
    typealias F = ReportOutputsFixture

    static func fixture(omitting: Set<String> = []) throws -> TemporaryDirectory {
        let dir = try TemporaryDirectory(prefix: "upwind-report")
        try F.write(into: dir.path, omitting: omitting)
        return dir
    }

    @Test("load reads every file: rows, stations from the observations in run.json, provinces, clusters; no notes")
    func load() throws {
        let dir = try Self.fixture()
        let inputs = try ReportInputs.load(folder: dir.path)
        #expect(inputs.notes.isEmpty, "\(inputs.notes)")
        #expect(inputs.events.count == F.events && inputs.regions.count == F.regions && inputs.regionShapes.count == F.regions)
        #expect(inputs.fires.count == F.fires && inputs.fires.filter(\.reachedHotspots).count == F.firesReachingHotspots)
        #expect(inputs.stations.map(\.site) == F.sites)
        #expect(inputs.provinces.count == F.provinces && inputs.homeRegionID == "410000")
        #expect(inputs.trajectories.count == F.trajectories && inputs.trajectories[1].start.site == F.hostileSite)
        #expect(inputs.clusters == [1: 1, 2: 2, 3: 1] && inputs.clusterSummary.count == 2 && inputs.clusterMeans.count == 50)
        #expect(inputs.grid.count == F.gridCells && inputs.gridResolution == 0.5)
        #expect(inputs.homeShares.count == 2 && inputs.tsv.count == 2 && inputs.fireEvents.count == 3 && inputs.fireTrajectories.count == 1)
        // Values as written: quoted names, empty fields as NaN/nil, a MultiPolygon with a hole.
        #expect(inputs.regions[1].name == "Zhong, \"yuan\" <district>")
        #expect(inputs.regions[2].fireScore.isNaN && inputs.regions[2].fireCount == nil && inputs.regions[2].rankLow == nil)
        #expect(inputs.regions[0].pollutedShare == 0.6 && inputs.regions[0].rankHigh == 1)
        let lushan = try #require(inputs.regionShapes.first { $0.region.id == "410423" })
        #expect(lushan.region.polygons.count == 1 && lushan.region.polygons[0].holes.count == 1 && lushan.number("polluted_share") == 0.6)
        #expect(inputs.run?.command == "hotspots" && inputs.run?.settings.first?.0 == "met")
    }

    @Test("the page is well-formed XML; maps, station and fire circles, county paths, grid cells, trajectories and table rows match the files")
    func page() throws {
        let dir = try Self.fixture()
        let inputs = try ReportInputs.load(folder: dir.path)
        let html = try HTMLReport.render(inputs)
        let doc = ParsedXML(html)
        #expect(doc.error == nil, "\(doc.error ?? "")")
        #expect(doc.svgIDs == ["map_overview", "map_counties", "map_trajectories", "map_grid", "map_cwt"])
        // Overview: one circle per station, one per fire (the matched ones classed), one ring per station with events.
        #expect(doc.all("circle", within: "map_overview", cssClass: "station").count == F.sites.count)
        #expect(doc.all("circle", within: "map_overview", cssClass: "fire").count == F.fires)
        #expect(doc.all("circle", within: "map_overview", cssClass: "matched").count == F.firesReachingHotspots)
        #expect(doc.all("circle", within: "map_overview", cssClass: "event-ring").count == 2)
        #expect(doc.all("path", within: "map_overview", cssClass: "home").count == 1)
        // Counties: one path per feature, coloured; the zero-share county in the neutral colour.
        let counties = doc.all("path", within: "map_counties", cssClass: "county")
        #expect(counties.count == F.regions)
        #expect(Set(counties.compactMap { $0.attributes["fill"] }).count == 3)
        // Trajectories: one line each, a tick every 12 h, two cluster means.
        #expect(doc.all("polyline", within: "map_trajectories", cssClass: "trajectory").count == F.trajectories)
        #expect(doc.all("circle", within: "map_trajectories", cssClass: "age-tick").count == F.trajectories * F.ageTicksPerTrajectory)
        #expect(doc.all("polyline", within: "map_trajectories", cssClass: "cluster-mean").count == 2)
        #expect(doc.all("rect", within: "map_grid", cssClass: "cell").count == F.gridCells)
        #expect(doc.all("rect", within: "map_cwt", cssClass: "cell").count == F.gridCells)
        // Colour bars on the grid and county maps.
        #expect(!doc.all("g", within: "map_grid", cssClass: "colour-bar").isEmpty && !doc.all("g", within: "map_counties", cssClass: "colour-bar").isEmpty)
        // Tables.
        #expect(doc.rows(ofTable: "table-regions").count == F.regions)
        #expect(doc.rows(ofTable: "table-events").count == F.events)
        // The event ensemble's columns: members, spread, members meeting fires, top county (named from regions.csv).
        let firstEvent = doc.all("td", within: "table-events").prefix(13).map { $0.text.trimmingCharacters(in: .whitespaces) }
        #expect(firstEvent.suffix(4) == ["27", "41", "63.0%", "鲁山县 62.5%"], "\(firstEvent)")
        #expect(doc.all("td", within: "table-events").count == 13 * F.events)
        #expect(doc.all("th", within: "table-events").map(\.text).contains("Spread at 24 h (km)"))
        #expect(doc.all("dd", within: "run-facts").map(\.text).contains { $0.contains("the 27-member ensemble for event hours (54 members for 2 starts, not in the grid)") })
        #expect(doc.rows(ofTable: "table-fires").count == F.firesReachingHotspots)
        #expect(doc.rows(ofTable: "table-clusters").count == 2)
        #expect(doc.rows(ofTable: "table-outside-home").count == 2)
        #expect(doc.rows(ofTable: "table-terminations").count == 2)
        // The ranking's first row: rank 1, the Chinese name, the share, the rank range.
        let first = doc.all("td", within: "table-regions").prefix(10).map { $0.text.trimmingCharacters(in: .whitespaces) }
        #expect(first.first == "1" && first.contains { $0.hasPrefix(F.topCounty) } && first.contains("60.0%") && first.last == "1")
        // Headline: the top county, the events count; the CJK font stack is declared.
        let cards = doc.all("div", within: "headline", cssClass: "value").map(\.text)
        #expect(cards == [F.topCounty, F.topCounty, "3", "20.0%"])
        #expect(html.contains("\"Noto Sans CJK SC\", \"Source Han Sans SC\", \"PingFang SC\", \"Microsoft YaHei\""))
        // Self-contained: no script, no external resource.
        #expect(doc.all("script").isEmpty && doc.all("link").isEmpty && doc.all("img").isEmpty)
        let withoutNamespaces = html.replacingOccurrences(of: "http://www.w3.org/1999/xhtml", with: "")
            .replacingOccurrences(of: "http://www.w3.org/2000/svg", with: "")
        #expect(!withoutNamespaces.contains("http") && !html.contains("src=") && !html.contains("@import"))
    }

    @Test("a hostile site id and region name are escaped in the SVG and the HTML, and read back intact")
    func escaping() throws {
        #expect(SVGMap.escape("A&B<\"x\">'") == "A&amp;B&lt;&quot;x&quot;&gt;&#39;")
        #expect(SVGMap.escape("a\u{0}b\u{1F}c\td") == "abc\td")
        let dir = try Self.fixture()
        let report = HTMLReport(try ReportInputs.load(folder: dir.path))
        let overview = try #require(report.maps.first { $0.name == "map_overview" })
        let svg = overview.svg()
        #expect(svg.contains("A&amp;B&lt;&quot;x&quot;&gt;") && !svg.contains(F.hostileSite))
        let doc = ParsedXML(svg)
        #expect(doc.error == nil)
        #expect(doc.all("text", cssClass: "station-label").map(\.text).contains(F.hostileSite))
        #expect(doc.all("title").map(\.text).contains("\(F.hostileSite): 1 hotspot event"))
        let page = ParsedXML(try report.render())
        #expect(page.all("td", within: "table-events").map(\.text).contains(F.hostileSite))
        #expect(page.all("td", within: "table-regions").map(\.text).contains { $0.hasPrefix("Zhong, \"yuan\" <district>") })
    }

    @Test("write(to:) writes the page and one standalone SVG per map; each parses, with an XML declaration and the same station count")
    func writeFiles() throws {
        let dir = try Self.fixture()
        let written = try HTMLReport(try ReportInputs.load(folder: dir.path)).write(to: dir.path("report.html"))
        let names = ["map_overview", "map_counties", "map_trajectories", "map_grid", "map_cwt"]
        #expect(written == [dir.path("report.html")] + names.map { dir.path($0 + ".svg") })
        for name in names {
            let text = try dir.read(name + ".svg")
            #expect(text.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\""))
            let doc = ParsedXML(text)
            #expect(doc.error == nil, "\(name): \(doc.error ?? "")")
            #expect(doc.all("text", cssClass: "map-title").count == 1)
        }
        #expect(ParsedXML(try dir.read("map_overview.svg")).all("circle", cssClass: "station").count == F.sites.count)
        #expect(try dir.contents().filter { $0.hasSuffix(".partial") }.isEmpty)
    }

    @Test("optional files absent: the report still renders and says what is missing; only events.csv is enough")
    func partial() throws {
        let all = Set(ReportInputs.fileNames)
        let dir = try Self.fixture(omitting: all.subtracting(["events.csv"]))
        let inputs = try ReportInputs.load(folder: dir.path)
        #expect(inputs.notes.map(\.file) == ["run.json", "regions.csv", "regions.geojson", "fires.csv", "fire_events.csv", "fire_trajectories.csv",
                                            "outside_home.csv", "grid.csv", "trajectories.csv", "clusters.csv", "cluster_means.csv",
                                            "cluster_summary.csv", "tsv.csv", "observations"])
        let doc = ParsedXML(try HTMLReport.render(inputs))
        #expect(doc.error == nil)
        #expect(doc.all("li", within: "notes").count == inputs.notes.count)
        #expect(doc.svgIDs.isEmpty && doc.rows(ofTable: "table-events").count == F.events && doc.all("table", within: nil).count == 1)
        // A damaged optional file is a note, not a failure.
        let damaged = try Self.fixture()
        try damaged.write("fires.csv", "latitude,longitude\n1,2\n")
        try damaged.write("run.json", "{not json")
        let read = try ReportInputs.load(folder: damaged.path)
        #expect(read.fires.isEmpty && read.run == nil)
        #expect(read.notes.contains { $0.file == "fires.csv" && $0.message.contains("frp_mw") })
        #expect(read.notes.contains { $0.file == "run.json" && $0.message.hasPrefix("cannot be read") })
        #expect(ParsedXML(try HTMLReport.render(read)).error == nil)
    }

    @Test("bad input: a missing folder and a folder without regions.csv and events.csv throw with what to do")
    func badInput() throws {
        let dir = try TemporaryDirectory(prefix: "upwind-report")
        #expect(throws: ReportError.folderMissing(path: dir.path("nope"))) { try ReportInputs.load(folder: dir.path("nope")) }
        try dir.write("grid.csv", "latitude,longitude\n")
        #expect(throws: ReportError.nothingToReport(folder: dir.path)) { try ReportInputs.load(folder: dir.path) }
        #expect(ReportError.nothingToReport(folder: "x").description.contains("run upwind hotspots --out x"))
    }

    @Test("frame: equirectangular with x shrunk by cos(central latitude); fitting pads and bounds the aspect")
    func frame() {
        let f = SVGMap.Frame(west: 110, east: 116, south: 30, north: 38, plotWidth: 600)
        let c = cos(34.0 * .pi / 180)
        #expect(abs(f.plotHeight - 600 * 8 / (6 * c)) < 1e-9)
        #expect(abs(f.x(110) - f.marginLeft) < 1e-9 && abs(f.x(116) - (f.marginLeft + 600)) < 1e-9)
        #expect(abs(f.y(38) - f.marginTop) < 1e-9 && abs(f.y(30) - (f.marginTop + f.plotHeight)) < 1e-9)
        // One degree of longitude is cos(34°) of one degree of latitude on the page.
        #expect(abs((f.x(111) - f.x(110)) / (f.y(33) - f.y(34)) - c) < 1e-12)
        let fit = SVGMap.Frame.fitting(latitudes: [34, 35], longitudes: [112, 120], padding: 0.5, plotWidth: 500)
        #expect(fit.west == 111.5 && fit.east == 120.5)
        #expect(abs(fit.plotHeight / fit.plotWidth - 0.45) < 1e-9)   // heightened to the 0.45 minimum
        #expect(fit.south < 33.5 && fit.north > 35.5)
    }

    @Test("at most 1,500 trajectories are drawn, a fixed random sample unbiased by file order, and the map says how many")
    func thinning() throws {
        var inputs = ReportInputs(folder: "memory")
        let t0 = UTCTime(year: 2025, month: 10, day: 11)
        inputs.trajectories = (1...3_100).map { id in
            let start = TrajectoryStart(site: "S", latitude: 34, longitude: 113, height: [100, 500, 1000][id % 3], time: t0)
            let endpoints = (0...2).map { i in
                TrajectoryEndpoint(time: t0 + Int64(-3600 * i), ageHours: -Double(i), latitude: 34 + 0.001 * Double(id % 50), longitude: 113 - 0.1 * Double(i),
                                   heightAGL: 500, pressureHPa: 950)
            }
            return Trajectory(id: id, start: start, isBackward: true, verticalMode: .data, endpoints: endpoints,
                              termination: Termination(reason: .completed, time: t0 + Int64(-7200)))
        }
        let map = try #require(ReportMaps.trajectories(inputs))
        let doc = ParsedXML(map.svg())
        let lines = doc.all("polyline", cssClass: "trajectory")
        #expect(lines.count == ReportMaps.maximumTrajectoriesDrawn)
        #expect(map.footnote?.hasPrefix("1,500 of 3,100 trajectories drawn (a fixed random sample); coloured by start height") == true)
        // Heights cycle 500, 1000, 100 in file order; every 3rd would draw one height only. Each is
        // ~1/3 of the sample: 500 ± 4.5 standard deviations (√(1500·(1/3)·(2/3)) ≈ 18.3, less for sampling without replacement).
        let counts = Dictionary(grouping: lines, by: { $0.attributes["stroke"] ?? "" }).mapValues(\.count)
        #expect(counts.count == 3 && counts.values.allSatisfy { abs($0 - 500) < 83 }, "\(counts)")
        // The same inputs draw the same sample.
        #expect(ReportMaps.trajectories(inputs)?.svg() == map.svg())
    }

    @Test("trajectories.csv is streamed: a 1,500-trajectory sample in file order, the summary counts all 3,100, and the map says so")
    func streamedTrajectories() throws {
        let dir = try TemporaryDirectory()
        let t0 = UTCTime(year: 2025, month: 10, day: 11)
        let all = (1...3_100).map { id in
            let start = TrajectoryStart(site: id % 2 == 0 ? "East" : "West", latitude: 34, longitude: id % 2 == 0 ? 114 : 112,
                                        height: [100, 500, 1000][id % 3], time: t0 + Int64(3600 * (id % 24)))
            let endpoints = (0...2).map { i in
                TrajectoryEndpoint(time: start.time + Int64(-3600 * i), ageHours: -Double(i), latitude: 34, longitude: start.longitude - 0.1 * Double(i),
                                   heightAGL: 500, pressureHPa: 950)
            }
            return Trajectory(id: id, start: start, isBackward: true, verticalMode: .data, endpoints: endpoints,
                              termination: Termination(reason: id % 10 == 0 ? .leftDomain : .completed, time: start.time + Int64(-7200)))
        }
        let writer = try TrajectoryCSVWriter(path: dir.path("trajectories.csv"))
        for t in all { try writer.write(t) }
        try writer.finish()
        try dir.write("events.csv", "site,event,start_time,end_time,hours,peak_value,mean_value,criterion\n")
        let inputs = try ReportInputs.load(folder: dir.url.path)
        let summary = try #require(inputs.trajectorySummary)
        #expect(summary.count == 3_100)
        #expect(summary.terminations == ["completed": 2_790, "leftDomain": 310])
        #expect(summary.startHeights == [100, 500, 1000])
        #expect(summary.sites.map(\.site) == ["West", "East"])
        #expect(summary.firstTime == t0 + Int64(-7200) && summary.lastTime == t0 + Int64(23 * 3600))
        // The sample: 1,500 distinct trajectories in file order, the same on every load.
        let ids = inputs.trajectories.map(\.id)
        #expect(ids.count == ReportMaps.maximumTrajectoriesDrawn && ids == ids.sorted() && Set(ids).count == ids.count)
        #expect(inputs.trajectories.allSatisfy { $0 == all[$0.id - 1] })
        #expect(try ReportInputs.load(folder: dir.url.path).trajectories.map(\.id) == ids)
        // Uniform over the file: each half holds about half the sample (750 ± 4.5 sd, sd ≈ 13.7 without replacement).
        let firstHalf = ids.filter { $0 <= 1_550 }.count
        #expect(abs(firstHalf - 750) < 62, "\(firstHalf)")
        let map = try #require(ReportMaps.trajectories(inputs))
        #expect(map.footnote?.hasPrefix("1,500 of 3,100 trajectories drawn (a fixed random sample)") == true, "\(map.footnote ?? "")")
        // The stations come from the starts (no observations in run.json).
        #expect(inputs.stations.map(\.site) == ["West", "East"])
    }
}
