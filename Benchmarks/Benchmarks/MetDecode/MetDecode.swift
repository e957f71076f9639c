// Decoding cost of met time slices: the baseline the trajectory sweep must overlap
// with integration. Data: an ERA5-legacy-like NetCDF-4 file (float, zlib level 1 with
// shuffle, one time step per chunk), 0.25° over 25–45N, 105–125E, 16 pressure levels,
// 24 hourly steps, written once into a temporary folder.
import Benchmark
import Foundation
import Upwind

let levels: [Int32] = [100, 150, 200, 250, 300, 400, 500, 600, 700, 750, 800, 850, 900, 925, 950, 1000]
let nx = 81, ny = 81, nt = 24

/// Writes the benchmark file and returns its path.
func makeSeasonLikeFile() throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("upwind-bench-\(getpid())")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let path = dir.appendingPathComponent("era5_like.nc").path
    let file = try NetCDFFile.create(path, format: .netcdf4, overwrite: true)
    let g = file.root
    let dt = try g.defineDimension("time", length: nil)
    let dz = try g.defineDimension("level", length: levels.count)
    let dy = try g.defineDimension("latitude", length: ny)
    let dx = try g.defineDimension("longitude", length: nx)
    let lon = try g.defineVariable("longitude", type: .float, dimensions: [dx])
    try lon.setAttribute("units", .text("degrees_east"))
    let lat = try g.defineVariable("latitude", type: .float, dimensions: [dy])
    try lat.setAttribute("units", .text("degrees_north"))
    let lev = try g.defineVariable("level", type: .int, dimensions: [dz])
    try lev.setAttribute("units", .text("millibars"))
    let time = try g.defineVariable("time", type: .int, dimensions: [dt])
    try time.setAttribute("units", .text("hours since 1900-01-01 00:00:00.0"))
    try time.setAttribute("calendar", .text("gregorian"))
    let names = ["u": "m s**-1", "v": "m s**-1", "w": "Pa s**-1", "z": "m**2 s**-2", "t": "K"]
    var vars: [NetCDFVariable] = []
    for (name, units) in names.sorted(by: { $0.key < $1.key }) {
        let v = try g.defineVariable(name, type: .float, dimensions: [dt, dz, dy, dx],
                                     chunking: [1, levels.count, ny, nx], deflateLevel: 1, shuffle: true)
        try v.setAttribute("units", .text(units))
        vars.append(v)
    }
    try lon.write((0..<nx).map { 105 + Float($0) * 0.25 })
    try lat.write((0..<ny).map { 45 - Float($0) * 0.25 })
    try lev.write(levels)
    try time.write((0..<nt).map { Int32(1_096_392 + $0) }, start: [0], count: [nt])
    var rng = SystemRandomNumberGenerator()
    for v in vars {
        for t in 0..<nt {
            let block = (0..<(levels.count * ny * nx)).map { _ in Float.random(in: -20...20, using: &rng) }
            try v.write(block, start: [t, 0, 0, 0], count: [1, levels.count, ny, nx])
        }
    }
    try file.close()
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
            blackHole(try? met.slice(at: i % nt))
            i += 1
        }
    }

    Benchmark("decode a 2x2 degree box of one slice") { benchmark in
        guard let met = try? MetDataset(paths: [path], cacheBudgetBytes: 0) else { return }
        let box = BoundingBox(south: 34, north: 36, west: 112.6, east: 114.6)
        var i = 0
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(try? met.slice(at: i % nt, box: box))
            i += 1
        }
    }
}
