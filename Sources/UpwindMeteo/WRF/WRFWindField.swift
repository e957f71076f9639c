import Synchronization
import UpwindCore

/// A ``WRFDataset`` seen by the trajectory engine: earth-relative winds on the dataset's grid
/// (a moving nest's slices placed at their offsets in the union of its positions, missing
/// elsewhere), levels bottom-up labelled by η (σ levels) with every node's `P + PB` as its level
/// pressures (`GridSlice/pressure`), heights from `(PH + PHB)/g`, w (m s⁻¹) turned into
/// ω = −ρ g w with ρ = p/(R_d T) (the *Vertical motion* article in Upwind's documentation).
public final class WRFWindField: WindField {
    /// The dataset read.
    public let dataset: WRFDataset
    public let grid: any HorizontalGrid
    public let levels: VerticalLevels
    public let times: [UTCTime]
    public let modelID: String?
    public let provenance: MetProvenance?
    let cache = Mutex<[Int: GridSlice]>([:])

    /// Opens `paths` as a WRF dataset and wraps it.
    /// - Throws: what ``WRFDataset/init(paths:)`` throws.
    public convenience init(paths: [String], modelID: String? = "WRF") throws {
        self.init(try WRFDataset(paths: paths), modelID: modelID)
    }

    /// Wraps `dataset`; `modelID` names the met model in outputs.
    public init(_ dataset: WRFDataset, modelID: String? = "WRF") {
        self.dataset = dataset
        switch dataset.projection {
        case .mercator(let g): grid = g
        case .latLon(let g): grid = g
        default: grid = EarthRelativeWindGrid(dataset.projection.grid)
        }
        levels = .sigma(dataset.eta, topPressure: dataset.topPressureHPa ?? 0)
        times = dataset.times
        self.modelID = modelID
        provenance = MetProvenance(format: "WRF ARW NetCDF", grids: dataset.times.first.map {
            [MetProvenance.Grid(path: dataset.paths.first, modelID: modelID, firstTime: $0)]
        } ?? [])
    }

    /// The engine's slice at time index `index`, cached (the last few).
    /// - Throws: what ``WRFDataset/fields(at:)`` throws.
    public func slice(at index: Int) throws -> GridSlice {
        if let hit = cache.withLock({ $0[index] }) { return hit }
        let f = try dataset.fields(at: index)
        let place = dataset.placements[index]
        let gnx = grid.nx, gny = grid.ny, nz = f.nz
        let plane = f.nx * f.ny, gplane = gnx * gny
        // Fields of the slice's own grid placed in the dataset's grid.
        func placed(_ values: [Float]?, levels: Int) -> [Float]? {
            guard let values else { return nil }
            if gnx == f.nx && gny == f.ny { return values }
            var out = [Float](repeating: .nan, count: levels * gplane)
            for k in 0..<levels {
                for j in 0..<f.ny {
                    let src = k * plane + j * f.nx, dst = k * gplane + (j + place.j0) * gnx + place.i0
                    for i in 0..<f.nx { out[dst + i] = values[src + i] }
                }
            }
            return out
        }
        var omega: [Float]?
        if let w = f.w {
            omega = (0..<(nz * plane)).map { m in
                let p = Double(f.pressureHPa[m]) * 100
                let t = f.temperatureK.map { Double($0[m]) } ?? StandardAtmosphere.temperature(height: Double(f.heightM[m]))
                return Float(-p / (Earth.dryAirGasConstant * t) * Earth.gravity * Double(w[m]))
            }
        }
        let s = GridSlice(time: f.time, nx: gnx, ny: gny, nz: nz, u: placed(f.u, levels: nz) ?? [], v: placed(f.v, levels: nz) ?? [],
                          omega: placed(omega, levels: nz), height: placed(f.heightM, levels: nz), temperature: placed(f.temperatureK, levels: nz),
                          surfacePressure: placed(f.surfacePressureHPa, levels: 1), terrain: placed(f.terrainM, levels: 1),
                          mixingDepth: placed(f.mixingDepthM, levels: 1), pressure: placed(f.pressureHPa, levels: nz))
        cache.withLock { c in
            if c.count >= 6 { c.removeAll() }
            c[index] = s
        }
        return s
    }
}
