import Synchronization
import UpwindCore

/// A ``MetDataset`` seen by the trajectory engine as a `WindField`: levels reordered
/// bottom-up, geopotential turned into heights, w (m s⁻¹) turned into ω (Pa s⁻¹) with
/// ω = −ρ g w, ρ = p/(R_d T) (see the *Vertical motion* article in Upwind's documentation), and the last few converted slices cached.
public final class MetWindField: WindField {
    /// The dataset read.
    public let dataset: MetDataset
    public let grid: any HorizontalGrid
    public let levels: VerticalLevels
    public let times: [UTCTime]
    public let modelID: String?
    /// The dataset as one met grid (its first file, first time and ``modelID``) for outputs.
    public let provenance: MetProvenance?
    /// File level index of each engine level (bottom-up).
    let order: [Int]
    let cache = Mutex<[Int: GridSlice]>([:])

    /// Opens `paths` (files or glob patterns) as one CF NetCDF dataset and wraps it, as
    /// `MetWindField(MetDataset(paths:mapping:))` does (`MetSource.open(_:mapping:)` also tells
    /// ARL from NetCDF).
    /// - Throws: what `MetDataset(paths:mapping:)` and ``init(_:modelID:)`` throw.
    public convenience init(paths: [String], mapping: MetVariableMapping = MetVariableMapping(), modelID: String? = nil) throws {
        try self.init(try MetDataset(paths: paths, mapping: mapping), modelID: modelID)
    }

    /// Wraps `dataset`; `modelID` names the met model in outputs (e.g. `ERA5`).
    /// - Throws: ``MetError/unsupportedGrid(path:detail:)`` for vertical coordinates the engine
    ///   cannot use yet (sigma/hybrid CF levels).
    public init(_ dataset: MetDataset, modelID: String? = nil) throws {
        self.dataset = dataset
        grid = dataset.horizontalGrid
        times = dataset.times
        self.modelID = modelID
        provenance = MetProvenance(format: "NetCDF", grids: dataset.times.first.map {
            [MetProvenance.Grid(path: dataset.paths.first, modelID: modelID, firstTime: $0)]
        } ?? [])
        let lv = dataset.vertical.levels
        switch dataset.vertical.kind {
        case .pressure:
            order = lv.indices.sorted { lv[$0] > lv[$1] }
            levels = .pressure(order.map { lv[$0] })
        case .surface:
            order = [0]
            levels = .single
        case .sigma:
            // σ decreases upward.
            order = lv.indices.sorted { lv[$0] > lv[$1] }
            levels = .sigma(order.map { lv[$0] }, topPressure: dataset.sigmaTopPressure ?? 0)
        case .hybrid:
            guard let (a, b) = dataset.hybridCoefficients, a.count == lv.count, b.count == lv.count else {
                throw MetError.unsupportedGrid(path: dataset.paths.first ?? "", detail: "trajectories on hybrid levels need their a and b coefficients (CF standard_name atmosphere_hybrid_sigma_pressure_coordinate with formula_terms 'ap: … b: … ps: …' or 'a: … b: … ps: … p0: …'): add them or use pressure-level data")
            }
            // Bottom-up: decreasing pressure at a standard surface pressure.
            let reference = lv.indices.map { a[$0] + b[$0] * 1013.25 }
            order = lv.indices.sorted { reference[$0] > reference[$1] }
            levels = .hybrid(a: order.map { a[$0] }, b: order.map { b[$0] })
        case .height:
            throw MetError.unsupportedGrid(path: dataset.paths.first ?? "", detail: "trajectories on height levels are not supported yet: use pressure, sigma or hybrid-level data")
        }
    }

