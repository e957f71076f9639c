import Foundation
import Synchronization
import UpwindCore
import UpwindMeteo

/// The twin experiment's plume model: forward Lagrangian particles that know nothing about
/// back trajectories (it is the "truth" the attribution must recover).
///
/// - **Wind** comes from the met as read back through the normal reader (`MetSource.open`, whose
///   `MetDataset` decodes u, v, geopotential, orography and boundary-layer height of each time):
///   for every met time and grid node the wind is interpolated from the pressure levels (ordered
///   bottom-up, height above ground = geopotential / g₀ − orography) to fixed heights above ground
///   (``heights``; linear in height, the lowest above-ground level's wind below it), then a
///   particle's wind is bilinear in longitude–latitude index, linear in height and linear in time.
/// - **Advection** is the explicit midpoint rule with step ``TwinExperiment/Plume/stepMinutes``.
/// - **Horizontal turbulence** is a random walk: each step adds `√(2·K·Δt)·N(0, 1)` metres east
///   and north, K = ``TwinExperiment/Plume/diffusivity`` (m² s⁻¹).
/// - **Vertical mixing**: a particle at or below the mixing depth `blh` (the met's boundary-layer
///   height, bilinear/linear like the wind) is well mixed — its height is redrawn uniformly in
///   [0, blh] every step; above it (the residual layer after the evening collapse) it keeps its
///   height and moves with the wind there, until the growing mixed layer takes it in again.
///   Fixed-height probes (decoy checks) never change height.
/// - **Removal**: mass decays as `exp(−age/τ)`, τ = ``TwinExperiment/Plume/removalHours``; a
///   particle is dropped after ``TwinExperiment/Plume/maximumAgeHours``, when it leaves the met
///   grid or at the end of the run.
/// - **Concentration** at a station at time t: `Σ mᵢ·K(dᵢ) / max(blh(station, t), 50 m)` over
///   particles below the mixing depth, with the Gaussian kernel `K(d) = exp(−d²/2σ²)/(2πσ²)` (σ =
///   ``TwinExperiment/Plume/kernelKm``, cut at 3σ), d the great-circle distance; kg m⁻³ × 10⁹ →
///   µg m⁻³. The hourly value at time T is the mean over the steps in (T − 1 h, T].
///
/// Each particle draws its random numbers from its own SplitMix64 stream, seeded from the run's
/// seed and the particle's index, so results do not depend on the number of threads.
struct TwinPlumeModel: Sendable {
    /// Heights above ground of the wind tables, m.
    static let heights: [Double] = [25, 75, 150, 250, 400, 600, 850, 1100, 1400, 1750, 2100, 2600]

    /// First met time.
    let start: UTCTime
    /// Seconds between met times.
    let stepSeconds: Double
    /// Number of met times.
    let nt: Int
    let nx: Int, ny: Int
    /// Latitude and longitude of node (0, 0) and the spacings, degrees.
    let lat0: Double, lon0: Double, dLat: Double, dLon: Double
    /// Per met time: u and v at ``heights`` ([time][height][y][x]), m s⁻¹; blh ([time][y][x]), m.
    let u: [Float], v: [Float], blh: [Float]

