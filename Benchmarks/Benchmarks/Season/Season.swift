// Season-scale workloads from synthetic files (issue "Season-scale batches"):
// ERA5-legacy-like NetCDF-4 (float, zlib 1 + shuffle, one time step per chunk), 0.25° over
// 25–45N, 105–125E, 16 pressure levels 1000–100 hPa, hourly, one file per day, written once
// into $TMPDIR/upwind-season-bench (reused across runs).
//
// - decode once: read every variable the engine needs at every hour of the 10-day window.
// - window: Zhengzhou (34.75N, 113.65E) at 100/500/1000 m AGL every 6 h for 7 days, 72 h back (84).
// - many receptors: a 15 × 20 grid of receptors × 3 heights × the same 28 times (25,200), CSV written.
// - fixed cost: 1, 100, 1,000 and 10,000 trajectories in one run.
// - season: 90 days × 4 times × 3 heights × 27 members at Zhengzhou (29,160) from 93 daily files.
// - hotspots: `upwind hotspots` as a library call (HotspotPipeline) on 95 daily files: 12 sites with a
//   synthetic hourly PM2.5 series for 92 days, back trajectories every 3 h at 3 heights (26,496), events,
//   matching, every grid field and the files; reports the attribution share of the wall time.
import Benchmark
import Foundation
import Upwind

let folder = FileManager.default.temporaryDirectory.appendingPathComponent("upwind-season-bench").path
let first = UTCTime(year: 2024, month: 10, day: 1)

/// The daily files covering `days` days from `first` (written when missing).
func files(days: Int) throws -> [String] {
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    var paths: [String] = []
    for d in 0..<days {
        let c = (first + Int64(d * 86_400)).components
        let stem = String(format: "era5_%04d%02d%02d", c.year, c.month, c.day)
        let path = folder + "/" + stem + ".nc"
        if !FileManager.default.fileExists(atPath: path) {
            let field = try SyntheticMet.Field(model: .regional(.init(seed: 7)),
                                               domain: .init(south: 25, north: 45, west: 105, east: 125, resolution: 0.25),
                                               times: SyntheticMet.hourly(from: first + Int64(d * 86_400), count: 24))
            try field.write(directory: folder, name: stem, storage: .float)
        }
        paths.append(path)
    }
    return paths
}

let zhengzhou = RunPlan.Site(site: "ZZ", latitude: 34.75, longitude: 113.65)
let windowTimes = (first + Int64(3 * 86_400), first + Int64(3 * 86_400 + 27 * 6 * 3600)) // 28 start times

func windowStarts(sites: [RunPlan.Site]) throws -> [TrajectoryStart] {
    try RunPlan(met: .init(files: []), generator: .init(sites: sites, heights: [100, 500, 1000], from: windowTimes.0,
                                                         to: windowTimes.1, everyHours: 6), hours: -72).expandedStarts()
}

let receptors: [RunPlan.Site] = (0..<15).flatMap { j in (0..<20).map { i in
    RunPlan.Site(site: "R\(j)_\(i)", latitude: 27 + Double(j) * 1.1, longitude: 107 + Double(i) * 0.85) } }

func run(_ field: any WindField, _ starts: [TrajectoryStart], ensemble: Bool = false, csv: String? = nil) async throws -> Int {
    let engine = try TrajectoryEngine(field: field, options: TrajectoryOptions(hours: -72))
    let writer = try csv.map { try TrajectoryCSVWriter(path: $0, diagnostics: [.terrain, .temperature, .theta, .mixingDepth]) }
    var n = 0
    _ = try await engine.sweep(starts, ensemble: ensemble, maxConcurrency: ProcessInfo.processInfo.activeProcessorCount) { t in
        try writer?.write(t)
        n += 1
    }
    try writer?.finish()
    return n
}

