import Foundation
import Testing
import Upwind
import UpwindTestSupport

/// The programs in `Examples/`, run as built executables on small data; their printed numbers are
/// checked against independent computations (the engine run serially, brute-force cell counts,
/// hand-parsed tdump and CSV files, the CLI's own outputs).
@Suite("Examples")
struct ExamplesTests {
    /// Runs example `name` and returns its standard output lines; fails on a non-zero exit.
    static func run(_ name: String, _ arguments: [String]) throws -> [String] {
        let r = try ExamplePrograms.run(name, arguments)
        #expect(r.status == 0, "\(name) failed: \(r.stderr)")
        return r.stdout.split(separator: "\n").map(String.init)
    }

    /// Great-circle distance, km (haversine on a 6371 km sphere), written here independently of Geodesy.
    static func haversineKm(_ lat1: Double, _ lon1: Double, _ lat2: Double, _ lon2: Double) -> Double {
        let r = Double.pi / 180, dLat = (lat2 - lat1) * r, dLon = (lon2 - lon1) * r
        let a = sin(dLat / 2) * sin(dLat / 2) + cos(lat1 * r) * cos(lat2 * r) * sin(dLon / 2) * sin(dLon / 2)
        return 2 * 6371 * asin(min(1, a.squareRoot()))
    }

    /// R's type-7 quantile, written here independently of the library.
    static func type7(_ values: [Double], _ p: Double) -> Double {
        let x = values.sorted(), h = Double(x.count - 1) * p, lo = Int(h.rounded(.down))
        return lo + 1 < x.count ? x[lo] + (h - Double(lo)) * (x[lo + 1] - x[lo]) : x[lo]
    }

    /// The cell index of a coordinate: nearest centre on multiples of `resolution`, ties north/east.
    static func cell(_ x: Double, _ resolution: Double) -> Int { Int((x / resolution + 0.5).rounded(.down)) }