    /// Reads the slices of `dataset` from time `first` on (decoded in parallel, outside the
    /// dataset's cache) and builds the wind tables.
    /// - Parameters:
    ///   - dataset: the met as read back.
    ///   - first: the first time the particles need.
    /// - Throws: ``TwinExperimentError/unsuitableMet(detail:)`` when the met lacks geopotential,
    ///   orography or the boundary-layer height, is not on pressure levels, or its times are not
    ///   evenly spaced; and the reader's errors.
    init(dataset: MetDataset, from first: UTCTime) async throws {
        let times = dataset.times.filter { $0 >= first }
        let offset = dataset.times.count - times.count
        let grid = dataset.grid
        guard times.count >= 2, grid.longitudes.count >= 2, grid.latitudes.count >= 2 else {
            throw TwinExperimentError.unsuitableMet(detail: "the met needs at least 2 times from \(first.iso8601) and 2 × 2 nodes")
        }
        guard dataset.vertical.kind == .pressure else {
            throw TwinExperimentError.unsuitableMet(detail: "the plume model reads pressure-level data")
        }
        let step = Double(times[1] - times[0])
        for i in 1..<times.count where Double(times[i] - times[i - 1]) != step {
            throw TwinExperimentError.unsuitableMet(detail: "met times are not evenly spaced at \(times[i].iso8601)")
        }
        let lons = grid.longitudes, lats = grid.latitudes
        let dLon = lons[1] - lons[0], dLat = lats[1] - lats[0]
        guard lons.indices.allSatisfy({ abs(lons[$0] - (lons[0] + Double($0) * dLon)) < 1e-6 }),
              lats.indices.allSatisfy({ abs(lats[$0] - (lats[0] + Double($0) * dLat)) < 1e-6 }) else {
            throw TwinExperimentError.unsuitableMet(detail: "the plume model needs a regular latitude–longitude grid")
        }
        start = times[0]; stepSeconds = step; nt = times.count
        nx = lons.count; ny = lats.count
        lat0 = lats[0]; lon0 = lons[0]; self.dLat = dLat; self.dLon = dLon
        let plane = nx * ny, nh = TwinPlumeModel.heights.count
        let pressures = dataset.vertical.levels
        let order = pressures.indices.sorted { pressures[$0] > pressures[$1] }  // bottom-up
        let roles: Set<MetRole> = [.u, .v, .geopotential, .orography, .boundaryLayerHeight]
        // One task per met time: each fills its own part of the tables.
        let parts = try await withThrowingTaskGroup(of: (Int, [Float], [Float], [Float]).self) { group in
            var next = 0
            var out = [(Int, [Float], [Float], [Float])]()
            let width = max(1, ProcessInfo.processInfo.activeProcessorCount)
            func add() {
                let t = next
                next += 1
                group.addTask {
                    let slice = try dataset.slice(at: offset + t, roles: roles, box: nil, cached: false)
                    let (u, v, blh) = try TwinPlumeModel.tables(slice, order: order, plane: plane)
                    return (t, u, v, blh)
                }
            }
            while next < min(width, times.count) { add() }
            while let part = try await group.next() {
                out.append(part)
                if next < times.count { add() }
            }
            return out.sorted { $0.0 < $1.0 }
        }
        var u = [Float](), v = [Float](), blh = [Float]()
        u.reserveCapacity(nt * nh * plane); v.reserveCapacity(nt * nh * plane); blh.reserveCapacity(nt * plane)
        for part in parts {
            u += part.1; v += part.2; blh += part.3
        }
        self.u = u; self.v = v; self.blh = blh
    }

    /// The wind at ``heights`` and the mixing depth of one slice; `order` lists the file's level
    /// indices bottom-up.
    static func tables(_ s: MetSlice, order: [Int], plane: Int) throws -> ([Float], [Float], [Float]) {
        guard let su = s.fields[.u]?.values, let sv = s.fields[.v]?.values, let phi = s.fields[.geopotential]?.values,
              let terrain = s.fields[.orography]?.values, let mixing = s.fields[.boundaryLayerHeight]?.values,
              su.count == order.count * plane, sv.count == su.count, phi.count == su.count, terrain.count == plane, mixing.count == plane else {
            throw TwinExperimentError.unsuitableMet(detail: "the plume model needs u, v, geopotential, orography and boundary-layer height on one grid at \(s.time.iso8601)")
        }
        let nz = order.count, nh = heights.count
        var u = [Float](repeating: 0, count: nh * plane), v = u
        var agl = [Double](repeating: 0, count: nz)
        for n in 0..<plane {
            let ground = Double(terrain[n])
            for k in 0..<nz { agl[k] = Double(phi[order[k] * plane + n]) / Earth.gravity - ground }
            // The lowest level above ground.
            var low = 0
            while low < nz - 1 && agl[low] <= 0 { low += 1 }
            var k = low
            for (h, z) in heights.enumerated() {
                while k < nz - 1 && agl[k] < z { k += 1 }
                let a = order[k] * plane + n
                if k == low || agl[k] < z {
                    u[h * plane + n] = su[a]
                    v[h * plane + n] = sv[a]
                } else {
                    let b = order[k - 1] * plane + n
                    let w = Float((z - agl[k - 1]) / (agl[k] - agl[k - 1]))
                    u[h * plane + n] = su[b] + w * (su[a] - su[b])
                    v[h * plane + n] = sv[b] + w * (sv[a] - sv[b])
                }
            }
        }
        return (u, v, mixing)
    }

