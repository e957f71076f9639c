// Trajectory clustering (issue 11, Performance): Ward (HYSPLIT's TSV) of 10,000 back
// trajectories of 72 h (hourly: 73 endpoints, age 0 … −72) in under 20 s and 1 GB on 2 cores.
// The trajectories are generated in memory: random walks of ~15–45 km/h from one receptor at
// 34.75° N, 113.65° E, in five flow regimes (bearings 300°, 20°, 90°, 170°, 240° ± 25°) that
// turn slowly, so the set has structure to find. Peak resident memory includes the
// trajectories themselves (about 100 MB).
import Benchmark
import Foundation
import Upwind

struct Backs {
    var trajectories: [Trajectory] = []

    init(count: Int) {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> Double {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(state >> 11) / Double(1 << 53)
        }
        let regimes = [300.0, 20, 90, 170, 240]
        let t0 = UTCTime(year: 2024, month: 1, day: 1)
        trajectories.reserveCapacity(count)
        for id in 1...count {
            let arrival = t0 + Int64(id * 3600)
            var bearing = (regimes[Int(next() * Double(regimes.count)) % regimes.count] + 50 * (next() - 0.5)) * Double.pi / 180
            let turn = (next() - 0.5) * 0.03
            let speed = 15 + 30 * next()
            var lat = 34.75, lon = 113.65
            var endpoints: [TrajectoryEndpoint] = []
            endpoints.reserveCapacity(73)
            for k in 0...72 {
                endpoints.append(TrajectoryEndpoint(time: arrival + Int64(-k * 3600), ageHours: -Double(k), latitude: lat, longitude: lon,
                                                    heightAGL: 500 + 5 * Double(k), pressureHPa: 950))
                let km = speed * (0.8 + 0.4 * next())
                lat += km * cos(bearing) / 111.2
                lon += km * sin(bearing) / (111.2 * cos(lat * Double.pi / 180))
                bearing += turn + 0.02 * (next() - 0.5)
            }
            trajectories.append(Trajectory(id: id, start: TrajectoryStart(site: "ZZ", latitude: 34.75, longitude: 113.65, height: 500, time: arrival),
                                           isBackward: true, verticalMode: .data, endpoints: endpoints,
                                           termination: Termination(reason: .completed, time: arrival + Int64(-72 * 3600))))
        }
    }
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .peakMemoryResident, .mallocCountTotal],
                                           maxDuration: .seconds(120), maxIterations: 5)
    let backs = Backs(count: 10_000)
    Benchmark("Ward (TSV) of 10,000 trajectories × 73 endpoints, k auto, 2 cores") { b in
        for _ in b.scaledIterations {
            guard let r = try? await TrajectoryClustering.cluster(backs.trajectories, k: .auto, distance: .ward, maxConcurrency: 2) else { return }
            blackHole(r)
        }
    }
    let small = Array(backs.trajectories.prefix(2_000))
    Benchmark("k-medoids (great-circle) of 2,000 trajectories × 73 endpoints, k auto, 2 cores") { b in
        for _ in b.scaledIterations {
            guard let r = try? await TrajectoryClustering.cluster(small, k: .auto, distance: .greatCircle, maxConcurrency: 2) else { return }
            blackHole(r)
        }
    }
}
