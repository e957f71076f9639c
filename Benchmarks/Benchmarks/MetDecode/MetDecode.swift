// Decoding cost of met time slices: the baseline the trajectory sweep must overlap
// with integration. Data: an ERA5-legacy-like NetCDF-4 file (float, zlib level 1 with
// shuffle, one time step per chunk) written by SyntheticMet's realistic regional generator
// (seed 1): 0.25° over 25–45N, 105–125E, its 16 default pressure levels, 24 hourly steps,
// written once into a temporary folder.
import Benchmark
import Foundation
import Upwind

let nt = 24

/// The five 3-D variables the slice benchmarks decode.
let windAndMass: Set<MetRole> = [.u, .v, .w, .geopotential, .temperature]

/// Writes the benchmark file and returns its path.
func makeSeasonLikeFile() throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("upwind-bench-\(getpid())")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let field = try SyntheticMet.Field(
        model: .regional(.init(seed: 1)),
        domain: .init(south: 25, north: 45, west: 105, east: 125, resolution: 0.25),
        times: SyntheticMet.hourly(from: UTCTime(year: 2025, month: 1, day: 1), count: nt))
    guard let path = try field.write(directory: dir.path, name: "era5_like", storage: .float).first else {
        throw CocoaError(.fileWriteUnknown)
    }
    return path
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .peakMemoryResident], maxDuration: .seconds(5))
    let path: String
    do { path = try makeSeasonLikeFile() } catch {
        print("cannot create the benchmark file: \(error)")
        return
    }

    Benchmark("open dataset (coordinates only)") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try? MetDataset(paths: [path]))
        }
    }

    Benchmark("decode one time slice: u v w z t, 16 levels, 81x81") { benchmark in
        guard let met = try? MetDataset(paths: [path], cacheBudgetBytes: 0) else { return }
        var i = 0
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(try? met.slice(at: i % nt, roles: windAndMass))
            i += 1
        }
    }

    Benchmark("decode a 2x2 degree box of one slice") { benchmark in
        guard let met = try? MetDataset(paths: [path], cacheBudgetBytes: 0) else { return }
        let box = BoundingBox(south: 34, north: 36, west: 112.6, east: 114.6)
        var i = 0
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(try? met.slice(at: i % nt, roles: windAndMass, box: box))
            i += 1
        }
    }
}