    // MARK: - Sampling

    /// Fractional grid index of a point (nil outside the grid).
    @inline(__always) func index(latitude: Double, longitude: Double) -> (x: Double, y: Double)? {
        let x = (longitude - lon0) / dLon, y = (latitude - lat0) / dLat
        guard x >= 0, y >= 0, x <= Double(nx - 1), y <= Double(ny - 1) else { return nil }
        return (x, y)
    }

    /// Time index and weight of `seconds` after ``start`` (nil outside the met).
    @inline(__always) func timeIndex(_ seconds: Double) -> (Int, Double)? {
        let f = seconds / stepSeconds
        guard f >= 0, f <= Double(nt - 1) else { return nil }
        let i = min(Int(f), nt - 2)
        return (i, f - Double(i))
    }

    /// Bilinear value of a 2-D field stored at `offset` in `values`.
    @inline(__always) func bilinear(_ values: [Float], _ offset: Int, _ x: Double, _ y: Double) -> Double {
        let i = min(Int(x), nx - 2), j = min(Int(y), ny - 2)
        let fx = x - Double(i), fy = y - Double(j)
        let o = offset + j * nx + i
        let a = Double(values[o]), b = Double(values[o + 1]), c = Double(values[o + nx]), d = Double(values[o + nx + 1])
        return (a * (1 - fx) + b * fx) * (1 - fy) + (c * (1 - fx) + d * fx) * fy
    }

    /// Mixing depth at a point and time, m.
    func mixingDepth(x: Double, y: Double, time: (Int, Double)) -> Double {
        let plane = nx * ny
        let a = bilinear(blh, time.0 * plane, x, y), b = bilinear(blh, (time.0 + 1) * plane, x, y)
        return a + (b - a) * time.1
    }

    /// Wind (east, north) at a point, height above ground and time, m s⁻¹.
    func wind(x: Double, y: Double, z: Double, time: (Int, Double)) -> (Double, Double) {
        let hs = TwinPlumeModel.heights
        var k = 0
        while k < hs.count - 2 && hs[k + 1] < z { k += 1 }
        let wz = min(max((z - hs[k]) / (hs[k + 1] - hs[k]), 0), 1)
        let plane = nx * ny, nh = hs.count
        var ue = 0.0, vn = 0.0
        for t in 0..<2 {
            let wt = t == 0 ? 1 - time.1 : time.1
            guard wt > 0 else { continue }
            let base = ((time.0 + t) * nh + k) * plane
            let u0 = bilinear(u, base, x, y), u1 = bilinear(u, base + plane, x, y)
            let v0 = bilinear(v, base, x, y), v1 = bilinear(v, base + plane, x, y)
            ue += wt * (u0 + (u1 - u0) * wz)
            vn += wt * (v0 + (v1 - v0) * wz)
        }
        return (ue, vn)
    }

    // MARK: - Particles

    /// One released particle.
    struct Particle: Sendable {
        /// Release position, degrees.
        var latitude: Double, longitude: Double
        /// Release time, seconds after the model's ``start``.
        var releaseSeconds: Double
        /// Mass at release, kg.
        var mass: Double
        /// A fixed height above ground (m) for probes; nil: well mixed in the boundary layer.
        var fixedHeight: Double?
    }

