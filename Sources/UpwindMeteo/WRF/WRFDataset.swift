import Foundation
import NetCDFKit
import UpwindCore

/// WRF ARW output (`wrfout_d0N_*`), read natively: one or many files, one or many times per file.
///
/// What is read, and how (Skamarock et al., *A Description of the Advanced Research WRF Model*,
/// NCAR/TN-556+STR, §2 and §5; the same formulas as wrf-python's `getvar` and HYSPLIT's `arw2arl`):
/// - **Times** from the `Times` character variable (`YYYY-MM-DD_HH:MM:SS`, UTC).
/// - **Grid** from `XLAT`/`XLONG` (mass points) and `MAP_PROJ` 1/2/3 with `TRUELAT1/2`, `STAND_LON`,
///   `DX`/`DY` on WRF's 6,370-km sphere: a regular projected grid where the projection reproduces
///   every mass point within 1 % of a cell (``fitErrorM``), a curvilinear grid otherwise
///   (``gridNote`` says why). A **moving nest** (`XLAT` changes between times) keeps its
///   projection: each time's grid is placed on the projection's lattice (``placements``, whole
///   cells, as WRF moves nests by whole parent cells) and the dataset's grid is the union of them,
///   so a parcel is located in each bracketing slice's own grid (the union index minus the slice's
///   offset) before the time interpolation; outside a slice's footprint its values are missing.
/// - **Winds**: `U` and `V` de-staggered to the mass points (the mean of the two neighbours, as
///   wrf-python's `destagger`), then turned earth-relative, `u_e = u cos α − v sin α`,
///   `v_n = v cos α + u sin α`, with the file's `COSALPHA`/`SINALPHA` or, without them, α computed
///   from the grid (the angle of its x axis counter-clockwise from east). `W` de-staggered
///   to the mass levels, m s⁻¹.
/// - **Pressure** `P + PB` (Pa → hPa) per node and level; **heights** `(PH + PHB)/g`, g = 9.81 m s⁻²
///   (WRF's constant), de-staggered to the mass levels (m above sea level); **temperature** from
///   θ = `T` + 300 K, T = θ·(p/1000 hPa)^(R_d/c_p), R_d/c_p = 2/7; `HGT` terrain (else the lowest
///   full level's height), `PSFC` surface pressure (else the lowest level's pressure carried down
///   hydrostatically), `PBLH`.
/// - **Vertical coordinate**: WRF's terrain-following η levels (`ZNU` on the mass levels, `P_TOP`),
///   reported as σ levels; the engine uses each node's `P + PB` as the level pressures
///   (`GridSlice/pressure`), so the σ values only label the levels (when the file lacks `ZNU`, the
///   labels are the domain means of p/p_surface of the first time).
///
/// ```swift
/// let wrf = try WRFDataset(paths: ["wrfout_d01_2024-07-01_00:00:00"])
/// let f = try wrf.fields(at: 0)   // de-staggered, earth-relative, bottom-up
/// ```
public final class WRFDataset: Sendable {
    /// The files, in the order given (globs expanded and sorted).
    public let paths: [String]
    /// Valid times (UTC), strictly increasing.
    public let times: [UTCTime]
    /// Mass points of one time along x (`west_east`) and y (`south_north`).
    public let nx: Int, ny: Int
    /// Mass levels (`bottom_top`).
    public let nz: Int
    /// The map parameters of the first file.
    public let map: WRFMapParameters
    /// The dataset's grid: the projection's (the union of a moving nest's positions), or a
    /// curvilinear grid from `XLAT`/`XLONG`.
    public let projection: MapProjection
    /// Per time, where its `nx`×`ny` mass points lie in ``projection``'s grid (all zero for a fixed domain).
    public let placements: [WRFGridPlacement]
    /// True when `XLAT`/`XLONG` change between times (a moving nest).
    public let isMoving: Bool
    /// The largest distance of a mass point from its place on the projected grid, m; nil for a curvilinear grid.
    public let fitErrorM: Double?
    /// Why `MAP_PROJ` was set aside for the 2-D coordinates (a curvilinear grid), or nil.
    public let gridNote: String?
    /// η of the mass levels, bottom-up: `ZNU` of the first time, or nominal labels (``etaFromFile`` false).
    public let eta: [Double]
    /// True when ``eta`` is the file's `ZNU`.
    public let etaFromFile: Bool
    /// `P_TOP`, hPa, when the file has it.
    public let topPressureHPa: Double?
    /// Set when the file's `COSALPHA`/`SINALPHA` differ from the projected grid's own angle by more
    /// than 0.2° somewhere (the file's values are still used, as WRF's convention says): how much, and
    /// what to check; nil otherwise.
    public let rotationNote: String?
    /// The WRF variables found among those Upwind reads (`U V W PH PHB P PB T HGT PSFC PBLH COSALPHA SINALPHA ZNU P_TOP`).
    public let variableNames: [String]