    /// The engine's slice at time index `index`: only the fields the engine reads are decoded
    /// (u, v, w, height, temperature, relative humidity, surface pressure, terrain, mixing
    /// depth), levels placed bottom-up while decoding; the last few slices are cached.
    /// - Throws: ``MetError/timeIndexOutOfRange(index:count:)``, ``MetError/windMismatch(detail:)``
    ///   when the wind is missing at that time, or a read error naming the file and variable.
    public func slice(at index: Int) throws -> GridSlice {
        if let hit = cache.withLock({ $0[index] }) { return hit }
        // The engine's sweep keeps the slices it needs; the dataset's LRU would only duplicate them.
        let ef = try dataset.engineFields(at: index, levelOrder: order)
        let nx = ef.nx, ny = ef.ny, nz = order.count
        let plane = nx * ny
        guard let u = ef.fields[.u]?.values, let v = ef.fields[.v]?.values else {
            throw MetError.windMismatch(detail: "no wind at \(ef.time.iso8601)")
        }
        let temperature = ef.fields[.temperature]?.values
        let surfacePressure = ef.fields[.surfacePressure]?.values
        var omega = ef.fields[.w]?.values
        if var w = omega, ef.verticalVelocity == .w, levels != .single {
            for k in 0..<nz {
                for n in 0..<plane {
                    let i = k * plane + n
                    let pk = MetWindField.pressure(levels, k: k, surface: surfacePressure.map { Double($0[n]) } ?? 1013.25)
                    let t = temperature.map { Double($0[i]) } ?? StandardAtmosphere.temperature(height: StandardAtmosphere.height(pressure: pk))
                    let rho = pk * 100 / (Earth.dryAirGasConstant * t)
                    w[i] = Float(-rho * Earth.gravity * Double(w[i]))
                }
            }
            omega = w
        }
        // One initializer: every setter would rebuild the storage and its unmanaged copies.
        let s = GridSlice(time: ef.time, nx: nx, ny: ny, nz: nz, u: u, v: v, omega: omega,
                          height: ef.fields[.geopotentialHeight]?.values, temperature: temperature,
                          relativeHumidity: ef.fields[.relativeHumidity]?.values, surfacePressure: surfacePressure,
                          terrain: ef.fields[.orography]?.values, mixingDepth: ef.fields[.boundaryLayerHeight]?.values)
        cache.withLock { c in
            if c.count >= 6 { c.removeAll() }
            c[index] = s
        }
        return s
    }

    /// Pressure (hPa) of level `k` (bottom-up) over a surface pressure `surface` (hPa).
    static func pressure(_ levels: VerticalLevels, k: Int, surface: Double) -> Double {
        switch levels {
        case .pressure(let p): return p[k]
        case .sigma(let s, let top): return top + s[k] * (surface - top)
        case .hybrid(let a, let b): return a[k] + b[k] * surface
        case .single: return surface
        }
    }
}

/// A projected grid whose data winds are eastward/northward (earth-relative) rather than
/// along the grid axes: every `HorizontalGrid` requirement is the wrapped grid's except
/// ``windAxes(i:j:)``, which gives east and north.
public struct EarthRelativeWindGrid: HorizontalGrid {
    /// The wrapped grid.
    public let base: any HorizontalGrid

    /// Wraps `base`.
    public init(_ base: any HorizontalGrid) { self.base = base }

    public var nx: Int { base.nx }
    public var ny: Int { base.ny }
    public var wrapsX: Bool { base.wrapsX }
    public func index(latitude: Double, longitude: Double) -> (x: Double, y: Double) { base.index(latitude: latitude, longitude: longitude) }
    public func location(i: Int, j: Int) -> (latitude: Double, longitude: Double) { base.location(i: i, j: j) }
    public func windAxes(i: Int, j: Int) -> (u: Vec3, v: Vec3) {
        let p = base.location(i: i, j: j)
        let en = Geodesy.eastNorth(latitude: p.latitude, longitude: p.longitude)
        return (en.east, en.north)
    }
    public func spacing(x: Double, y: Double) -> Double { base.spacing(x: x, y: y) }
    public func acrossPole(i: Int, j: Int) -> (i: Int, j: Int)? { base.acrossPole(i: i, j: j) }
}