    /// A receptor the particles are sampled at.
    struct Receptor: Sendable {
        var latitude: Double, longitude: Double
    }

    /// Receptors with their lookup lattice (built once, shared by every run).
    struct Receptors: Sendable {
        let points: [Receptor]
        let index: ReceptorIndex
        /// The distance the lattice finds receptors within, km.
        let searchKm: Double

        init(_ points: [Receptor], searchKm: Double) {
            self.points = points
            self.searchKm = searchKm
            index = ReceptorIndex(receptors: points, searchKm: searchKm)
        }
    }

    /// Settings of one run.
    struct RunSettings: Sendable {
        var stepSeconds: Double
        var diffusivity: Double
        var kernelMetres: Double
        var removalSeconds: Double
        var maximumAgeSeconds: Double
        /// Particles are followed until this time, seconds after ``start``.
        var endSeconds: Double
        /// Seed of the per-particle streams.
        var seed: UInt64
    }

    /// What a run gives.
    struct Output: Sendable {
        /// Hourly mean concentration per receptor, µg m⁻³, `[receptor][hour]`, hour h the mean over (h−1 h, h] after `firstHourSeconds`.
        var concentration: [[Double]]
        /// Closest approach of any particle to each receptor, km (∞ when none came within the search distance).
        var closestKm: [Double]
        /// Particle-steps integrated.
        var steps: Int
        /// With `recordHits`: per particle and receptor, the particle's age when it first came
        /// within the near distance of the receptor, s (∞: never).
        var hits: [[Double]] = []
    }

    /// Follows `particles` and samples them at `receptors`.
    /// - Parameters:
    ///   - firstHourSeconds: the time of hourly value 0, seconds after ``start``.
    ///   - hours: the number of hourly values.
    ///   - nearKm: a closest approach below this is recorded in ``Output/closestKm``.
    ///   - stopWhenNear: stop the whole run (early) once any particle comes within `nearKm` of a receptor.
    ///   - recordHits: fill ``Output/hits``.
    func run(_ particles: [Particle], receptors set: Receptors, firstHourSeconds: Double, hours: Int, settings: RunSettings,
             nearKm: Double = 0, stopWhenNear: Bool = false, recordHits: Bool = false) async -> Output {
        let chunk = 256
        let chunks = (particles.count + chunk - 1) / chunk
        let needed = max(3 * settings.kernelMetres / 1000, nearKm)
        let index = needed <= set.searchKm ? set.index : ReceptorIndex(receptors: set.points, searchKm: needed)
        let receptors = set.points
        let stop = StopFlag()
        let results = await withTaskGroup(of: (Int, Output).self) { group in
            var next = 0
            var out: [(Int, Output)] = []
            let width = max(1, ProcessInfo.processInfo.activeProcessorCount)
            func add() {
                let c = next
                next += 1
                let range = c * chunk ..< min(particles.count, (c + 1) * chunk)
                group.addTask {
                    (c, self.follow(particles, range: range, receptors: receptors, nearby: index, firstHourSeconds: firstHourSeconds,
                                    hours: hours, settings: settings, nearKm: nearKm, stop: stopWhenNear ? stop : nil, recordHits: recordHits))
                }
            }
            while next < min(width, chunks) { add() }
            while let part = await group.next() {
                out.append(part)
                if next < chunks { add() }
            }
            return out.sorted { $0.0 < $1.0 }.map(\.1)
        }
        var total = Output(concentration: Array(repeating: Array(repeating: 0, count: hours), count: receptors.count),
                           closestKm: Array(repeating: .infinity, count: receptors.count), steps: 0)
        for part in results {
            for r in receptors.indices {
                for h in 0..<hours { total.concentration[r][h] += part.concentration[r][h] }
                total.closestKm[r] = min(total.closestKm[r], part.closestKm[r])
            }
            total.steps += part.steps
            total.hits += part.hits
        }
        return total
    }