    /// Simple CSV rows (no quoted commas) as dictionaries.
    static func csvRows(_ path: String) throws -> [[String: String]] {
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        guard let header = lines.first else { return [] }
        return lines.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(header, $0)) }
    }

    // MARK: - MontserratAsh

    static let islands = [("Guadeloupe", 16.25, -61.58), ("Antigua", 17.07, -61.80), ("St Kitts", 17.30, -62.72), ("Dominica", 15.41, -61.37)]

    @Test("MontserratAsh: every arrival's closest approach to the volcano equals a serial engine run measured with an independent haversine")
    func montserratClosestApproach() throws {
        let met = Fixtures.met("gdas_042.bin")
        let lines = try Self.run("MontserratAsh", ["--met", met])
        #expect(lines.first == "met: gdas_042.bin, ARL packed, 2010-02-11T12:00:00Z to 2010-02-13T00:00:00Z (13 times)")
        let arrivals = lines.compactMap { line in
            line.wholeMatch(of: /\ \ (\S+) (.{10}) +(\d+) m: closest ([\d.]+) km at (-?\d+) h \(([\d.]+)°N ([\d.]+)°W (\d+) m\): (traces back to the volcano|not from the volcano)/)
        }
        #expect(arrivals.count == 2 * 4 * 3)
        let field = try MetSource.open([met]).field
        let eruption = try #require(UTCTime(iso8601: "2010-02-11T15:00:00Z"))
        var tracing = 0
        for (k, hours) in [12, 24].enumerated() {
            let starts = Self.islands.flatMap { name, lat, lon in
                [1000.0, 3000, 5000].map { TrajectoryStart(site: name, latitude: lat, longitude: lon, height: $0, time: eruption + Int64(hours * 3600)) }
            }
            let truth = try TrajectoryEngine(field: field, options: TrajectoryOptions(hours: -hours)).run(starts).trajectories
            #expect(truth.count == 12)
            for (i, t) in truth.enumerated() {
                let printed = arrivals[k * 12 + i]
                let site = printed.2.trimmingCharacters(in: .whitespaces), height = Double(printed.3)
                #expect(String(printed.1) == t.start.time.iso8601)
                #expect(site == t.start.site && height == t.start.height)
                let candidates = t.endpoints.filter { $0.ageHours <= -1 }
                let distances = candidates.map { Self.haversineKm($0.latitude, $0.longitude, 16.72, -62.18) }
                let best = try #require(distances.indices.min { distances[$0] < distances[$1] })
                let km = try #require(Double(printed.4))
                #expect(abs(km - distances[best]) <= 0.051, "\(t.start.site) \(t.start.height) m: printed \(km), recomputed \(distances[best])")
                #expect(Double(printed.5) == candidates[best].ageHours.rounded())
                #expect((printed.9 == "traces back to the volcano") == (distances[best] <= 30))
                if distances[best] <= 30 { tracing += 1 }
            }
        }
        #expect(lines.last == "summary: \(tracing) of 24 arrivals trace back to within 30.0 km of the volcano")
    }

    @Test("MontserratAsh: where the forward trajectories are after 24 h, back trajectories arriving there trace back to within 5 km of the volcano")
    func montserratForwardBackward() throws {
        let met = Fixtures.met("gdas_042.bin")
        let forward = try Self.run("MontserratAsh", ["--met", met]).compactMap { line in
            line.firstMatch(of: /^  (\d+) m: .*\+24 h ([\d.]+)°N ([\d.]+)°W (\d+) m \(completed\)$/)
        }
        #expect(forward.count == 3)
        var arguments = ["--met", met, "--every", "24"]
        for f in forward { arguments += ["--site", "F\(f.1),\(f.2),-\(f.3),\(f.4)"] }
        let lines = try Self.run("MontserratAsh", arguments)
        let back = lines.compactMap { $0.wholeMatch(of: /\ \ 2010-02-12T15:00:00Z (F\d+) +(\d+) m: closest ([\d.]+) km at (-?\d+) h \(16\.\d\d°N 62\.\d\d°W (\d+) m\): traces back to the volcano/) }
        #expect(back.count == 3, "\(lines.joined(separator: "\n"))")
        for b in back {
            let km = try #require(Double(b.3)), returned = try #require(Double(b.5)), left = try #require(Double(b.1.dropFirst()))
            #expect(km <= 5 && b.4 == "-24")
            // It returns to the volcano at the height the forward trajectory left from, within 100 m.
            #expect(abs(returned - left) <= 100)
        }
        #expect(lines.last == "summary: 3 of 3 arrivals trace back to within 30.0 km of the volcano")
    }

    // MARK: - HenanEpisode

    @Test("HenanEpisode (thinned): the printed ranking is regions.csv's, the planted county from twin.json ranks first by fire score")
    func henanEpisode() throws {
        let dir = try TemporaryDirectory(prefix: "upwind-example-henan")
        let lines = try Self.run("HenanEpisode", ["--out", dir.path("out"), "--every", "12", "--heights", "500", "--bootstrap", "20"])
        // 18 stations × 14 arrivals (every 12 h over the week) × 1 height.
        #expect(lines.contains { $0.hasPrefix("analysis: ") && $0.contains(" hotspot events, 252 trajectories, criterion 75.0 µg/m³") })
        // The ensemble ran for event hours only, and its files are beside the others.
        #expect(lines.contains { $0.hasPrefix("ensemble: 27-member ensemble for ") && $0.contains("not in the grid") })
        for name in ["event_ensemble.csv", "ensemble_trajectories.csv"] {
            #expect(FileManager.default.fileExists(atPath: dir.path("out/" + name)), "\(name) missing")
        }
        let regions = try Self.csvRows(dir.path("out/regions.csv"))
        #expect(regions.count == 157)
        let top = lines.compactMap { $0.wholeMatch(of: /\ \ (\d+)\. (\S+) (\d{6}): polluted share ([\d.]+), fire score (\d+), ranks (\d+)–(\d+)/) }
        #expect(top.count == 5)
        for (row, printed) in zip(regions, top) {
            #expect(row["rank"] == String(printed.1) && row["name"] == String(printed.2) && row["id"] == String(printed.3))
            let share = try #require(Double(row["polluted_share"] ?? "")), printedShare = try #require(Double(printed.4))
            #expect(abs(share - printedShare) <= 0.0005)
            #expect(row["rank_low"] == String(printed.6) && row["rank_high"] == String(printed.7))
        }
        // The truth, from twin.json; the ranks, recomputed from regions.csv.
        let twin = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir.path("out/inputs/twin.json")))) as? [String: Any])
        let planted = try #require((twin["planted"] as? [String: Any])?["adcode"] as? String)
        func rank(by column: String) -> Int? {
            let sorted = regions.sorted { (Double($0[column] ?? "") ?? -.infinity) > (Double($1[column] ?? "") ?? -.infinity) }
            return sorted.firstIndex { $0["id"] == planted }.map { $0 + 1 }
        }
        let byFire = try #require(rank(by: "fire_score")), byShare = try #require(rank(by: "polluted_share"))
        #expect(byFire == 1)
        #expect(lines.contains { $0.hasPrefix("planted county ") && $0.hasSuffix(" \(planted): rank \(byShare) by polluted share, \(byFire) by fire score: found") })
        // The top fire is fires.csv's highest score.
        let fires = try Self.csvRows(dir.path("out/fires.csv"))
        let best = try #require(fires.max { (Double($0["score"] ?? "") ?? 0) < (Double($1["score"] ?? "") ?? 0) })
        let firstFire = try #require(lines.first { $0.hasPrefix("  fire ") }?.firstMatch(of: /fire (\d+) at .* score ([\d.]+),/))
        #expect(String(firstFire.1) == best["fire_id"])
        let printedScore = try #require(Double(firstFire.2)), bestScore = try #require(Double(best["score"] ?? ""))
        #expect(abs(printedScore - bestScore) <= 0.05)
        #expect(best["region_id"] == planted)
    }

    // MARK: - SeasonalPSCF

    @Test("SeasonalPSCF (10 days): plan.json reproduces the run; the top cells' n, m and PSCF match a brute-force count; the top cell is the planted source")
    func seasonalPSCF() async throws {
        let dir = try TemporaryDirectory(prefix: "upwind-example-season")
        let lines = try Self.run("SeasonalPSCF", ["--out", dir.path("out"), "--days", "10", "--every", "12"])
        #expect(lines.contains { $0.hasPrefix("trajectories: 20 trajectories, 20 completed") })
        // The saved plan, run again here, gives the trajectories the observations were made from.
        let plan = try JSONDecoder().decode(RunPlan.self, from: Data(contentsOf: URL(fileURLWithPath: dir.path("out/plan.json"))))
        let trajectories = try await TrajectoryRunner(plan: plan).run().trajectories
        #expect(trajectories.count == 20)
        let observed = try Self.csvRows(dir.path("out/observations.csv"))
        var valueAt: [String: Double] = [:]
        for row in observed { valueAt[row["time"] ?? ""] = Double(row["value"] ?? "") }
        let values = try trajectories.map { try #require(valueAt[$0.start.time.iso8601]) }
        let criterion = Self.type7(values, 0.75)
        let criterionLine = try #require(lines.first { $0.hasPrefix("observations: ") }?.firstMatch(of: /p75 criterion ([\d.]+)/))
        let printedCriterion = try #require(Double(criterionLine.1))
        #expect(abs(printedCriterion - criterion) <= 0.0501)
        // Brute force: every endpoint but age 0 in its 1° cell; m counts those of arrivals above p75.
        var n: [[Int]: Int] = [:], m: [[Int]: Int] = [:]
        for (t, v) in zip(trajectories, values) {
            for e in t.endpoints where e.ageHours != 0 {
                let key = [Self.cell(e.latitude, 1), Self.cell(e.longitude, 1)]
                n[key, default: 0] += 1
                if v > criterion { m[key, default: 0] += 1 }
            }
        }
        let cells = lines.compactMap { $0.wholeMatch(of: /\ \ ([\d.]+)°N ([\d.]+)°E: n (\d+), m (\d+), PSCF ([\d.]+), WPSCF ([\d.]+), (\d+) km from the source/) }
        #expect(cells.count == 5)
        for c in cells {
            let key = [Int(Double(c.1) ?? .nan), Int(Double(c.2) ?? .nan)]
            #expect(Int(c.3) == n[key] && Int(c.4) == m[key, default: 0], "cell \(key)")
            let pscf = try #require(Double(c.5)), bruteForce = Double(m[key, default: 0]) / Double(n[key] ?? 1)
            #expect(abs(pscf - bruteForce) <= 0.0005)
        }
        // The planted source (33°N 107°E) is the top cell.
        let first = try #require(cells.first)
        #expect(Self.haversineKm(Double(first.1) ?? 0, Double(first.2) ?? 0, 33, 107) <= 150)
        // Clusters: the sizes add up to every trajectory, and their size-weighted mean values to the mean of all values.
        let clusters = lines.compactMap { $0.wholeMatch(of: /\ \ (\d+): (\d+) trajectories \(([\d.]+) %\), mean PM2.5 ([\d.]+) µg\/m³, 72 h back at .*/) }
        #expect(clusters.count >= 2)
        #expect(clusters.reduce(0) { $0 + (Int($1.2) ?? 0) } == 20)
        var weighted = 0.0
        for c in clusters { weighted += Double(Int(c.2) ?? 0) * (Double(c.4) ?? .nan) / 20 }
        #expect(abs(weighted - values.reduce(0, +) / 20) <= 0.05)
    }

    // MARK: - ImportHYSPLIT

    /// The endpoints of a tdump's data lines: (trajectory number, age h, latitude, longitude), parsed by hand.
    static func tdumpEndpoints(_ text: String) -> [(trajectory: Int, age: Double, latitude: Double, longitude: Double)] {
        text.split(separator: "\n").compactMap { line in
            let f = line.split(separator: " ")
            guard f.count >= 12, let n = Int(f[0]), let age = Double(f[8]), let lat = Double(f[9]), let lon = Double(f[10]) else { return nil }
            return (n, age, lat, lon)
        }
    }

    @Test("ImportHYSPLIT on HYSPLIT's own tdump: counts and the top cells equal a hand parse of the file")
    func importRealTdump() throws {
        let lines = try Self.run("ImportHYSPLIT", [Fixtures.hysplit("tutorial_fwd12.tdump")])
        #expect(lines.first == "read 1 tdump file(s): 3 trajectories (forward, NGM, starts 1995-10-16T00:00:00Z to 1995-10-16T00:00:00Z), 39 endpoints")
        let endpoints = Self.tdumpEndpoints(try Fixtures.text("hysplit/tutorial_fwd12.tdump"))
        #expect(endpoints.count == 39)
        var n: [[Int]: Int] = [:], trajectories: [[Int]: Set<Int>] = [:]
        for e in endpoints where e.age != 0 {
            let key = [Self.cell(e.latitude, 0.5), Self.cell(e.longitude, 0.5)]
            n[key, default: 0] += 1
            trajectories[key, default: []].insert(e.trajectory)
        }
        #expect(lines.contains("grid: \(n.count) cells of 0.5°, 36 endpoints (age 0 left out); top 5 by endpoints:"))
        let cells = lines.compactMap { $0.wholeMatch(of: /\ \ ([\d.]+)°N ([\d.]+)°W: n (\d+) from (\d+) trajectories, residence ([\d.]+)/) }
        #expect(cells.count == 5)
        let expected = n.sorted { ($0.value, $0.key[0], $0.key[1]) > ($1.value, $1.key[0], $1.key[1]) }.prefix(5)
        for (c, e) in zip(cells, expected) {
            #expect([Self.cell(Double(c.1) ?? .nan, 0.5), Self.cell(-(Double(c.2) ?? .nan), 0.5)] == e.key)
            let count = trajectories[e.key]?.count
            #expect(Int(c.3) == e.value && Int(c.4) == count)
            // Residence, HYSPLIT's default normalisation: 100 × trajectories through the cell / all trajectories.
            let residence = try #require(Double(c.5)), through = Double(trajectories[e.key]?.count ?? 0)
            #expect(abs(residence - 100 * through / 3) <= 0.0005)
        }
    }

    @Test("ImportHYSPLIT on tdump files with observations and provinces: the ranking is upwind attribute's, the grid a brute-force count")
    func importWithObservations() async throws {
        let dir = try TemporaryDirectory(prefix: "upwind-example-import")
        // Back trajectories from Zhengzhou every 3 h for 3 days, 36 h back, on synthetic met, as three daily tdump files.
        let first = UTCTime(year: 2024, month: 10, day: 3)
        let field = try SyntheticMet.Field(model: .regional(.init(seed: 3)), domain: .init(south: 20, north: 50, west: 90, east: 130, resolution: 1),
                                           times: SyntheticMet.hourly(from: first + Int64(-2 * 86_400), count: 5 * 8 + 1, stepHours: 3))
        let met = try field.write(directory: dir.path)
        let engine = try TrajectoryEngine(field: MetSource.open(met).field, options: TrajectoryOptions(hours: -36))
        var files: [String] = [], values: [[Double]] = []
        var observations = "site,latitude,longitude,time,value\n"
        for day in 0..<3 {
            let starts = (0..<8).map { TrajectoryStart(site: "ZZ", latitude: 34.75, longitude: 113.65, height: 500, time: first + Int64(day * 86_400 + $0 * 3 * 3600)) }
            let run = try engine.run(starts).trajectories
            files.append(dir.path("tdump_day\(day)"))
            try TdumpWriter.write(run, to: files[day])
            values.append((0..<8).map { Double(20 + 13 * ((day * 8 + $0) * 5 % 11)) })
            for (s, v) in zip(starts, values[day]) { observations += "Zhengzhou,34.75,113.65,\(s.time.iso8601),\(v)\n" }
        }
        try dir.write("obs.csv", observations)
        let regions = Fixtures.path("regions/china-provinces.geojson")
        let lines = try Self.run("ImportHYSPLIT", ["--observations", dir.path("obs.csv"), "--regions", regions, "--resolution", "1"] + files)
        #expect(lines.first?.hasPrefix("read 3 tdump file(s): 24 trajectories (backward, ") == true)
        #expect(lines.contains { $0.hasPrefix("observations: 24 of 24 arrivals matched at Zhengzhou; p75 criterion ") })

        // The grid, by hand from the tdump text: n per 1° cell and m from arrivals above the type-7 p75.
        let criterion = Self.type7(values.flatMap { $0 }, 0.75)
        var n: [[Int]: Int] = [:], m: [[Int]: Int] = [:]
        for (day, file) in files.enumerated() {
            for e in Self.tdumpEndpoints(try String(contentsOfFile: file, encoding: .utf8)) where e.age != 0 {
                let key = [Self.cell(e.latitude, 1), Self.cell(e.longitude, 1)]
                n[key, default: 0] += 1
                if values[day][e.trajectory - 1] > criterion { m[key, default: 0] += 1 }
            }
        }
        let cells = lines.compactMap { $0.wholeMatch(of: /\ \ ([\d.]+)°N ([\d.]+)°E: n (\d+) from (\d+) trajectories, residence [\d.]+, PSCF ([\d.]+) \(m (\d+)\), WPSCF [\d.]+/) }
        #expect(cells.count == 5)
        for c in cells {
            let key = [Int(Double(c.1) ?? .nan), Int(Double(c.2) ?? .nan)]
            #expect(Int(c.3) == n[key] && Int(c.6) == m[key, default: 0], "cell \(key)")
        }
        #expect(Int(cells.first?.3 ?? "") == n.values.max())

        // The province ranking: upwind attribute's regions.csv on the same files.
        let cli = try CLI.run(["attribute", "--trajectories"] + files + ["--observations", dir.path("obs.csv"), "--site", "Zhengzhou",
                               "--regions", regions, "--resolution", "1", "--bootstrap", "0", "--out", dir.path("attribute")])
        #expect(cli.status == 0, "\(cli.stderr)")
        let rows = try Self.csvRows(dir.path("attribute/regions.csv")).filter { (Double($0["residence_h"] ?? "") ?? 0) > 0 }
        let printed = lines.compactMap { $0.wholeMatch(of: /\ \ (\d+)\. (\S+) (\d{6}): residence ([\d.]+) h, polluted ([\d.]+) h, polluted share ([\d.]+), PSCF .*/) }
        #expect(!printed.isEmpty && printed.count == min(5, rows.count))
        for (row, p) in zip(rows, printed) {
            #expect(row["rank"] == String(p.1) && row["id"] == String(p.3) && row["name"] == String(p.2))
            let residence = try #require(Double(row["residence_h"] ?? "")), share = try #require(Double(row["polluted_share"] ?? ""))
            let printedResidence = try #require(Double(p.4)), printedShare = try #require(Double(p.6))
            #expect(abs(residence - printedResidence) <= 0.05)
            #expect(abs(share - printedShare) <= 0.0005)
        }
    }
}
