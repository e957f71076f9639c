import Foundation
import Testing
import Upwind
import UpwindTestSupport

/// `upwind pscf | cwt | residence` on generated data: trajectories computed from the GDAS
/// fixture at three Caribbean sites every 3 h, observations made up per site and hour.
@Suite("upwind pscf, cwt, residence")
struct ReceptorCLITests {
    static let sites = [("S1", 16.7, -62.2), ("S2", 15.0, -60.0), ("S3", 18.0, -64.0)]

    /// Writes trajectories.csv, back.tdump (site S1 only) and obs.csv into `dir`; returns the observation values used.
    static func inputs(_ dir: TemporaryDirectory) async throws -> [Double] {
        var starts: [TrajectoryStart] = []
        var rows = ["site,latitude,longitude,time,value"]
        var values: [Double] = []
        for h in stride(from: 0, through: 24, by: 3) {
            let t = UTCTime(year: 2010, month: 2, day: 12) + Int64(h * 3600)
            for (k, s) in sites.enumerated() {
                starts.append(TrajectoryStart(site: s.0, latitude: s.1, longitude: s.2, height: 500, time: t))
                // Local time +08:00 in the file (written without a zone: --timezone +08:00).
                let local = (t + 8 * 3600).iso8601.replacingOccurrences(of: "Z", with: "")
                let value = Double(20 + 7 * ((h / 3 + 2 * k) % 9))
                values.append(value)
                rows.append("\(s.0),\(s.1),\(s.2),\(local),\(value)")
            }
        }
        try dir.write("obs.csv", rows.joined(separator: "\n") + "\n")
        let met = try MetSource.open([Fixtures.met("gdas_042.bin")])
        let result = try await TrajectoryRunner(met: met, starts: starts, options: TrajectoryOptions(hours: -12)).run()
        try result.write(to: dir.path("trajectories.csv"))
        try TrajectoryResult(trajectories: result.trajectories.filter { $0.start.site == "S1" }, summary: result.summary, met: met)
            .write(to: dir.path("back.tdump"))
        return values
    }

