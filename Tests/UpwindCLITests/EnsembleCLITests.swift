import Foundation
import Testing
import Upwind
import UpwindTestSupport

/// `upwind hotspots --ensemble none|all|events` (a bare `--ensemble` means all, as the former flag did).
@Suite("upwind hotspots --ensemble")
struct EnsembleCLITests {
    /// Hourly PM2.5 at S1, 2010-02-12 18Z to 02-13 00Z: one event 21–23Z.
    static func observations(_ dir: TemporaryDirectory) throws {
        var rows = ["site,latitude,longitude,time,value"]
        let t0 = UTCTime(year: 2010, month: 2, day: 12, hour: 18)
        for h in 0...6 { rows.append("S1,16.7,-62.2,\((t0 + Int64(h * 3600)).iso8601),\([40, 50, 70, 90, 110, 80, 45][h])") }
        try dir.write("obs.csv", rows.joined(separator: "\n") + "\n")
    }

    static func run(_ dir: TemporaryDirectory, _ out: String, _ extra: [String]) throws -> ProcessResult {
        try CLI.run(["hotspots", "--met", Fixtures.met("gdas_042.bin"), "--observations", dir.path("obs.csv"), "--hotspot-threshold", "75",
                     "--heights", "500", "--hours", "-12", "--clusters", "none"] + extra + ["--out", dir.path(out)])
    }

    @Test("events: 7 ordinary trajectories, 3 event starts × 27 members apart, one event_ensemble.csv row; bare --ensemble is all; a bad mode is a usage error")
    func modes() throws {
        let dir = try TemporaryDirectory()
        try Self.observations(dir)
        let events = try Self.run(dir, "events", ["--ensemble", "events"])
        #expect(events.status == 0, "\(events.stderr)")
        #expect(events.stdout.contains("7 trajectories") && events.stdout.contains("27-member ensemble for 3 event starts (81 members, not in the grid)"),
                "\(events.stdout)")
        let members = try TrajectoryInputs.read([dir.path("events/ensemble_trajectories.csv")]).map(\.trajectory)
        #expect(members.count == 81 && Set(members.map(\.member)) == Set(1...27))
        let rows = try dir.read("events/event_ensemble.csv").split(separator: "\n").map(String.init)
        #expect(rows.count == 2 && rows[1].hasPrefix("S1,1,81,"), "\(rows)")
        // The spread at 12 h (the run's length): a distance in km.
        let spread = Double(rows[1].split(separator: ",", omittingEmptySubsequences: false)[3]) ?? .nan
        #expect(spread > 0 && spread < 500, "\(rows[1])")
        let run = try #require(try JSONSerialization.jsonObject(with: Data(try dir.read("events/run.json").utf8)) as? [String: Any])
        let settings = try #require(run["settings"] as? [String: Any])
        #expect(settings["ensemble"] as? String == "events" && settings["ensemble_spread_age_h"] as? Double == 12)
        #expect(run["outputs"] as? [String] == ["events.csv", "trajectories.csv", "ensemble_trajectories.csv", "grid.csv", "grid.geojson", "grid.nc",
                                                "event_ensemble.csv", "run.json"])

        // A bare --ensemble (followed by another option): every start's 27 members analysed.
        let all = try Self.run(dir, "all", ["--ensemble"])
        #expect(all.status == 0 && all.stdout.contains("189 trajectories"), "\(all.stdout)\(all.stderr)")
        let allRun = try #require(try JSONSerialization.jsonObject(with: Data(try dir.read("all/run.json").utf8)) as? [String: Any])
        #expect((allRun["settings"] as? [String: Any])?["ensemble"] as? String == "all")
        let bad = try Self.run(dir, "bad", ["--ensemble", "some"])
        #expect(bad.status == 2 && bad.stderr.contains("--ensemble must be none, all or events"), "\(bad.stderr)")
    }
}