    struct Entry: Sendable { var file: Int; var index: Int }
    let entries: [Entry]
    let files: [WRFFile]
    /// Per time, that time's own grid (projected with its own origin, or the curvilinear grid).
    let ownGrids: [MapProjection]

    /// WRF's gravity, m s⁻² (`G` in WRF's `module_model_constants` and wrf-python).
    public static let gravity = 9.81
    /// R_d/c_p of WRF (R_d = 287, c_p = 7/2·R_d), for θ → T.
    public static let kappa = 2.0 / 7.0
    /// WRF's θ offset `T0`, K: `T` holds θ − 300 K.
    public static let thetaOffset = 300.0

    /// True when `path` is WRF ARW output: a NetCDF file with the staggered dimensions
    /// `west_east_stag` and `bottom_top_stag` and the variables `U` and `XLAT` (or `Times`).
    public static func isWRF(path: String) -> Bool {
        guard let file = try? NetCDFFile.open(path, mode: .read) else { return false }
        defer { try? file.close() }
        guard let dims = try? file.root.dimensions().map(\.name), dims.contains("west_east_stag"), dims.contains("bottom_top_stag"),
              let names = try? file.root.variables().map(\.name) else { return false }
        return names.contains("U") && (names.contains("XLAT") || names.contains("Times"))
    }

