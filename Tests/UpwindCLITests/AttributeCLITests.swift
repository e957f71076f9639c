import Foundation
import Testing
import Upwind
import UpwindTestSupport

/// `upwind attribute` on a hand-built case whose every number is worked out below: three square
/// regions A, B, C (1° wide, west to east) along 30–31°N, a site S in A, four back trajectories
/// along 30.5°N with hourly endpoints, one VIIRS fire in C, and a home-regions file (H = A ∪ B, O = C…).
@Suite("upwind attribute")
struct AttributeCLITests {
    static let t0 = UTCTime(year: 2025, month: 10, day: 10)

    /// A square region feature `id` from lon0 to lon1 along 30–31°N.
    static func square(_ id: String, _ name: String, _ lon0: Double, _ lon1: Double) -> String {
        #"{"type":"Feature","properties":{"adcode":"\#(id)","name":"\#(name)"},"geometry":{"type":"Polygon","coordinates":[[[\#(lon0),30],[\#(lon1),30],[\#(lon1),31],[\#(lon0),31],[\#(lon0),30]]]}}"#
    }

    /// Trajectory `id` arriving at hour `hour` with endpoints (ages 0, −1, …) at these longitudes, 30.5°N, 100 m AGL.
    static func trajectory(_ id: Int, hour: Int, _ lons: [Double]) -> Trajectory {
        let t = t0 + Int64(hour * 3600)
        let endpoints = lons.enumerated().map { k, lon in
            TrajectoryEndpoint(time: t + Int64(-k * 3600), ageHours: -Double(k), latitude: 30.5, longitude: lon, heightAGL: 100, pressureHPa: 1000)
        }
        return Trajectory(id: id, start: TrajectoryStart(site: "S", latitude: 30.5, longitude: 0.5, height: 100, time: t), isBackward: true,
                          verticalMode: .data, endpoints: endpoints, termination: Termination(reason: .completed, time: endpoints.last?.time ?? t))
    }

