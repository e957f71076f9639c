import Synchronization
import UpwindCore

/// A ``MetDataset`` seen by the trajectory engine as a ``WindField``: levels reordered
/// bottom-up, geopotential turned into heights, w (m s⁻¹) turned into ω (Pa s⁻¹) with
/// ω = −ρ g w, ρ = p/(R_d T) (methods.md §1.10), and the last few converted slices cached.
public final class MetWindField: WindField {
    /// The dataset read.
    public let dataset: MetDataset
    public let grid: any HorizontalGrid
    public let levels: VerticalLevels
    public let times: [UTCTime]
    public let modelID: String?
    /// File level index of each engine level (bottom-up).
    let order: [Int]
    let cache = Mutex<[Int: GridSlice]>([:])

    /// Wraps `dataset`; `modelID` names the met model in outputs (e.g. `ERA5`).
    /// - Throws: ``MetError/unsupportedGrid(path:detail:)`` for vertical coordinates the engine
    ///   cannot use yet (sigma/hybrid CF levels).
    public init(_ dataset: MetDataset, modelID: String? = nil) throws {
        self.dataset = dataset
        grid = dataset.grid
        times = dataset.times
        self.modelID = modelID
        switch dataset.vertical.kind {
        case .pressure:
            let lv = dataset.vertical.levels
            order = lv.indices.sorted { lv[$0] > lv[$1] }
            levels = .pressure(order.map { lv[$0] })
        case .surface:
            order = [0]
            levels = .single
        case .sigma, .hybrid, .height:
            throw MetError.unsupportedGrid(path: dataset.paths.first ?? "", detail: "trajectories on \(dataset.vertical.kind.rawValue) levels are not supported yet: use pressure-level data")
        }
    }

    public func slice(at index: Int) throws -> GridSlice {
        if let hit = cache.withLock({ $0[index] }) { return hit }
        let ms = try dataset.slice(at: index)
        let g = ms.grid
        let nx = g.nx, ny = g.ny, nz = order.count
        let plane = nx * ny
        func reorder(_ f: MetField?) -> [Float]? {
            guard let f else { return nil }
            if f.nz == 1 && nz == 1 { return f.values }
            var out = [Float](repeating: .nan, count: nz * plane)
            for (k, fk) in order.enumerated() {
                out.withUnsafeMutableBufferPointer { o in
                    f.values.withUnsafeBufferPointer { src in
                        for n in 0..<plane { o[k * plane + n] = src[fk * plane + n] }
                    }
                }
            }
            return out
        }
        guard let u = reorder(ms.fields[.u]), let v = reorder(ms.fields[.v]) else {
            throw MetError.windMismatch(detail: "no wind at \(ms.time.iso8601)")
        }
        var s = GridSlice(time: ms.time, nx: nx, ny: ny, nz: nz, u: u, v: v)
        s.temperature = reorder(ms.fields[.temperature])
        if let z = reorder(ms.fields[.geopotentialHeight]) {
            s.height = z
        } else if let phi = reorder(ms.fields[.geopotential]) {
            s.height = phi.map { $0 / Float(standardGravity) }
        }
        s.relativeHumidity = reorder(ms.fields[.relativeHumidity])
        s.surfacePressure = ms.fields[.surfacePressure]?.values
        s.terrain = ms.fields[.orography]?.values
        s.mixingDepth = ms.fields[.boundaryLayerHeight]?.values
        if var w = reorder(ms.fields[.w]) {
            if ms.verticalVelocity == .w, case .pressure(let p) = levels {
                for k in 0..<nz {
                    for n in 0..<plane {
                        let i = k * plane + n
                        let t = s.temperature.map { Double($0[i]) } ?? StandardAtmosphere.temperature(height: StandardAtmosphere.height(pressure: p[k]))
                        let rho = p[k] * 100 / (Earth.dryAirGasConstant * t)
                        w[i] = Float(-rho * Earth.gravity * Double(w[i]))
                    }
                }
            }
            s.omega = w
        }
        cache.withLock { c in
            if c.count >= 6 { c.removeAll() }
            c[index] = s
        }
        return s
    }
}