    /// Opens `paths` (files or glob patterns) as one WRF dataset.
    /// - Throws: ``MetError`` naming the file: what is missing (`PH`/`PHB`, `P`/`PB`, `U`/`V`,
    ///   `XLAT`/`XLONG`, `Times`) and what to add; grids that differ between files; a moving nest
    ///   whose positions are not whole cells of one projection; duplicate or non-monotonic times;
    ///   2-D coordinates with NaNs, folds or repeated points (curvilinear grids).
    public init(paths: [String]) throws {
        let expanded = try MetDataset.expand(paths)
        self.paths = expanded
        var files: [WRFFile] = []
        for p in expanded { files.append(try WRFFile(path: p)) }
        self.files = files
        let first = files[0]
        nx = first.nx; ny = first.ny; nz = first.nz
        map = first.map
        for f in files.dropFirst() where f.nx != nx || f.ny != ny || f.nz != nz || f.map != map {
            throw MetError.gridMismatch(path: f.path, referencePath: first.path,
                                        detail: "WRF domain \(f.nx)×\(f.ny)×\(f.nz) \(f.map.name) vs \(nx)×\(ny)×\(nz) \(map.name)")
        }
        // Times, in order across files.
        var entries: [Entry] = []
        var allTimes: [UTCTime] = []
        for (fi, f) in files.enumerated() {
            for (ti, t) in f.times.enumerated() {
                if let last = allTimes.last, t <= last {
                    if t == last {
                        throw MetError.duplicateTime(path: f.path, otherPath: files[entries[entries.count - 1].file].path, variable: "Times", time: t.iso8601)
                    }
                    throw MetError.nonMonotonicTime(path: f.path, variable: "Times", index: ti, previous: last.iso8601, value: t.iso8601)
                }
                allTimes.append(t)
                entries.append(Entry(file: fi, index: ti))
            }
        }
        times = allTimes
        self.entries = entries

        // Coordinates of every time; moving when they change.
        var coordinates: [(lat: [Double], lon: [Double])] = []
        for e in entries { coordinates.append(try files[e.file].coordinates(at: e.index)) }
        let reference = coordinates[0]
        var moving = false
        for c in coordinates.dropFirst() where !moving {
            for n in 0..<(nx * ny) where abs(c.lat[n] - reference.lat[n]) > 1e-5 || abs(Geodesy.normalizedLongitude(c.lon[n] - reference.lon[n])) > 1e-5 {
                moving = true
                break
            }
        }
        isMoving = moving
        var names = ["U", "V", "PH", "PHB", "P", "PB"]
        for n in ["W", "T", "HGT", "PSFC", "PBLH", "COSALPHA", "SINALPHA", "ZNU", "P_TOP"] where first.variables[n] != nil { names.append(n) }
        variableNames = names

        // The grid: MAP_PROJ's projection when it reproduces XLAT/XLONG, else curvilinear.
        var fits: [(x0: Double, y0: Double, maxError: Double)] = []
        var note: String?
        for c in (moving ? coordinates : [reference]) {
            guard let f = WRFGridFit.fit(map, latitudes: c.lat, longitudes: c.lon, nx: nx, ny: ny) else { fits = []; break }
            fits.append(f)
        }
        let map = self.map, nx = self.nx, ny = self.ny
        let worst = (fits.map(\.maxError).max() ?? .infinity) * map.metresPerUnit
        let (dx, dy) = map.latticeStep
        let cellM = dx * map.metresPerUnit
        if fits.isEmpty {
            note = "MAP_PROJ \(map.mapProjection) (\(map.name)\(abs(map.dx - dy) > 1e-6 * max(map.dx, dy) ? ", DX ≠ DY" : "")) has no regular projected grid in Upwind: the 2-D XLAT/XLONG are used as a curvilinear grid"
        } else if worst > 0.01 * cellM {
            note = "MAP_PROJ \(map.mapProjection) (\(map.name), TRUELAT1 \(map.trueLatitude1), TRUELAT2 \(map.trueLatitude2), STAND_LON \(map.standardLongitude)) places the mass points up to \(String(format: "%.0f", worst)) m (more than 1 % of the \(String(format: "%.0f", cellM)) m cell) from XLAT/XLONG: the 2-D coordinates are used as a curvilinear grid"
        }
        gridNote = note
        if note == nil {
            // Place every time on the lattice of the first one.
            let x00 = fits[0].x0, y00 = fits[0].y0
            var offsets: [(Int, Int)] = []
            for (n, f) in fits.enumerated() {
                let di = (f.x0 - x00) / dx, dj = (f.y0 - y00) / dy
                guard abs(di - di.rounded()) <= 0.01, abs(dj - dj.rounded()) <= 0.01,
                      let ii = Int(exactly: di.rounded()), let jj = Int(exactly: dj.rounded()) else {
                    throw MetError.unsupportedGrid(path: files[entries[n].file].path,
                                                   detail: "the moving nest's grid at \(times[n].iso8601) is \(String(format: "%.3f", di)), \(String(format: "%.3f", dj)) cells from its first position, not a whole number of cells: its positions do not share one lattice; cut the file to one time per run (e.g. ncks -d Time,\(n))")
                }
                offsets.append((ii, jj))
            }
            let iMin = offsets.map(\.0).min() ?? 0, jMin = offsets.map(\.1).min() ?? 0
            let iMax = offsets.map(\.0).max() ?? 0, jMax = offsets.map(\.1).max() ?? 0
            let unionNX = nx + iMax - iMin, unionNY = ny + jMax - jMin
            guard unionNX <= GridLimits.maxPointsPerSide, unionNY <= GridLimits.maxPointsPerSide else {
                throw MetError.unsupportedGrid(path: first.path, detail: "the moving nest covers \(unionNX)×\(unionNY) cells over its times, more than \(GridLimits.maxPointsPerSide) points a side: cut the file to fewer times")
            }
            let x0 = x00 + Double(iMin) * dx, y0 = y00 + Double(jMin) * dy
            guard let union = map.projectedGrid(nx: unionNX, ny: unionNY, x0: x0, y0: y0) else {
                throw MetError.unsupportedGrid(path: first.path, detail: "MAP_PROJ \(map.mapProjection) has no projected grid")
            }
            projection = union
            let placed = moving ? offsets.map { WRFGridPlacement(i0: $0.0 - iMin, j0: $0.1 - jMin) }
                                : [WRFGridPlacement](repeating: WRFGridPlacement(i0: 0, j0: 0), count: times.count)
            placements = placed
            ownGrids = placed.map { p in
                map.projectedGrid(nx: nx, ny: ny, x0: x0 + Double(p.i0) * dx, y0: y0 + Double(p.j0) * dy) ?? union
            }
            fitErrorM = worst
        } else {
            guard !moving else {
                throw MetError.unsupportedGrid(path: first.path, detail: "a moving nest on a grid that MAP_PROJ does not reproduce (\(note ?? "")): only moving nests on a Lambert, polar stereographic or Mercator projection are read; cut the file to one time per run (e.g. ncks -d Time,0)")
            }
            let rotation = try first.rotation(at: entries[0].index)
            let grid: CurvilinearGrid
            do {
                grid = try CurvilinearGrid(latitudes: reference.lat, longitudes: reference.lon, nx: nx, ny: ny,
                                           rotation: rotation.map { (cos: $0.cos.map(Double.init), sin: $0.sin.map(Double.init)) })
            } catch {
                throw MetError.unsupportedGrid(path: first.path, detail: "XLAT/XLONG: \(error.description)")
            }
            projection = .curvilinear(grid)
            placements = [WRFGridPlacement](repeating: WRFGridPlacement(i0: 0, j0: 0), count: times.count)
            ownGrids = [MapProjection](repeating: .curvilinear(grid), count: times.count)
            fitErrorM = nil
        }

        // COSALPHA/SINALPHA against the projection's angle (a sign error shows here).
        var rotationNote: String?
        if case .curvilinear = projection {} else if let given = try first.rotation(at: entries[0].index) {
            let computed = WRFDataset.gridAngles(ownGrids[0], nx: nx, ny: ny)
            var worst = 0.0
            for n in 0..<(nx * ny) {
                let a = Math.atan2(Double(given.sin[n]), Double(given.cos[n])), b = Math.atan2(Double(computed.sin[n]), Double(computed.cos[n]))
                worst = max(worst, abs(Geodesy.normalizedLongitude((a - b) / Geodesy.radiansPerDegree)))
            }
            if worst > 0.2 {
                rotationNote = "COSALPHA/SINALPHA differ from the \(map.name) grid's own angle by up to \(String(format: "%.2f", worst))°: the file's values are used (WRF's convention u_e = u cos α − v sin α); check their sign, or drop them to use the grid's angle"
            }
        }
        self.rotationNote = rotationNote

        // Vertical labels.
        if let znu = try first.znu(at: entries[0].index) {
            eta = znu
            etaFromFile = true
        } else {
            let p = try first.read("P", at: entries[0].index, count: nz * ny * nx)
            let pb = try first.read("PB", at: entries[0].index, count: nz * ny * nx)
            let psfc = try first.readOptional("PSFC", at: entries[0].index, count: ny * nx)
            let plane = nx * ny
            let meanPS = psfc.map { v in v.reduce(0.0) { $0 + Double($1) } / Double(plane) }
                ?? (0..<plane).reduce(0.0) { $0 + Double(p[$1] + pb[$1]) } / Double(plane)
            eta = (0..<nz).map { k in
                let mean = (0..<plane).reduce(0.0) { $0 + Double(p[k * plane + $1] + pb[k * plane + $1]) } / Double(plane)
                return (mean / meanPS * 1e6).rounded() / 1e6
            }
            etaFromFile = false
        }
        topPressureHPa = try first.pTop(at: entries[0].index).map { $0 / 100 }
    }