/// 12 sites over the domain with a deterministic hourly series for 92 days from day 3 (µg m⁻³):
/// a 5-day cycle with a per-site phase plus a hashed ±15 jitter, so that about a quarter of hours exceed 75.
func seasonObservations() throws -> String {
    let path = folder + "/season-observations.csv"
    if FileManager.default.fileExists(atPath: path) { return path }
    var text = "site,latitude,longitude,time,value\n"
    for s in 0..<12 {
        let lat = 30 + Double(s % 4) * 3, lon = 110 + Double(s / 4) * 4
        for h in 0..<(92 * 24) {
            let t = first + Int64((3 * 24 + h) * 3600)
            var x = UInt64(s * 100_003 + h) &* 0x9E37_79B9_7F4A_7C15
            x = (x ^ (x >> 31)) &* 0xBF58_476D_1CE4_E5B9
            let jitter = Double(x >> 11) * 0x1p-53 * 30 - 15
            let value = 60 + 35 * sin(2 * Double.pi * (Double(h) / 120 + Double(s) / 12)) + jitter
            text += "S\(s),\(lat),\(lon),\(t),\(String(format: "%.1f", value))\n"
        }
    }
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return path
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .peakMemoryResident], maxDuration: .seconds(60), maxIterations: 3)
    let windowFiles: [String]
    do { windowFiles = try files(days: 10) } catch {
        print("cannot write the season files: \(error)")
        return
    }

    Benchmark("decode once: 10 days hourly, u v w z t sp zs blh") { _ in
        guard let met = try? MetDataset(paths: windowFiles, cacheBudgetBytes: 0) else { return }
        for i in met.times.indices { blackHole(try? met.slice(at: i)) }
    }

    Benchmark("window: 84 trajectories, 72 h back, data") { _ in
        guard let field = try? MetWindField(MetDataset(paths: windowFiles)), let starts = try? windowStarts(sites: [zhengzhou]) else { return }
        blackHole(try? await run(field, starts))
    }

    Benchmark("many receptors: 25,200 trajectories, 72 h back, CSV written") { _ in
        guard let field = try? MetWindField(MetDataset(paths: windowFiles)), let starts = try? windowStarts(sites: receptors) else { return }
        let out = folder + "/many.csv"
        blackHole(try? await run(field, starts, csv: out))
    }

    for n in [1, 100, 1_000, 10_000] {
        Benchmark("fixed cost: \(n) trajectories") { _ in
            guard let field = try? MetWindField(MetDataset(paths: windowFiles)), let all = try? windowStarts(sites: receptors) else { return }
            blackHole(try? await run(field, Array(all.prefix(n))))
        }
    }

    Benchmark("season: 29,160 trajectories (90 days x 4 x 3 heights x 27 members) from 93 daily files") { _ in
        guard let seasonFiles = try? files(days: 93), let field = try? MetWindField(MetDataset(paths: seasonFiles)),
              let starts = try? RunPlan(met: .init(files: []), generator: .init(sites: [zhengzhou], heights: [100, 500, 1000],
                                                                                  from: first + Int64(3 * 86_400), to: first + Int64((3 + 90) * 86_400 - 6 * 3600),
                                                                                  everyHours: 6), hours: -72).expandedStarts() else { return }
        blackHole(try? await run(field, starts, ensemble: true))
    }

    Benchmark("hotspots: a season at 12 sites, 26,496 trajectories every 3 h at 3 heights, 72 h back, attribution share",
              configuration: .init(metrics: [.wallClock, .peakMemoryResident, .custom("attribution share (%)", polarity: .prefersSmaller, useScalingFactor: false)])) { benchmark in
        guard let seasonFiles = try? files(days: 95), let observations = try? seasonObservations(),
              let rules = try? HotspotRules(threshold: 75) else { return }
        let pipeline = HotspotPipeline(met: seasonFiles, observationsPath: observations, rules: rules, everyHours: 3,
                                       outputFolder: folder + "/hotspots-out")
        guard let result = try? await pipeline.run() else { print("hotspots failed"); return }
        let total = result.seconds.total
        benchmark.measurement(.custom("attribution share (%)"), Int((100 * result.seconds.attribution / total).rounded()))
        print(result.summary)
    }
}
