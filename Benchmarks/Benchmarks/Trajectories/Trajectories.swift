// Trajectory workloads (issue "Season-scale batches"): integration from memory.
//
// Workload A: 10,000 backward 72-h trajectories from seeded random starts at least 5°
// inside the domain at the last time, RK4 with a fixed 10-minute step, a single-level
// field at 0.25° over 0–60N, 70–140E, 3-hourly for 10 days.
// Workload A3: the same starts on 16 pressure levels with Heun and the TRATIO rule (1,000
// trajectories), for the 3-D rate per core.
import Benchmark
import Upwind

/// SplitMix64: the same starts on every platform.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

let t0 = UTCTime(year: 2024, month: 1, day: 1)

/// A smooth travelling-wave flow on a 0.25° regional grid.
func field(levels: [Double]) -> InMemoryWindField {
    let lons = stride(from: 70.0, through: 140.0 + 1e-9, by: 0.25).map { $0 }
    let lats = stride(from: 0.0, through: 60.0 + 1e-9, by: 0.25).map { $0 }
    let grid = LatLonGrid(longitudes: lons, latitudes: lats, isGlobal: false)
    let nx = lons.count, ny = lats.count, nz = max(levels.count, 1)
    var slices: [GridSlice] = []
    for step in 0...80 {
        let t = Double(step * 3 * 3600)
        var u = [Float](repeating: 0, count: nx * ny * nz), v = u, w = u, z = u, temp = u
        for k in 0..<nz {
            let p = levels.isEmpty ? 850 : levels[k]
            for j in 0..<ny {
                let lat = lats[j] * Double.pi / 180
                for i in 0..<nx {
                    let phase = 3 * (lons[i] * Double.pi / 180) - 1.0e-5 * t
                    let n = (k * ny + j) * nx + i
                    u[n] = Float(8 + 0.02 * (1000 - p) + 6 * Math.sin(phase) * Math.cos(lat))
                    v[n] = Float(4 * Math.cos(phase))
                    w[n] = Float(0.05 * Math.sin(phase + lat))
                    z[n] = Float(StandardAtmosphere.height(pressure: p))
                    temp[n] = Float(StandardAtmosphere.temperature(height: StandardAtmosphere.height(pressure: p)))
                }
            }
        }
        var s = GridSlice(time: t0 + Int64(t), nx: nx, ny: ny, nz: nz, u: u, v: v)
        if !levels.isEmpty {
            s.omega = w; s.height = z; s.temperature = temp
            s.surfacePressure = [Float](repeating: 1013.25, count: nx * ny)
            s.terrain = [Float](repeating: 0, count: nx * ny)
        }
        slices.append(s)
    }
    return InMemoryWindField(grid: grid, levels: levels.isEmpty ? .single : .pressure(levels), slices: slices)
}

func starts(_ n: Int) -> [TrajectoryStart] {
    var rng = SplitMix64(state: 42)
    let last = t0 + Int64(80 * 3 * 3600)
    return (0..<n).map { k in
        TrajectoryStart(site: "S\(k)", latitude: Double.random(in: 5...55, using: &rng), longitude: Double.random(in: 75...135, using: &rng),
                        height: 500, time: last)
    }
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .peakMemoryResident], maxDuration: .seconds(20), maxIterations: 10)
    let flat = field(levels: [])
    let starts10k = starts(10_000)

    Benchmark("A: 10,000 x 72 h backward, RK4 fixed 10 min, single level 0.25 deg") { benchmark in
        guard let engine = try? TrajectoryEngine(field: flat, options: TrajectoryOptions(hours: -72, verticalMode: .isobaric, integrator: .rk4, fixedStepMinutes: 10)) else { return }
        benchmark.startMeasurement()
        var n = 0
        _ = try? await engine.sweep(starts10k, maxConcurrency: 2) { _ in n += 1 }
        blackHole(n)
    }

    let levels: [Double] = [1000, 975, 950, 925, 900, 850, 800, 700, 600, 500, 400, 300, 250, 200, 150, 100]
    let deep = field(levels: levels)
    let starts1k = Array(starts10k.prefix(1_000))
    Benchmark("A3: 1,000 x 72 h backward, Heun TRATIO, 16 levels, omega") { benchmark in
        guard let engine = try? TrajectoryEngine(field: deep, options: TrajectoryOptions(hours: -72)) else { return }
        benchmark.startMeasurement()
        var n = 0
        _ = try? await engine.sweep(starts1k, maxConcurrency: 2) { _ in n += 1 }
        blackHole(n)
    }
}