    /// The grid of time index `index` alone: its `nx`×`ny` mass points (its own origin for a moving nest).
    /// - Throws: ``MetError/timeIndexOutOfRange(index:count:)``.
    public func grid(at index: Int) throws -> MapProjection {
        guard ownGrids.indices.contains(index) else { throw MetError.timeIndexOutOfRange(index: index, count: times.count) }
        return ownGrids[index]
    }

    /// The WRF fields of time index `index` on that time's own `nx`×`ny` mass grid, levels
    /// bottom-up (WRF's order), arrays indexed `(k·ny + j)·nx + i` (3-D) and `j·nx + i` (2-D).
    /// - Throws: ``MetError`` for an index out of range or a read error naming the file and variable.
    public func fields(at index: Int) throws -> WRFFields {
        guard entries.indices.contains(index) else { throw MetError.timeIndexOutOfRange(index: index, count: times.count) }
        let e = entries[index]
        let f = files[e.file]
        let plane = nx * ny, n3 = nz * plane
        let uStag = try f.read("U", at: e.index, count: nz * ny * (nx + 1))
        let vStag = try f.read("V", at: e.index, count: nz * (ny + 1) * nx)
        let uGrid = WRFDataset.destaggerX(uStag, nz: nz, ny: ny, nxStag: nx + 1)
        let vGrid = WRFDataset.destaggerY(vStag, nz: nz, nyStag: ny + 1, nx: nx)
        let w = try f.readOptional("W", at: e.index, count: (nz + 1) * plane).map { WRFDataset.destaggerZ($0, nzStag: nz + 1, plane: plane) }
        let p = try f.read("P", at: e.index, count: n3), pb = try f.read("PB", at: e.index, count: n3)
        let pressure = (0..<n3).map { (p[$0] + pb[$0]) / 100 }
        let ph = try f.read("PH", at: e.index, count: (nz + 1) * plane), phb = try f.read("PHB", at: e.index, count: (nz + 1) * plane)
        let g = Float(WRFDataset.gravity)
        let geopotential = (0..<((nz + 1) * plane)).map { ph[$0] + phb[$0] }
        let height = WRFDataset.destaggerZ(geopotential, nzStag: nz + 1, plane: plane).map { $0 / g }
        let theta = try f.readOptional("T", at: e.index, count: n3).map { t in t.map { $0 + Float(WRFDataset.thetaOffset) } }
        let temperature = theta.map { th in (0..<n3).map { WRFDataset.temperature(theta: th[$0], pressureHPa: pressure[$0]) } }
        let terrain = try f.readOptional("HGT", at: e.index, count: plane) ?? (0..<plane).map { geopotential[$0] / g }
        var surface = try f.readOptional("PSFC", at: e.index, count: plane).map { $0.map { $0 / 100 } }
        if surface == nil {
            // Lowest level carried down to the terrain hydrostatically (scale height R_d·T/g).
            surface = (0..<plane).map { n in
                let t = temperature.map { Double($0[n]) } ?? 288
                let dz = Double(height[n] - terrain[n])
                return Float(Double(pressure[n]) * Math.exp(WRFDataset.gravity * dz / (287 * t)))
            }
        }
        let pblh = try f.readOptional("PBLH", at: e.index, count: plane)
        let angle = try rotation(index: index, file: f, fileIndex: e.index)
        var u = uGrid, v = vGrid
        for k in 0..<nz {
            for n in 0..<plane {
                let m = k * plane + n
                let c = angle.cos[n], s = angle.sin[n]
                u[m] = uGrid[m] * c - vGrid[m] * s
                v[m] = vGrid[m] * c + uGrid[m] * s
            }
        }
        return WRFFields(time: times[index], nx: nx, ny: ny, nz: nz, uGrid: uGrid, vGrid: vGrid, u: u, v: v, w: w,
                         pressureHPa: pressure, heightM: height, potentialTemperatureK: theta, temperatureK: temperature,
                         terrainM: terrain, surfacePressureHPa: surface ?? [], mixingDepthM: pblh,
                         cosAlpha: angle.cos, sinAlpha: angle.sin, rotationFromFile: angle.fromFile)
    }