    /// Set once any particle of a run came near a receptor (early stop of decoy checks).
    final class StopFlag: Sendable {
        private let flag = Mutex(false)
        var isSet: Bool { flag.withLock { $0 } }
        func set() { flag.withLock { $0 = true } }
    }

    /// The receptors within the search distance of each cell of a 0.1° lattice over the
    /// receptors' box widened by that distance.
    struct ReceptorIndex: Sendable {
        let south: Double, west: Double, rows: Int, columns: Int
        let cells: [[Int]]
        static let cell = 0.1

        init(receptors: [Receptor], searchKm: Double) {
            guard let s0 = receptors.map(\.latitude).min(), let n0 = receptors.map(\.latitude).max(),
                  let w0 = receptors.map(\.longitude).min(), let e0 = receptors.map(\.longitude).max() else {
                south = 0; west = 0; rows = 0; columns = 0; cells = []
                return
            }
            let padLat = searchKm / 111.195 + ReceptorIndex.cell
            let padLon = searchKm / (111.195 * max(cos((max(abs(s0), abs(n0)) + padLat) * .pi / 180), 0.05)) + ReceptorIndex.cell
            south = s0 - padLat; west = w0 - padLon
            rows = Int(((n0 + padLat - south) / ReceptorIndex.cell).rounded(.up))
            columns = Int(((e0 + padLon - west) / ReceptorIndex.cell).rounded(.up))
            // Half the cell's diagonal, km (a degree of longitude is never longer than one of latitude).
            let halfDiagonal = ReceptorIndex.cell * 111.195 * 0.5 * 2.0.squareRoot()
            var cells = Array(repeating: [Int](), count: rows * columns)
            for r in 0..<rows {
                for c in 0..<columns {
                    let lat = south + (Double(r) + 0.5) * ReceptorIndex.cell, lon = west + (Double(c) + 0.5) * ReceptorIndex.cell
                    for (k, p) in receptors.enumerated()
                    where Geodesy.distance(latitude1: lat, longitude1: lon, latitude2: p.latitude, longitude2: p.longitude) / 1000 <= searchKm + halfDiagonal {
                        cells[r * columns + c].append(k)
                    }
                }
            }
            self.cells = cells
        }

        /// The receptors that may lie within the search distance of a point.
        @inline(__always) func candidates(latitude: Double, longitude: Double) -> [Int]? {
            let r = Int(((latitude - south) / ReceptorIndex.cell).rounded(.down)), c = Int(((longitude - west) / ReceptorIndex.cell).rounded(.down))
            guard r >= 0, c >= 0, r < rows, c < columns else { return nil }
            let list = cells[r * columns + c]
            return list.isEmpty ? nil : list
        }
    }