    @Test("pscf writes the contract's grid.csv columns, PSCF = m/n, the resolved p75 in run.json")
    func pscf() async throws {
        let dir = try TemporaryDirectory()
        let values = try await Self.inputs(dir)
        let r = try CLI.run(["pscf", "--trajectories", dir.path("trajectories.csv"), "--observations", dir.path("obs.csv"),
                             "--timezone", "+08:00", "--resolution", "1", "--out", dir.path("out")])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("27 trajectories, 27 matched"), "\(r.stdout)")
        let lines = try dir.read("out/grid.csv").split(separator: "\n").map(String.init)
        #expect(lines[0] == "latitude,longitude,n_endpoints,n_polluted,n_trajectories,residence,pscf,w_pscf,wpscf,cwt,w_cwt,wcwt,seibert")
        #expect(lines.count > 10)
        var endpoints = 0
        for line in lines.dropFirst() {
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            #expect(f.count == 13)
            let n = try #require(Int(f[2])), m = try #require(Int(f[3])), pscf = try #require(Double(f[6]))
            #expect(m <= n && abs(pscf - Double(m) / Double(n)) < 1e-6, "\(line)")
            // Cells are centred on multiples of 1°.
            #expect(abs((Double(f[0]) ?? .nan).remainder(dividingBy: 1)) < 1e-9 && abs((Double(f[1]) ?? .nan).remainder(dividingBy: 1)) < 1e-9)
            endpoints += n
        }
        // 27 trajectories × 12 endpoints after age 0 (all complete inside the GDAS box).
        #expect(endpoints == 27 * 12)
        // p75 by R's type 7 over the 27 observation values.
        let sorted = values.sorted()
        let h = 0.75 * Double(sorted.count - 1)
        let p75 = sorted[Int(h)] + (h - h.rounded(.down)) * (sorted[min(Int(h) + 1, sorted.count - 1)] - sorted[Int(h)])
        let run = try #require(try JSONSerialization.jsonObject(with: Data(try dir.read("out/run.json").utf8)) as? [String: Any])
        let settings = try #require(run["settings"] as? [String: Any])
        #expect(run["command"] as? String == "pscf" && settings["criterion"] as? String == "p75")
        #expect(abs((settings["criterion_value"] as? Double ?? .nan) - p75) < 1e-9)
        #expect((run["inputs"] as? [[String: String]])?.count == 2)
        #expect(run["outputs"] as? [String] == ["grid.csv", "grid.geojson", "grid.nc", "run.json"])
        let geo = try #require(try JSONSerialization.jsonObject(with: Data(try dir.read("out/grid.geojson").utf8)) as? [String: Any])
        #expect((geo["features"] as? [Any])?.count == lines.count - 1)
    }

    @Test("cwt on a tdump with --site and the openair preset; residence with bounds")
    func cwtAndResidence() async throws {
        let dir = try TemporaryDirectory()
        _ = try await Self.inputs(dir)
        let c = try CLI.run(["cwt", "--trajectories", dir.path("back.tdump"), "--site", "S1", "--observations", dir.path("obs.csv"),
                             "--timezone", "+08:00", "--preset", "openair", "--out", dir.path("cwt")])
        #expect(c.status == 0, "\(c.stderr)")
        #expect(c.stdout.contains("9 trajectories, 9 matched"), "\(c.stdout)")
        let run = try dir.read("cwt/run.json")
        #expect(run.contains("\"binning\": \"halfToEven\"") || run.contains("\"binning\": \"half-to-even\"") || run.contains("halfToEven"), "\(run)")
        let r = try CLI.run(["residence", "--trajectories", dir.path("trajectories.csv"), "--observations", dir.path("obs.csv"),
                             "--timezone", "+08:00", "--bounds", "14,17,-64,-60", "--out", dir.path("rt")])
        #expect(r.status == 0, "\(r.stderr)")
        for line in try dir.read("rt/grid.csv").split(separator: "\n").dropFirst() {
            let f = line.split(separator: ",", omittingEmptySubsequences: false)
            let lat = Double(f[0]) ?? .nan, lon = Double(f[1]) ?? .nan
            #expect(lat >= 14 && lat <= 17 && lon >= -64 && lon <= -60, "\(line)")
        }
    }

    @Test("bad input: zoneless times without --timezone, no trajectories, a bad criterion")
    func badInput() async throws {
        let dir = try TemporaryDirectory()
        _ = try await Self.inputs(dir)
        let zone = try CLI.run(["pscf", "--trajectories", dir.path("trajectories.csv"), "--observations", dir.path("obs.csv"), "--out", dir.path("x")])
        #expect(zone.status == 1 && zone.stderr.contains("line 2") && zone.stdout.isEmpty, "\(zone.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.path("x/grid.csv")))
        let usage = try CLI.run(["pscf", "--observations", dir.path("obs.csv"), "--out", dir.path("x")])
        #expect(usage.status == 2 && usage.stderr.contains("--trajectories"))
        let criterion = try CLI.run(["pscf", "--trajectories", dir.path("trajectories.csv"), "--observations", dir.path("obs.csv"),
                                     "--criterion", "p7x", "--out", dir.path("x")])
        #expect(criterion.status == 2 && criterion.stderr.contains("p7x"), "\(criterion.stderr)")
    }
}