    /// cos α and sin α per mass point: the file's `COSALPHA`/`SINALPHA`, else the angle of the
    /// time's grid x axis counter-clockwise from east.
    func rotation(index: Int, file: WRFFile, fileIndex: Int) throws -> (cos: [Float], sin: [Float], fromFile: Bool) {
        if let r = try file.rotation(at: fileIndex) { return (r.cos, r.sin, true) }
        let a = WRFDataset.gridAngles(ownGrids[index], nx: nx, ny: ny)
        return (a.cos, a.sin, false)
    }

    /// cos α and sin α of the angle α of `projection`'s x axis counter-clockwise from east at each
    /// of its first `nx`×`ny` nodes.
    static func gridAngles(_ projection: MapProjection, nx: Int, ny: Int) -> (cos: [Float], sin: [Float]) {
        let g = projection.grid
        var c = [Float](repeating: 1, count: nx * ny), s = [Float](repeating: 0, count: nx * ny)
        for j in 0..<ny {
            for i in 0..<nx {
                let a: Double
                if case .curvilinear(let cg) = projection {
                    a = cg.gridAngle(i: i, j: j) * Geodesy.radiansPerDegree
                } else {
                    let loc = g.location(i: i, j: j)
                    let en = Geodesy.eastNorth(latitude: loc.latitude, longitude: loc.longitude)
                    let axis = g.windAxes(i: i, j: j).u
                    a = Math.atan2(axis.dot(en.north), axis.dot(en.east))
                }
                c[j * nx + i] = Float(Math.cos(a)); s[j * nx + i] = Float(Math.sin(a))
            }
        }
        return (c, s)
    }

