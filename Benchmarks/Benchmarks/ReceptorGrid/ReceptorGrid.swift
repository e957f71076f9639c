// Receptor-grid gridding and engine-CSV reading (issue 10, Performance): a season's endpoints,
// generated in memory (and written once as the engine's CSV for the reading benchmark).
// 92 days × 8 arrivals a day × 3 heights × 12 sites = 26,496 back trajectories × 73 hourly
// endpoints (age 0 … −72) = 1,934,208 endpoints, random walks of ~30 km/h from 12 sites over
// eastern China, values 5–200. Gridding = build (every sum) + cells() (every field), 0.5° cells.
import Benchmark
import Foundation
import Upwind

struct Season {
    var trajectories: [Trajectory] = []
    var values: [Double] = []

    init() {
        var state: UInt64 = 0x2545_F491_4F6C_DD1D
        func next() -> Double {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(state >> 11) / Double(1 << 53)
        }
        let first = UTCTime(year: 2024, month: 6, day: 1)
        var id = 0
        for day in 0..<92 {
            for arrival in 0..<8 {
                let t0 = first + Int64(day * 86_400 + arrival * 3 * 3600)
                for site in 0..<12 {
                    let value = 5 + 195 * next()
                    for height in [100.0, 500, 1000] {
                        id += 1
                        var lat = 28 + Double(site % 4) * 3, lon = 108 + Double(site / 4) * 5
                        let dlat = 0.3 * (next() - 0.5), dlon = 0.3 * (next() - 0.3)
                        var endpoints: [TrajectoryEndpoint] = []
                        endpoints.reserveCapacity(73)
                        for k in 0...72 {
                            endpoints.append(TrajectoryEndpoint(time: t0 + Int64(-k * 3600), ageHours: -Double(k), latitude: lat,
                                                                longitude: lon, heightAGL: height + 10 * Double(k), pressureHPa: 950,
                                                                diagnostics: EndpointDiagnostics(mixingDepthM: 1200)))
                            lat += dlat + 0.1 * (next() - 0.5)
                            lon -= dlon + 0.1 * (next() - 0.5)
                        }
                        let start = TrajectoryStart(site: "S\(site)", latitude: endpoints[0].latitude, longitude: endpoints[0].longitude,
                                                    height: height, time: t0)
                        trajectories.append(Trajectory(id: id, start: start, isBackward: true, verticalMode: .data, endpoints: endpoints,
                                                       termination: Termination(reason: .completed, time: t0 + Int64(-72 * 3600))))
                        values.append(value)
                    }
                }
            }
        }
    }
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .mallocCountTotal, .peakMemoryResident],
                                           maxDuration: .seconds(30), maxIterations: 15)
    let season = Season()
    let settings = ReceptorGridSettings()

    for cores in [1, 2] {
        Benchmark("grid 1,934,208 endpoints (p75 resolved, every field), \(cores) core\(cores == 1 ? "" : "s")") { b in
            for _ in b.scaledIterations {
                guard let grid = try? await ReceptorGrid.build(trajectories: season.trajectories, values: season.values,
                                                               settings: settings, maxConcurrency: cores) else { return }
                blackHole(grid.cells())
            }
        }
    }

    // The same season as the engine's CSV (1,934,208 rows), read back.
    let csvPath = FileManager.default.temporaryDirectory.appendingPathComponent("upwind-bench-season-\(ProcessInfo.processInfo.processIdentifier).csv").path
    if (try? TrajectoryFiles.write(season.trajectories, to: csvPath, format: .csv)) != nil {
        Benchmark("read the engine CSV: 1,934,208 rows (26,496 trajectories)") { b in
            for _ in b.scaledIterations {
                guard let read = try? TrajectoryCSVReader.read(path: csvPath) else { return }
                blackHole(read)
            }
        }
    }

    var segments = settings
    segments.segments = true
    segments.maxHeight = .mixingDepth
    Benchmark("grid 1,934,208 endpoints as segments under the mixing depth, 2 cores") { b in
        for _ in b.scaledIterations {
            guard let grid = try? await ReceptorGrid.build(trajectories: season.trajectories, values: season.values,
                                                           settings: segments, maxConcurrency: 2) else { return }
            blackHole(grid.cells())
        }
    }
}
