import Foundation
import Testing
import Upwind
import UpwindTestSupport

/// `upwind cluster` on generated files: three bundles of straight hourly back trajectories
/// (25 endpoints) from site ZZ at 35° N, 114° E: 6 west, 5 north, 4 south-east.
@Suite("upwind cluster")
struct ClusterCLITests {
    /// The bundles; trajectory `id` arrives at hour `id` of 2024-01-01 (UTC).
    static func bundles(heightOffset: Double = 0) -> [Trajectory] {
        var out: [Trajectory] = []
        let t0 = UTCTime(year: 2024, month: 1, day: 1)
        var id = 0
        for (bearing, size) in [(270.0, 6), (0.0, 5), (135.0, 4)] {
            for j in 0..<size {
                id += 1
                let speed = 20 + 1.5 * Double(j), theta = (bearing + 1.2 * Double(j) - 2) * Double.pi / 180
                let arrival = t0 + Int64(id * 3600)
                let endpoints = (0...24).map { i -> TrajectoryEndpoint in
                    let km = speed * Double(i)
                    return TrajectoryEndpoint(time: arrival + Int64(-i * 3600), ageHours: -Double(i), latitude: 35 + km * cos(theta) / 111.2,
                                              longitude: 114 + km * sin(theta) / (111.2 * cos(35 * Double.pi / 180)),
                                              heightAGL: 500 + heightOffset + 10 * Double(i), pressureHPa: 950)
                }
                out.append(Trajectory(id: id, start: TrajectoryStart(site: "ZZ", latitude: 35, longitude: 114, height: 500, time: arrival),
                                      isBackward: true, verticalMode: .data, endpoints: endpoints,
                                      termination: Termination(reason: .completed, time: arrival + Int64(-24 * 3600))))
            }
        }
        return out
    }

    static func lines(_ dir: TemporaryDirectory, _ name: String) throws -> [[String]] {
        try dir.read(name).split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
    }

    @Test("Ward with --k auto and observations: every file's header, the 3 bundles, means, summary values, the TSV curve, run.json")
    func wardAuto() throws {
        let dir = try TemporaryDirectory()
        try TrajectoryFiles.write(Self.bundles(), to: dir.path("bundles.csv"), format: .csv)
        // Observations at ZZ for trajectories 1–6 (values 10…15) and 7 (40); 8–15 have none.
        var obs = ["site,latitude,longitude,time,value"]
        for id in 1...7 { obs.append("ZZ,35,114,\((UTCTime(year: 2024, month: 1, day: 1) + Int64(id * 3600)).iso8601),\(id == 7 ? 40 : 9 + id)") }
        try dir.write("obs.csv", obs.joined(separator: "\n") + "\n")
        let r = try CLI.run(["cluster", "--trajectories", dir.path("bundles.csv"), "--observations", dir.path("obs.csv"), "--out", dir.path("out")])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("15 trajectories, 15 clustered; 3 clusters by ward (suggested 3), sizes 6/5/4"), "\(r.stdout)")
        #expect(r.stderr.contains("8 unmatched"), "\(r.stderr)")

        let clusters = try Self.lines(dir, "out/clusters.csv")
        #expect(clusters[0] == ["trajectory", "cluster"] && clusters.count == 16)
        #expect(clusters.dropFirst().map { $0[0] } == (1...15).map(String.init))
        #expect(clusters.dropFirst().map { $0[1] } == ["1", "1", "1", "1", "1", "1", "2", "2", "2", "2", "2", "3", "3", "3", "3"])

        let means = try Self.lines(dir, "out/cluster_means.csv")
        #expect(means[0] == ["cluster", "age_h", "latitude", "longitude", "height_agl_m"] && means.count == 1 + 3 * 25)
        #expect(means[1] == ["1", "0", "35.0000", "114.0000", "500.0"])
        // Cluster 1 at −24 h: the mean of its 6 members (going west at 20…27.5 km/h, bearings
        // 268°…274°), within 0.01° of their plain lat/lon average over ~6°.
        let west = try #require(means.first { $0[0] == "1" && $0[1] == "-24" })
        let members = Self.bundles().prefix(6).map { $0.endpoints[24] }
        let lat = members.map(\.latitude).reduce(0, +) / 6, lon = members.map(\.longitude).reduce(0, +) / 6
        #expect(abs((Double(west[2]) ?? .nan) - lat) < 0.01 && abs((Double(west[3]) ?? .nan) - lon) < 0.01 && west[4] == "740.0", "\(west) vs \(lat), \(lon)")
        #expect(lon < 108 && lat > 35.05)

        let summary = try Self.lines(dir, "out/cluster_summary.csv")
        #expect(summary == [["cluster", "n", "share_pct", "mean_value"], ["1", "6", "40.00", "12.5"], ["2", "5", "33.33", "40"], ["3", "4", "26.67", ""]])

