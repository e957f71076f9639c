// Region statistics (issue 11, Performance): 27,400 synthetic back trajectories of 72 h
// (73 hourly endpoints each, 2,000,200 endpoints; 1,972,800 counted, age 0 excluded) wandering
// over Henan from its 18 prefecture cities, values 5–200, against the 157 real Henan counties
// (Fixtures/regions/henan-counties.geojson, found from this file's path). Statistics include the
// area-weighted PSCF/WPSCF/CWT/WCWT over the 0.5° receptor grid of the same trajectories (the
// grid itself is built once, outside the timing) and the home view against China's provinces
// with Henan (410000) as home.
import Benchmark
import Foundation
import Upwind

/// `Fixtures/RELATIVE` of the root package, found by walking up from this source file.
func fixture(_ relative: String) -> String {
    var url = URL(fileURLWithPath: #filePath)
    while url.path != "/" {
        url.deleteLastPathComponent()
        let candidate = url.appendingPathComponent("Fixtures").appendingPathComponent(relative)
        if FileManager.default.fileExists(atPath: candidate.path) { return candidate.path }
    }
    return "Fixtures/" + relative
}

struct HenanSeason {
    var trajectories: [Trajectory] = []
    var values: [Double] = []

    init(count: Int = 27_400) {
        // Henan's prefecture cities (approximate centres, latitude, longitude).
        let cities: [(Double, Double)] = [(34.75, 113.63), (34.80, 114.31), (34.62, 112.45), (33.77, 113.19), (36.10, 114.39),
                                          (35.75, 114.30), (35.30, 113.93), (35.22, 113.24), (35.76, 115.03), (34.04, 113.85),
                                          (33.58, 114.02), (34.77, 111.20), (33.00, 112.53), (34.41, 115.66), (32.13, 114.07),
                                          (33.63, 114.65), (32.98, 114.02), (35.07, 112.60)]
        var rng = SplitMix64(seed: 2024)
        let first = UTCTime(year: 2024, month: 11, day: 1)
        for id in 1...count {
            let (lat0, lon0) = cities[id % cities.count]
            let t0 = first + Int64((id / 18) * 3600)
            var lat = lat0, lon = lon0
            // A wind regime per trajectory (a mean step, degrees per hour) plus a random walk.
            let dlat = rng.uniform(-0.06, 0.06), dlon = rng.uniform(-0.08, 0.08)
            var endpoints: [TrajectoryEndpoint] = []
            endpoints.reserveCapacity(73)
            for k in 0...72 {
                endpoints.append(TrajectoryEndpoint(time: t0 + Int64(-k * 3600), ageHours: -Double(k), latitude: lat, longitude: lon,
                                                    heightAGL: 100 + 10 * Double(k), pressureHPa: 950))
                lat += dlat + rng.uniform(-0.03, 0.03)
                lon += dlon + rng.uniform(-0.03, 0.03)
            }
            let start = TrajectoryStart(site: "C\(id % cities.count)", latitude: lat0, longitude: lon0, height: 100, time: t0)
            trajectories.append(Trajectory(id: id, start: start, isBackward: true, verticalMode: .data, endpoints: endpoints,
                                           termination: Termination(reason: .completed, time: t0 + Int64(-72 * 3600))))
            values.append(rng.uniform(5, 200))
        }
    }
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .mallocCountTotal, .peakMemoryResident],
                                           maxDuration: .seconds(40), maxIterations: 10)
    let season = HenanSeason()
    let settings = ReceptorGridSettings()
    guard let counties = try? RegionFile.read(path: fixture("regions/henan-counties.geojson")), let index = try? counties.index(),
          let provinces = try? RegionFile.read(path: fixture("regions/china-provinces.geojson")), let provinceIndex = try? provinces.index(),
          let criterion = try? settings.resolveCriterion(trajectories: season.trajectories, values: season.values),
          var grid = try? ReceptorGrid(settings: settings, criterionValue: criterion) else {
        print("Regions benchmark: cannot read the region fixtures or resolve the criterion")
        return
    }
    for (t, v) in zip(season.trajectories, season.values) { try? grid.add(trajectory: t, value: v) }
    let cells = grid.cells()
    let home = RegionHome(index: provinceIndex, id: "410000")

    Benchmark("index the 157 Henan counties") { b in
        for _ in b.scaledIterations { blackHole(try? counties.index()) }
    }

    Benchmark("locate 2,000,200 endpoints in the 157 counties, 1 core") { b in
        for _ in b.scaledIterations {
            var found = 0
            for t in season.trajectories {
                for e in t.endpoints where index.locate(latitude: e.latitude, longitude: e.longitude) != nil { found += 1 }
            }
            blackHole(found)
        }
    }

    for cores in [1, 2] {
        Benchmark("region statistics, 2,000,200 endpoints × 157 counties (+ grid scores, home view), \(cores) core\(cores == 1 ? "" : "s")") { b in
            for _ in b.scaledIterations {
                blackHole(try? await RegionAttribution.compute(trajectories: season.trajectories, values: season.values, settings: settings,
                                                               criterionValue: criterion, regions: index, cells: cells, home: home,
                                                               maxConcurrency: cores))
            }
        }
    }

    for score in [RegionScore.pollutedShare, .wcwt] {
        Benchmark("region statistics + bootstrap 200 by \(score.rawValue), 2,000,200 endpoints × 157 counties, 2 cores") { b in
            for _ in b.scaledIterations {
                blackHole(try? await RegionAttribution.compute(trajectories: season.trajectories, values: season.values, settings: settings,
                                                               criterionValue: criterion, regions: index, cells: cells, home: home,
                                                               rankBy: score, resamples: 200, seed: 1, maxConcurrency: 2))
            }
        }
    }
}