@Suite("upwind hotspots")
struct HotspotsCLITests {
    @Test("events from hourly observations, trajectories at every observation hour, the grid and run.json")
    func pipeline() async throws {
        let dir = try TemporaryDirectory()
        // Hourly PM2.5 at two sites, 2010-02-12 18Z to 02-13 00Z (UTC, with Z): S1 polluted 21–23Z.
        var rows = ["site,latitude,longitude,time,value"]
        let t0 = UTCTime(year: 2010, month: 2, day: 12, hour: 18)
        for h in 0...6 {
            let t = (t0 + Int64(h * 3600)).iso8601
            rows.append("S1,16.7,-62.2,\(t),\([40, 50, 70, 90, 110, 80, 45][h])")
            rows.append("S2,15.0,-60.0,\(t),\([30, 35, 40, 45, 50, 55, 60][h])")
        }
        try dir.write("obs.csv", rows.joined(separator: "\n") + "\n")
        let r = try CLI.run(["hotspots", "--met", Fixtures.met("gdas_042.bin"), "--observations", dir.path("obs.csv"), "--hotspot-threshold", "75",
                             "--heights", "500,1500", "--hours", "-12", "--resolution", "1", "--out", dir.path("hot")])
        #expect(r.status == 0, "\(r.stderr)")
        // One event at S1: 21Z–23Z (90, 110, 80), 3 hours, peak 110, mean 93.33.
        #expect(try dir.read("hot/events.csv") == """
        site,event,start_time,end_time,hours,peak_value,mean_value,criterion
        S1,1,2010-02-12T21:00:00Z,2010-02-12T23:00:00Z,3,110.00,93.33,value>75

        """)
        // 2 sites × 7 hours × 2 heights, every one matched.
        #expect(r.stdout.contains("28 trajectories") && r.stdout.contains("28 matched"), "\(r.stdout)")
        let csv = try dir.read("hot/trajectories.csv").split(separator: "\n")
        #expect(csv.count == 1 + 28 * 13)
        #expect(try dir.read("hot/grid.csv").hasPrefix("latitude,longitude,n_endpoints,n_polluted,n_trajectories,residence,pscf,"))
        let run = try #require(try JSONSerialization.jsonObject(with: Data(try dir.read("hot/run.json").utf8)) as? [String: Any])
        #expect(run["command"] as? String == "hotspots")
        #expect(run["outputs"] as? [String] == ["events.csv", "trajectories.csv", "grid.csv", "grid.geojson", "grid.nc", "clusters.csv",
                                                "cluster_means.csv", "cluster_summary.csv", "tsv.csv", "run.json"])
        // Clusters (auto by default): every trajectory in exactly one cluster, the sizes adding up to 28.
        let settings = try #require(run["settings"] as? [String: Any])
        #expect(settings["clusters"] as? String == "auto")
        // The met's coverage as `upwind inspect` describes gdas_042.bin: 13 times 3 h apart, 23×15 nodes at 1°, 23 levels.
        #expect(settings["met_coverage"] as? String
                == "2010-02-11T12:00:00Z to 2010-02-13T00:00:00Z, 13 times every 3 h; 23×15 grid over 8…22°N, 292…314°E; 23 levels")
        // Terminations: the counts of trajectories.csv's last column, one per trajectory.
        var byReason: [String: Double] = [:]
        var seen = Set<Substring>()
        for line in csv.dropFirst() {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            if seen.insert(fields[0]).inserted, let reason = fields.last { byReason[String(reason), default: 0] += 1 }
        }
        #expect(settings["terminations"] as? [String: Double] == byReason)
        #expect(byReason.values.reduce(0, +) == 28)
        let clusters = try dir.read("hot/clusters.csv").split(separator: "\n").dropFirst()
        #expect(clusters.count == 28)
        let sizes = (settings["cluster_sizes"] as? [Double]) ?? []
        #expect(sizes.reduce(0, +) == 28 && sizes.count == settings["clusters_made"] as? Int)
        // --clusters none writes no cluster files; a fixed number above the trajectories is refused before the sweep.
        let plain = try CLI.run(["hotspots", "--met", Fixtures.met("gdas_042.bin"), "--observations", dir.path("obs.csv"), "--hotspot-threshold", "75",
                                 "--heights", "500", "--hours", "-6", "--clusters", "none", "--out", dir.path("plain")])
        #expect(plain.status == 0 && !FileManager.default.fileExists(atPath: dir.path("plain/clusters.csv")), "\(plain.stderr)")
        let many = try CLI.run(["hotspots", "--met", Fixtures.met("gdas_042.bin"), "--observations", dir.path("obs.csv"), "--hotspot-threshold", "75",
                                "--heights", "500", "--hours", "-6", "--clusters", "100", "--out", dir.path("many")])
        #expect(many.status == 1 && many.stderr.contains("100"), "\(many.stderr)")
        let none = try CLI.run(["hotspots", "--met", Fixtures.met("gdas_042.bin"), "--observations", dir.path("obs.csv"), "--out", dir.path("x")])
        #expect(none.status == 2 && none.stderr.contains("--hotspot-threshold"), "\(none.stderr)")
    }
}