    /// Follows the particles `range` one after another (each its whole life).
    func follow(_ particles: [Particle], range: Range<Int>, receptors: [Receptor], nearby: ReceptorIndex, firstHourSeconds: Double,
                hours: Int, settings: RunSettings, nearKm: Double, stop: StopFlag?, recordHits: Bool) -> Output {
        var out = Output(concentration: Array(repeating: Array(repeating: 0, count: hours), count: receptors.count),
                         closestKm: Array(repeating: .infinity, count: receptors.count), steps: 0)
        let dt = settings.stepSeconds
        let walk = (2 * settings.diffusivity * dt).squareRoot()
        let perHour = 3600 / dt
        let sigma = settings.kernelMetres
        let cutoff2 = 9 * sigma * sigma
        let norm = 1 / (2 * Double.pi * sigma * sigma)
        let degreesPerMetre = 180 / (Double.pi * Earth.radius)
        if recordHits { out.hits = Array(repeating: Array(repeating: .infinity, count: receptors.count), count: range.count) }
        for p in range {
            if let stop, stop.isSet { break }
            let particle = particles[p]
            var rng = SyntheticMet.SplitMix64(seed: TwinRandom.mix(settings.seed, UInt64(p)))
            var lat = particle.latitude, lon = particle.longitude
            var t = particle.releaseSeconds
            let end = min(settings.endSeconds, particle.releaseSeconds + settings.maximumAgeSeconds)
            guard let ti0 = timeIndex(t), let xy0 = index(latitude: lat, longitude: lon) else { continue }
            var z = particle.fixedHeight ?? rng.nextUnit() * mixingDepth(x: xy0.x, y: xy0.y, time: ti0)
            while t + dt <= end {
                // Midpoint rule for the mean wind.
                guard let ta = timeIndex(t), let a = index(latitude: lat, longitude: lon) else { break }
                let w1 = wind(x: a.x, y: a.y, z: z, time: ta)
                let cosA = cos(lat * .pi / 180)
                let midLat = lat + 0.5 * dt * w1.1 * degreesPerMetre
                let midLon = lon + 0.5 * dt * w1.0 * degreesPerMetre / max(cosA, 0.01)
                guard let tm = timeIndex(t + 0.5 * dt), let m = index(latitude: midLat, longitude: midLon) else { break }
                let w2 = wind(x: m.x, y: m.y, z: z, time: tm)
                let cosM = cos(midLat * .pi / 180)
                let east = dt * w2.0 + walk * rng.gaussian(), north = dt * w2.1 + walk * rng.gaussian()
                lat += north * degreesPerMetre
                lon += east * degreesPerMetre / max(cosM, 0.01)
                t += dt
                out.steps += 1
                if let stop, out.steps & 15 == 0, stop.isSet { break }
                guard let tb = timeIndex(t), let b = index(latitude: lat, longitude: lon) else { break }
                let mixing = mixingDepth(x: b.x, y: b.y, time: tb)
                if particle.fixedHeight == nil, z <= mixing { z = rng.nextUnit() * mixing }
                // Sampling at the receptors.
                guard let near = nearby.candidates(latitude: lat, longitude: lon) else { continue }
                let hourPosition = (t - firstHourSeconds) / 3600
                let hour = Int(hourPosition.rounded(.up))
                let mass = particle.mass * exp(-(t - particle.releaseSeconds) / settings.removalSeconds)
                for r in near {
                    let d = Geodesy.distance(latitude1: lat, longitude1: lon, latitude2: receptors[r].latitude, longitude2: receptors[r].longitude)
                    if d / 1000 < out.closestKm[r] { out.closestKm[r] = d / 1000 }
                    if d / 1000 < nearKm {
                        if let stop { stop.set() }
                        if recordHits, out.hits[p - range.lowerBound][r] == .infinity {
                            out.hits[p - range.lowerBound][r] = t - particle.releaseSeconds
                        }
                    }
                    guard hour >= 0, hour < hours, d * d < cutoff2, particle.fixedHeight == nil, z <= mixing else { continue }
                    guard let rx = self.index(latitude: receptors[r].latitude, longitude: receptors[r].longitude) else { continue }
                    let receptorMixing = max(mixingDepth(x: rx.x, y: rx.y, time: tb), 50)
                    out.concentration[r][hour] += mass * norm * exp(-d * d / (2 * sigma * sigma)) / receptorMixing * 1e9 / perHour
                }
            }
        }
        return out
    }
}

/// Seed mixing for the twin's independent random streams.
enum TwinRandom {
    /// A seed for stream `label` of run `seed` (one SplitMix64 output of their combination).
    static func mix(_ seed: UInt64, _ label: UInt64) -> UInt64 {
        var g = SyntheticMet.SplitMix64(seed: seed &* 0x9E37_79B9_7F4A_7C15 ^ label &* 0xD1B5_4A32_D192_ED03)
        return g.next()
    }

    /// A seed for the named stream of run `seed` (FNV-1a of the name).
    static func mix(_ seed: UInt64, _ name: String) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in name.utf8 { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        return mix(seed, h)
    }
}

extension SyntheticMet.SplitMix64 {
    /// A standard normal draw (Box–Muller, cosine branch, from two ``nextUnit()`` draws).
    mutating func gaussian() -> Double {
        let u1 = 1 - nextUnit(), u2 = nextUnit()
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }
}