    // MARK: - Formulas

    /// Temperature (K) from potential temperature θ (K) and pressure (hPa): T = θ·(p/1000)^(2/7)
    /// (wrf-python `tk`, ARW Technical Note eq. 2.9's θ).
    static func temperature(theta: Float, pressureHPa: Float) -> Float {
        Float(Double(theta) * Math.pow(Double(pressureHPa) / 1000, kappa))
    }

    /// De-staggers along x: `nz·ny·nxStag` values to `nz·ny·(nxStag − 1)`, each the mean of its
    /// two neighbours, `0.5·(a + b)` in single precision (wrf-python's `destagger`).
    public static func destaggerX(_ a: [Float], nz: Int, ny: Int, nxStag: Int) -> [Float] {
        let nx = nxStag - 1
        var out = [Float](repeating: .nan, count: nz * ny * nx)
        for r in 0..<(nz * ny) {
            for i in 0..<nx { out[r * nx + i] = 0.5 * (a[r * nxStag + i] + a[r * nxStag + i + 1]) }
        }
        return out
    }

    /// De-staggers along y: `nz·nyStag·nx` values to `nz·(nyStag − 1)·nx` (see ``destaggerX(_:nz:ny:nxStag:)``).
    public static func destaggerY(_ a: [Float], nz: Int, nyStag: Int, nx: Int) -> [Float] {
        let ny = nyStag - 1
        var out = [Float](repeating: .nan, count: nz * ny * nx)
        for k in 0..<nz {
            for j in 0..<ny {
                for i in 0..<nx {
                    out[(k * ny + j) * nx + i] = 0.5 * (a[(k * nyStag + j) * nx + i] + a[(k * nyStag + j + 1) * nx + i])
                }
            }
        }
        return out
    }

    /// De-staggers along z: `nzStag` planes of `plane` values to `nzStag − 1` (see ``destaggerX(_:nz:ny:nxStag:)``).
    public static func destaggerZ(_ a: [Float], nzStag: Int, plane: Int) -> [Float] {
        var out = [Float](repeating: .nan, count: (nzStag - 1) * plane)
        for k in 0..<(nzStag - 1) {
            for n in 0..<plane { out[k * plane + n] = 0.5 * (a[k * plane + n] + a[(k + 1) * plane + n]) }
        }
        return out
    }
}

/// One time of WRF output de-staggered to the mass points, levels bottom-up, arrays indexed
/// `(k·ny + j)·nx + i` (3-D) and `j·nx + i` (2-D); see ``WRFDataset`` for the formulas.
public struct WRFFields: Sendable {
    /// Valid time (UTC).
    public let time: UTCTime
    /// Mass points along x, y and mass levels.
    public let nx: Int, ny: Int, nz: Int
    /// `U` and `V` de-staggered, along the grid's x and y axes, m s⁻¹.
    public let uGrid: [Float], vGrid: [Float]
    /// Eastward and northward wind, m s⁻¹.
    public let u: [Float], v: [Float]
    /// Vertical velocity `W` de-staggered to the mass levels, m s⁻¹ (positive upward); nil without `W`.
    public let w: [Float]?
    /// Pressure `P + PB`, hPa.
    public let pressureHPa: [Float]
    /// Geopotential height `(PH + PHB)/g` de-staggered to the mass levels, m above sea level.
    public let heightM: [Float]
    /// Potential temperature `T` + 300 K, K; nil without `T`.
    public let potentialTemperatureK: [Float]?
    /// Air temperature, K; nil without `T`.
    public let temperatureK: [Float]?
    /// Terrain height `HGT`, m above sea level.
    public let terrainM: [Float]
    /// Surface pressure `PSFC` (or derived, see ``WRFDataset``), hPa.
    public let surfacePressureHPa: [Float]
    /// Boundary-layer depth `PBLH`, m; nil without it.
    public let mixingDepthM: [Float]?
    /// cos α and sin α of the rotation to earth-relative winds, per mass point.
    public let cosAlpha: [Float], sinAlpha: [Float]
    /// True when α came from the file's `COSALPHA`/`SINALPHA`.
    public let rotationFromFile: Bool
}
