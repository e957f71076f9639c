import Synchronization
import UpwindCore

/// HYSPLIT ARL packed met (one or several files) seen by the trajectory engine as a
/// `WindField`: the file's grid (latitude-longitude, or a conformal projection with
/// grid-relative winds), the upper levels bottom-up (pressure, σ with p = σ·PRSS, or hybrid
/// p = a + b·PRSS), ω converted from hPa s⁻¹ to Pa s⁻¹, and the last few slices cached.
///
/// Fields used: `UWND`, `VWND` (m s⁻¹), `WWND` (hPa s⁻¹), `TEMP` (K), `HGTS` (m),
/// `RELH` (%) on the upper levels; `PRSS` (hPa), `SHGT` (m), `PBLH` (m) at the surface. A
/// variable absent at some levels is NaN there. Without `HGTS` (σ data) `height` is nil and
/// the engine integrates `TEMP` hypsometrically from `PRSS` and `SHGT`.
///
/// ```swift
/// let met = try ARLWindField(paths: ["oct1618.BIN"])
/// let run = try TrajectoryEngine(field: met, options: TrajectoryOptions(hours: 12)).run(starts)
/// ```
public final class ARLWindField: WindField {
    /// The dataset read.
    public let dataset: ARLDataset
    /// The horizontal grid (a `LatLonGrid` or a conformal projection with grid-relative winds).
    public let grid: any HorizontalGrid
    /// The upper levels, bottom-up (hPa for pressure; σ or hybrid a (hPa) and b otherwise).
    public let levels: VerticalLevels
    /// Valid times (UTC), strictly increasing.
    public let times: [UTCTime]
    /// The data source id from the index records (`GDAS`, `NGM`, …).
    public let modelID: String?
    /// One met grid per file, in file order (as HYSPLIT lists one per CONTROL met file), each
    /// with its first time and the first index record's forecast hour, for outputs.
    public let provenance: MetProvenance?
    let cache = Mutex<[Int: GridSlice]>([:])
    /// Slices kept in the cache.
    static let cacheSlices = 6

    /// Opens `paths` (files or glob patterns) as one field.
    /// - Throws: what ``ARLDataset/init(paths:)`` throws, and
    ///   ``MetError/unsupportedGrid(path:detail:)`` for terrain-following height levels.
    public convenience init(paths: [String]) throws {
        try self.init(try ARLDataset(paths: paths))
    }

    /// Wraps an opened dataset.
    /// - Throws: ``MetError/unsupportedGrid(path:detail:)`` for terrain-following height
    ///   levels (ARL vertical flag 3), which the engine cannot use yet.
    public init(_ dataset: ARLDataset) throws {
        self.dataset = dataset
        grid = dataset.grid
        times = dataset.times
        modelID = dataset.modelID.isEmpty ? nil : dataset.modelID
        let forecastHour = (0..<1000).contains(dataset.firstIndex.forecastHour) ? dataset.firstIndex.forecastHour : 0
        let model = dataset.modelID.isEmpty ? nil : dataset.modelID
        provenance = MetProvenance(format: "ARL packed", grids: dataset.files.compactMap { file in
            file.periods.first.map { MetProvenance.Grid(path: file.path, modelID: model, firstTime: $0.time, forecastHour: forecastHour) }
        })
        let values = dataset.levelValues
        switch dataset.verticalKind {
        case .pressure:
            levels = .pressure(values)
        case .sigma:
            levels = .sigma(values, topPressure: 0)
        case .hybrid:
            // HYSPLIT writes a hybrid level as a + b: the integer part is a (hPa), the fraction b.
            let a = values.map { $0.rounded(.down) }
            levels = .hybrid(a: a, b: zip(values, a).map { $0 - $1 })
        case .height, .surface:
            throw MetError.unsupportedGrid(path: dataset.paths.first ?? "",
                                           detail: "ARL terrain-following height levels (vertical flag 3, e.g. WRF-ARW or RAMS conversions) are not supported yet: use pressure, sigma or hybrid ARL data, or the model's NetCDF output on pressure levels")
        }
    }

    /// The slice at time index `index`, decoded (checksums verified) or from the cache.
    /// - Throws: ``MetError/timeIndexOutOfRange(index:count:)``, ``ARLError``.
    public func slice(at index: Int) throws -> GridSlice {
        if let hit = cache.withLock({ $0[index] }) { return hit }
        let d = dataset
        let nz = d.levelValues.count
        let upper = ["UWND", "VWND", "WWND", "TEMP", "HGTS", "RELH"]
        let surface = ["PRSS", "SHGT", "PBLH"]
        var requests: [(variable: String, level: Int)] = []
        for name in upper { for k in stride(from: 1, through: nz, by: 1) { requests.append((name, k)) } }
        for name in surface { requests.append((name, 0)) }
        let got = try d.fields(requests, at: index)
        let plane = d.nx * d.ny
        func volume(_ v: Int, scale: Float = 1) -> [Float]? {
            let parts = got[(v * nz)..<((v + 1) * nz)]
            guard parts.contains(where: { $0 != nil }) else { return nil }
            var out = [Float](repeating: .nan, count: nz * plane)
            for (k, part) in parts.enumerated() {
                guard let part else { continue }
                for n in 0..<plane { out[k * plane + n] = part[n] * scale }
            }
            return out
        }
        let base = upper.count * nz
        let nanVolume = [Float](repeating: .nan, count: nz * plane)
        let s = GridSlice(time: d.times[index], nx: d.nx, ny: d.ny, nz: nz, u: volume(0) ?? nanVolume, v: volume(1) ?? nanVolume,
                          omega: volume(2, scale: 100), height: volume(4), temperature: volume(3), relativeHumidity: volume(5),
                          surfacePressure: got[base], terrain: got[base + 1], mixingDepth: got[base + 2])
        cache.withLock { c in
            if c.count >= ARLWindField.cacheSlices { c.removeAll() }
            c[index] = s
        }
        return s
    }
}
