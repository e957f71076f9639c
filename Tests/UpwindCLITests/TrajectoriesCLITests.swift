import Foundation
import Testing
import UpwindTestSupport

@Suite("upwind trajectories")
struct TrajectoriesCLITests {
    let grads = Fixtures.root.appendingPathComponent("met/grads_model_1987.nc").path

    @Test("negative values parse: --hours -48 and repeatable --start -33.9,151.2,1000; CSV columns and rows")
    func negativeValues() throws {
        let dir = try TemporaryDirectory(prefix: "upwind-traj")
        let out = dir.path("back.csv")
        let r = try CLI.run(["trajectories", "--met", grads, "--start", "-33.9,151.2,1000", "--start", "40,116,1500",
                             "--time", "1987-01-05T00:00:00Z", "--hours", "-48", "--vertical", "isobaric", "--out", out])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.hasPrefix("2 trajectories, 2 completed"), "\(r.stdout)")
        let lines = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n")
        #expect(lines[0] == "trajectory,site,member,start_time,start_latitude,start_longitude,start_height_m,time,age_h,latitude,longitude,height_agl_m,pressure_hpa,terrain_m,temperature_k,theta_k,termination")
        #expect(lines.count == 1 + 2 * 49)
        let first = lines[1].split(separator: ",", omittingEmptySubsequences: false)
        #expect(first[1] == "S1" && first[4] == "-33.9000" && first[5] == "151.2000" && first[8] == "0.00")
        let last = lines[98].split(separator: ",", omittingEmptySubsequences: false)
        #expect(last[1] == "S2" && last[7] == "1987-01-03T00:00:00Z" && last[8] == "-48.00" && last.last == "completed")
    }

    @Test("GeoJSON by extension, on a regional single-level file")
    func geojson() throws {
        let dir = try TemporaryDirectory(prefix: "upwind-traj")
        let out = dir.path("storm.geojson")
        let r = try CLI.run(["trajectories", "--met", Fixtures.root.appendingPathComponent("met/ncl_storm1996_500hPa.nc").path,
                             "--start", "40,-90,5500", "--time", "1996-01-10T00:00:00Z", "--hours", "-24", "--out", out])
        #expect(r.status == 0, "\(r.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out))) as? [String: Any])
        let features = try #require(json["features"] as? [[String: Any]])
        #expect(features.count == 1)
        let geometry = try #require(features[0]["geometry"] as? [String: Any])
        #expect(geometry["type"] as? String == "LineString")
        #expect((geometry["coordinates"] as? [[Double]])?.count == 25)
    }

    @Test("a start outside the met: one line on stderr, nothing on stdout, exit 1, earlier output untouched")
    func outside() throws {
        let dir = try TemporaryDirectory(prefix: "upwind-traj")
        let out = dir.path("keep.csv")
        try "earlier output\n".write(toFile: out, atomically: true, encoding: .utf8)
        let r = try CLI.run(["trajectories", "--met", grads, "--start", "40,116,1500", "--time", "1990-01-01T00:00:00Z",
                             "--hours", "-24", "--vertical", "isobaric", "--out", out])
        #expect(r.status == 1)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr.split(separator: "\n").count == 1 && r.stderr.contains("outside the met coverage"), "\(r.stderr)")
        #expect(try String(contentsOfFile: out, encoding: .utf8) == "earlier output\n")
    }

    @Test("bad usage exits 2", arguments: [
        ["trajectories", "--start", "40,116,1500", "--time", "1987-01-05T00:00:00Z", "--hours", "-24"],
        ["trajectories", "--met", "x.nc", "--start", "40,116", "--time", "1987-01-05T00:00:00Z", "--hours", "-24"],
        ["trajectories", "--met", "x.nc", "--start", "40,116,10", "--hours", "-24"],
        ["trajectories", "--met", "x.nc", "--start", "40,116,10", "--time", "1987-01-05", "--hours", "-24", "--vertical", "sideways"],
        ["trajectories", "--met", "x.nc", "--start", "40,116,10", "--time", "1987-01-05", "--hours", "-24", "--step", "7m"],
    ])
    func badUsage(arguments: [String]) throws {
        let r = try CLI.run(arguments)
        #expect(r.status == 2, "\(r.stderr)")
        #expect(r.stdout.isEmpty)
        #expect(r.stderr.split(separator: "\n").count == 1)
    }

    @Test("--vertical data on met without vertical velocity is refused with what to do")
    func noOmega() throws {
        let r = try CLI.run(["trajectories", "--met", grads, "--start", "40,116,1500", "--time", "1987-01-05T00:00:00Z", "--hours", "-24"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("--vertical isobaric"))
    }
}

@Suite("upwind trajectories --plan")
struct PlanCLITests {
    @Test("a RunPlan with a generator and the ensemble runs from the CLI and writes every member")
    func plan() throws {
        let dir = try TemporaryDirectory(prefix: "upwind-plan")
        let grads = Fixtures.root.appendingPathComponent("met/grads_model_1987.nc").path
        let plan = """
        {"met": {"files": ["\(grads)"]},
         "generator": {"sites": [{"site": "BJ", "latitude": 40, "longitude": 116}], "heights": [1000, 3000],
                       "from": "1987-01-04T00:00:00Z", "to": "1987-01-05T00:00:00Z", "everyHours": 12},
         "hours": -24, "vertical": "isobaric", "ensemble": true}
        """
        let planPath = dir.path("plan.json")
        try plan.write(toFile: planPath, atomically: true, encoding: .utf8)
        let out = dir.path("plan.csv")
        let r = try CLI.run(["trajectories", "--plan", planPath, "--out", out])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.hasPrefix("162 trajectories, 162 completed"), "\(r.stdout)")
        let rows = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n").dropFirst()
        #expect(rows.count == 162 * 25)
        let members = Set(rows.map { $0.split(separator: ",")[2] })
        #expect(members == Set((1...27).map { Substring(String($0)) }))
        // A malformed plan is bad usage.
        try "{\"hours\": -24}".write(toFile: planPath, atomically: true, encoding: .utf8)
        let bad = try CLI.run(["trajectories", "--plan", planPath])
        #expect(bad.status == 2 && bad.stdout.isEmpty && bad.stderr.contains("met"), "\(bad.stderr)")
    }
}