    static func inputs(_ dir: TemporaryDirectory) throws {
        // Age 0 is not counted (Upwind's default), so each trajectory counts 4 endpoints of 1 h.
        let trajectories = [
            trajectory(1, hour: 6, [0.5, 2.5, 2.5, 2.5, 1.5]),   // 100, polluted: C 3 h, B 1 h
            trajectory(2, hour: 7, [0.5, 1.5, 1.5, 1.5, 0.6]),   // 10, clean: B 3 h, A 1 h
            trajectory(3, hour: 8, [0.5, 2.5, 1.5, 0.5, 0.5]),   // 90, polluted: C 1 h, B 1 h, A 2 h
            trajectory(4, hour: 9, [0.5, 0.5, 0.5, 2.6, 2.6]),   // 20, clean: A 2 h, C 2 h
        ]
        let writer = try TrajectoryCSVWriter(sink: try FileSink(path: dir.path("back.csv")))
        for t in trajectories { try writer.write(t) }
        try writer.finish()
        try dir.write("obs.csv", "site,latitude,longitude,time,value\n"
                      + zip([6, 7, 8, 9], [100, 10, 90, 20]).map { "S,30.5,0.5,\((t0 + Int64($0 * 3600)).iso8601),\($1)" }.joined(separator: "\n") + "\n")
        try dir.write("regions.geojson", #"{"type":"FeatureCollection","features":["# + [square("A", "甲县", 0, 1), square("B", "乙县", 1, 2), square("C", "丙县", 2, 3)].joined(separator: ",") + "]}")
        try dir.write("home.geojson", #"{"type":"FeatureCollection","features":["# + [square("H", "Home", 0, 2), square("O", "Other", 2, 4)].joined(separator: ",") + "]}")
        // One VIIRS fire in C detected 2 h before trajectory 1 arrives: FRP 10 MW, high confidence (w = 1).
        try dir.write("firms.csv", "latitude,longitude,bright_ti4,scan,track,acq_date,acq_time,satellite,instrument,confidence,version,bright_ti5,frp,daynight\n"
                      + "30.5,2.5,330.1,0.4,0.37,2025-10-10,0400,N,VIIRS,h,2.0NRT,290.2,10.0,D\n")
    }

    static func rows(_ text: String) -> [[String]] {
        text.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
    }

    @Test("regions.csv, fires.csv, outside_home.csv and run.json hold the hand-computed shares, ratios, fire scores and ranks")
    func handComputed() async throws {
        let dir = try TemporaryDirectory()
        try Self.inputs(dir)
        let r = try CLI.run(["attribute", "--trajectories", dir.path("back.csv"), "--observations", dir.path("obs.csv"), "--criterion", "50",
                             "--resolution", "1", "--regions", dir.path("regions.geojson"), "--fires", dir.path("firms.csv"),
                             "--home-regions", dir.path("home.geojson"), "--home-region", "H", "--bootstrap", "50", "--seed", "7",
                             "--out", dir.path("out")])
        #expect(r.status == 0, "\(r.stderr)")
        let regions = Self.rows(try dir.read("out/regions.csv"))
        #expect(regions[0] == ["rank", "id", "name", "polluted_share", "residence_h", "polluted_residence_h", "enhancement_ratio", "pscf", "wpscf",
                               "cwt", "wcwt", "fire_score", "fire_count", "n_endpoints", "n_trajectories", "rank_low", "rank_high"])
        // Polluted (value > 50): trajectories 1 and 3, 8 h in all: C 4 h, B 2 h, A 2 h. Clean: A 3 h, B 3 h, C 2 h of 8 h.
        // Ranked by polluted share: C 0.5, then the tie A = B = 0.25 broken by id.
        #expect(regions.dropFirst().map { $0[1] } == ["C", "A", "B"])
        let c = regions[1], a = regions[2], b = regions[3]
        #expect(c[2] == "丙县" && c[0] == "1" && a[0] == "2" && b[0] == "3")
        #expect(Double(c[3]) == 0.5 && Double(a[3]) == 0.25 && Double(b[3]) == 0.25)
        #expect(Double(c[4]) == 6 && Double(a[4]) == 5 && Double(b[4]) == 5)
        #expect(Double(c[5]) == 4 && Double(a[5]) == 2 && Double(b[5]) == 2)
        // Enhancement: (polluted share) / (clean share): C 0.5 / 0.25 = 2; A and B 0.25 / 0.375.
        #expect(abs((Double(c[6]) ?? .nan) - 2) < 1e-9 && abs((Double(a[6]) ?? .nan) - 2.0 / 3) < 1e-6)
        // 1° cells centred on whole degrees: the cells at 30/31°N, lon 3 and 2 … each region overlaps cells whose PSCF
        // we check against the grid below; the fire: 10 MW × 1 × exp(0) for each matching endpoint of a polluted trajectory:
        // trajectory 1 at ages 1–3 (30) and trajectory 3 at age 1 (10) → 40 in C, one fire.
        #expect(Double(c[11]) == 40 && c[12] == "1")
        #expect(Double(a[11]) == 0 && Double(b[11]) == 0)
        #expect(c[13] == "6" && c[14] == "3" && a[13] == "5" && a[14] == "3")
        // C always has the largest polluted share in every resample that holds a polluted trajectory… its range starts at 1.
        #expect(c[15] == "1")
        let fires = Self.rows(try dir.read("out/fires.csv"))
        #expect(fires[0] == ["fire_id", "latitude", "longitude", "time", "frp_mw", "confidence", "region_id", "region_name",
                             "matched_trajectories", "matched_events", "score"])
        // Matched: trajectories 1, 3 (polluted) and 4 (clean, C at ages 3–4); events (hours above 50): 06Z and 08Z, two events.
        #expect(fires[1] == ["1", "30.5", "2.5", "2025-10-10T04:00:00Z", "10", "h", "C", "丙县", "3", "2", "40.000"])
        // Per event: 06Z (trajectory 1, 30) and 08Z (trajectory 3, 10). Per trajectory: every match counts, clean ones too
        // (trajectory 4 meets the fire at ages 3 and 4 at 2.6°E, d = 9.580 km: 2 × 10 × exp(−d²/2·25²) = 18.584), the
        // polluted flag says which feed the fire's score.
        #expect(try dir.read("out/fire_events.csv") == """
        site,event,start_time,end_time,peak_value,trajectories,fire_score
        S,1,2025-10-10T06:00:00Z,2025-10-10T06:00:00Z,100.00,1,30.000
        S,2,2025-10-10T08:00:00Z,2025-10-10T08:00:00Z,90.00,1,10.000

        """)
        let perTrajectory = try dir.read("out/fire_trajectories.csv")
        #expect(perTrajectory == """
        trajectory,site,arrival_time,height_m,value,polluted,fire_score,fires
        1,S,2025-10-10T06:00:00Z,100,100,true,30.000,1
        3,S,2025-10-10T08:00:00Z,100,90,true,10.000,1
        4,S,2025-10-10T09:00:00Z,100,20,false,18.584,1

        """, "\(perTrajectory)")
        let home = Self.rows(try dir.read("out/outside_home.csv"))
        #expect(home[0] == ["id", "name", "polluted_residence_h", "polluted_share", "is_home"])
        #expect(home.dropFirst().map { [$0[0], $0[2], $0[3], $0[4]] } == [["H", "4", "0.5", "true"], ["O", "4", "0.5", "false"]])
        let run = try #require(try JSONSerialization.jsonObject(with: Data(try dir.read("out/run.json").utf8)) as? [String: Any])
        let settings = try #require(run["settings"] as? [String: Any])
        #expect(run["command"] as? String == "attribute" && settings["rank_by"] as? String == "polluted_share")
        #expect(settings["bootstrap"] as? Double == 50 && settings["seed"] as? Double == 7 && settings["events"] as? Double == 2)
        #expect(abs((settings["polluted_residence_outside_home_share"] as? Double ?? .nan) - 0.5) < 1e-12)
        #expect((run["inputs"] as? [[String: String]])?.count == 5)
        let outputs = Set(run["outputs"] as? [String] ?? [])
        #expect(outputs.isSuperset(of: ["regions.csv", "regions.geojson", "fires.csv", "outside_home.csv", "events.csv", "grid.csv", "run.json"]))
        let geo = try #require(try JSONSerialization.jsonObject(with: Data(try dir.read("out/regions.geojson").utf8)) as? [String: Any])
        let features = try #require(geo["features"] as? [[String: Any]])
        #expect(features.count == 3)
        let props = features.compactMap { $0["properties"] as? [String: Any] }
        #expect(props.contains { $0["adcode"] as? String == "C" && ($0["polluted_share"] as? Double) == 0.5 && ($0["rank"] as? Double) == 1 })
    }

    @Test("bad input: an unknown --region-id property, an unknown home id, a FIRMS file without frp, an unclosed ring; nothing written")
    func badInput() async throws {
        let dir = try TemporaryDirectory()
        try Self.inputs(dir)
        let base = ["attribute", "--trajectories", dir.path("back.csv"), "--observations", dir.path("obs.csv"), "--regions", dir.path("regions.geojson")]
        let property = try CLI.run(base + ["--region-id", "code", "--out", dir.path("o1")])
        #expect(property.status == 1 && property.stderr.contains("code") && property.stderr.contains("adcode"), "\(property.stderr)")
        let home = try CLI.run(base + ["--home-regions", dir.path("home.geojson"), "--home-region", "410000", "--out", dir.path("o2")])
        #expect(home.status != 0 && home.stderr.contains("410000"), "\(home.stderr)")
        try dir.write("nofrp.csv", "latitude,longitude,acq_date,acq_time,confidence\n30.5,2.5,2025-10-10,0400,h\n")
        let firms = try CLI.run(base + ["--fires", dir.path("nofrp.csv"), "--out", dir.path("o3")])
        #expect(firms.status == 1 && firms.stderr.contains("frp"), "\(firms.stderr)")
        try dir.write("open.geojson", #"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"adcode":"X","name":"x"},"geometry":{"type":"Polygon","coordinates":[[[0,30],[1,30],[1,31],[0,31]]]}}]}"#)
        let open = try CLI.run(["attribute", "--trajectories", dir.path("back.csv"), "--observations", dir.path("obs.csv"),
                                "--regions", dir.path("open.geojson"), "--out", dir.path("o4")])
        #expect(open.status == 1 && open.stderr.lowercased().contains("closed"), "\(open.stderr)")
        let missing = try CLI.run(["attribute", "--trajectories", dir.path("back.csv"), "--observations", dir.path("obs.csv"), "--out", dir.path("o5")])
        #expect(missing.status == 2 && missing.stderr.contains("--regions"), "\(missing.stderr)")
        for o in ["o1", "o2", "o3", "o4", "o5"] { #expect(!FileManager.default.fileExists(atPath: dir.path(o))) }
    }
}