        let tsv = try Self.lines(dir, "out/tsv.csv")
        #expect(tsv[0] == ["clusters", "tsv", "change_pct"] && tsv.count == 16)
        #expect(tsv.dropFirst().map { $0[0] } == (1...15).map(String.init))
        #expect(tsv[15] == ["15", "0", ""])
        let values = tsv.dropFirst().map { Double($0[1]) ?? .nan }
        #expect(zip(values, values.dropFirst()).allSatisfy { $0 >= $1 })
        let change2 = Double(tsv[2][2]) ?? .nan, change3 = Double(tsv[3][2]) ?? .nan
        #expect(abs(change2 - 100 * (values[1] - values[2]) / values[2]) < 1e-3 * change2 && change2 > 20 * change3)

        let run = try #require(try JSONSerialization.jsonObject(with: Data(try dir.read("out/run.json").utf8)) as? [String: Any])
        let settings = try #require(run["settings"] as? [String: Any])
        #expect(run["command"] as? String == "cluster")
        #expect(settings["k"] as? String == "auto" && settings["distance"] as? String == "ward" && settings["unequal"] as? String == "truncate")
        #expect(settings["clusters"] as? Int == 3 && settings["suggested_clusters"] as? Int == 3 && settings["clustered_trajectories"] as? Int == 15)
        #expect(settings["matched_trajectories"] as? Int == 7 && settings["age_step_h"] as? Int == -1 && settings["clustered_hours"] as? Int == 24)
        let inputs = try #require(run["inputs"] as? [[String: String]])
        #expect(inputs.count == 2 && inputs.allSatisfy { ($0["sha256"] ?? "").count == 64 })
        #expect(run["outputs"] as? [String] == ["clusters.csv", "cluster_means.csv", "cluster_summary.csv", "tsv.csv", "run.json"])
    }

    @Test("two files (keys <n>:<id>), --k 3 --distance angle --unequal drop; a short trajectory is dropped and left without a cluster")
    func twoFilesAngle() throws {
        let dir = try TemporaryDirectory()
        var second = Self.bundles(heightOffset: 100)
        second[2].endpoints.removeLast(4)
        try TrajectoryFiles.write(Self.bundles(), to: dir.path("a.csv"), format: .csv)
        try TrajectoryFiles.write(second, to: dir.path("b.csv"), format: .csv)
        let r = try CLI.run(["cluster", "--trajectories", dir.path("a.csv"), dir.path("b.csv"), "--k", "3", "--distance", "angle",
                             "--unequal", "drop", "--out", dir.path("angle")])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("30 trajectories, 29 clustered (1 dropped as shorter than 25 endpoints)"), "\(r.stdout)")
        let clusters = try Self.lines(dir, "angle/clusters.csv")
        #expect(clusters.count == 31 && clusters[1][0] == "1:1" && clusters[16][0] == "2:1")
        #expect(clusters[18] == ["2:3", ""])
        // Bundles of 12, 10 and 8 over the two files, less the dropped west trajectory 2:3.
        #expect(clusters.dropFirst().filter { $0[1] == "1" }.count == 11)
        let summary = try Self.lines(dir, "angle/cluster_summary.csv")
        #expect(summary.dropFirst().map { $0[3] } == ["", "", ""] && summary.dropFirst().map { $0[1] } == ["11", "10", "8"])
        let run = try dir.read("angle/run.json")
        #expect(run.contains("\"distance\": \"angle\"") && run.contains("\"dropped_trajectories\": 1") && run.contains("\"silhouette\""), "\(run)")
    }

    @Test("bad usage exits 2, bad data exits 1 with a flag hint and writes nothing")
    func badInput() throws {
        let dir = try TemporaryDirectory()
        try TrajectoryFiles.write(Self.bundles(), to: dir.path("b.csv"), format: .csv)
        for (flags, needle) in [(["--k", "0"], "--k"), (["--distance", "cosine"], "--distance"), (["--unequal", "pad"], "--unequal"),
                                (["--timezone", "+08:00"], "--observations")] {
            let r = try CLI.run(["cluster", "--trajectories", dir.path("b.csv"), "--out", dir.path("x")] + flags)
            #expect(r.status == 2 && r.stderr.contains(needle) && r.stdout.isEmpty, "\(flags): \(r.stderr)")
        }
        let none = try CLI.run(["cluster", "--out", dir.path("x")])
        #expect(none.status == 2 && none.stderr.contains("--trajectories"))
        let many = try CLI.run(["cluster", "--trajectories", dir.path("b.csv"), "--k", "20", "--out", dir.path("x")])
        #expect(many.status == 1 && many.stderr.contains("cannot make 20 clusters from 15 trajectories") && many.stderr.contains("--k"), "\(many.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.path("x")))
        let help = try CLI.run(["cluster", "--help"])
        #expect(help.status == 0 && help.stdout.contains("km²") && help.stdout.contains("--unequal"))
    }
}
