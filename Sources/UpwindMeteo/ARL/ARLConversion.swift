import Foundation
import UpwindCore

/// A gridded meteorological dataset described in ARL terms (grid, levels, ARL variable
/// names and units), the common ground of `upwind convert-met`: read from an ARL dataset
/// (``init(arl:)``) or from CF NetCDF (``init(met:modelID:)``), written as ARL
/// (``ARLWriter/write(_:to:)``) or as CF NetCDF (``CFMetWriter/write(_:to:)``).
///
/// Units are ARL's: `UWND`/`VWND` m s⁻¹ (along the grid axes on polar stereographic and
/// Lambert grids), `WWND` hPa s⁻¹, `TEMP` K, `HGTS` m, `RELH` %, `SPHU` kg kg⁻¹, `PRSS` hPa,
/// `SHGT` m, `PBLH` m; other ARL names are carried through as they are.
public struct GriddedMetSource {
    /// The horizontal grid.
    public var projection: MapProjection
    /// The vertical coordinate: `.pressure`, `.sigma`, `.hybrid` or `.height`.
    public var verticalKind: VerticalKind
    /// The upper levels, bottom-up, as ARL writes them: hPa, σ, a + b (a the integer hPa
    /// part) for hybrid levels, m for heights.
    public var levels: [Double]
    /// Hybrid levels: a (hPa) and b of p = a + b·PRSS, bottom-up; nil otherwise.
    public var hybrid: (a: [Double], b: [Double])?
    /// Valid times, increasing.
    public var times: [UTCTime]
    /// The data source id (e.g. `GDAS`, `ERA5`; 4 characters in ARL).
    public var source: String
    /// The variables by ARL name, with the level indices (0 = surface, 1… upper levels) they
    /// are held at, in the order they are written.
    public var variables: [(name: String, levels: [Int])]
    /// The fields of one time index.
    public var read: (Int) throws -> [ARLFieldValues]
    /// Notes on what was derived or filled while reading (one line each).
    public var notes: [String] = []

    /// Creates a source from its parts.
    public init(projection: MapProjection, verticalKind: VerticalKind, levels: [Double], hybrid: (a: [Double], b: [Double])? = nil,
                times: [UTCTime], source: String, variables: [(name: String, levels: [Int])], read: @escaping (Int) throws -> [ARLFieldValues]) {
        self.projection = projection; self.verticalKind = verticalKind; self.levels = levels; self.hybrid = hybrid
        self.times = times; self.source = source; self.variables = variables; self.read = read
    }

    /// True when u and v are along the grid axes (polar stereographic and Lambert grids;
    /// Mercator and lat-lon grid axes point east and north anyway).
    public var windsGridRelative: Bool {
        switch projection {
        case .polarStereographic, .lambertConformal, .curvilinear: return true
        case .latLon, .mercator: return false
        }
    }

    /// The ARL vertical flag: 1 sigma, 2 pressure, 3 height, 4 hybrid.
    public var verticalFlag: Int {
        switch verticalKind {
        case .sigma: return 1
        case .height: return 3
        case .hybrid: return 4
        default: return 2
        }
    }

    /// Every variable and level of an ARL dataset, values as unpacked.
    public init(arl d: ARLDataset) {
        projection = d.projection
        verticalKind = d.verticalKind
        levels = d.levelValues
        if d.verticalKind == .hybrid {
            let a = d.levelValues.map { $0.rounded(.down) }
            hybrid = (a, zip(d.levelValues, a).map { $0 - $1 })
        }
        times = d.times
        source = d.modelID
        // Surface variables first, then upper ones, each in the first index's order.
        var order: [String] = []
        for level in d.firstIndex.levels { for v in level.variables where !order.contains(v.name) { order.append(v.name) } }
        for name in d.variables.keys.sorted() where !order.contains(name) { order.append(name) }
        let variables = order.compactMap { name in d.variables[name].map { (name: name, levels: $0) } }
        self.variables = variables
        read = { t in
            var requests: [(variable: String, level: Int)] = []
            for v in variables { for k in v.levels { requests.append((v.name, k)) } }
            let got = try d.fields(requests, at: t)
            var out: [ARLFieldValues] = []
            for (r, values) in zip(requests, got) {
                if let values { out.append(ARLFieldValues(name: r.variable, level: r.level, values: values)) }
            }
            return out
        }
    }

    /// A CF dataset in ARL terms, for writing ARL files HYSPLIT reads.
    ///
    /// - Grid: the dataset's regular latitude-longitude grid, or its projected grid; winds
    ///   given eastward/northward on a polar stereographic or Lambert grid are rotated to the
    ///   grid axes.
    /// - Levels: pressure (hPa, bottom-up), σ (top pressure 0) or hybrid σ-pressure (written
    ///   as `a + b` with a rounded to whole hPa, as ARL encodes it).
    /// - Variables: `UWND`, `VWND`, `WWND` (ω in hPa s⁻¹; w in m s⁻¹ is converted with
    ///   ω = −ρ g w), `TEMP`, `HGTS` (geopotential height, from geopotential / g₀ when that is
    ///   what the file holds), `RELH`, `SPHU`; surface `PRSS`, `SHGT`, `PBLH`.
    /// - Fallback for pressure-level data without surface fields: `SHGT` is the orography, or
    ///   0 m (sea level) without one; `PRSS` is the pressure at `SHGT` interpolated linearly in
    ///   ln p between the two levels whose `HGTS` bracket it (extrapolated from the two lowest
    ///   levels below the lowest one), or the ICAO standard atmosphere's pressure at `SHGT` when
    ///   there is no height field. σ and hybrid data need surface pressure.
    /// - Missing values inside a field (masked cells) are filled from the nearest valid node
    ///   along the row (else the column, else the field mean); a variable missing on a whole
    ///   level is not written there (HYSPLIT treats it as absent).
    /// - Throws: ``MetWriteError/unconvertible(path:detail:)`` for grids and levels ARL cannot
    ///   hold; what ``MetWindField`` throws.
    public init(met: MetDataset, modelID: String = "CF") throws {
        let path = met.paths.first ?? ""
        let field = try MetWindField(met, modelID: modelID)
        let projection: MapProjection = met.projection ?? .latLon(met.grid)
        if case .curvilinear = projection {
            throw MetWriteError.unconvertible(path: path, detail: "a curvilinear grid (2-D latitude/longitude without a projection Upwind writes) cannot be converted: ARL holds latitude-longitude and conformal (polar stereographic, Lambert, Mercator) grids only; regrid first (e.g. cdo remapbil) or use the file directly with `upwind trajectories`")
        }
        if case .latLon(let g) = projection {
            _ = try ARLGridDefinition(projection: .latLon(g), path: path)
        }
        self.projection = projection
        let rotate = !met.gridRelativeWinds && met.projection != nil
        let nz: Int
        switch field.levels {
        case .pressure(let p):
            verticalKind = .pressure; levels = p; nz = p.count
        case .sigma(let s, let top):
            guard top == 0 else {
                throw MetWriteError.unconvertible(path: path, detail: "σ levels with a top pressure of \(top) hPa cannot be written as ARL σ levels (p = σ·PRSS): interpolate to pressure levels first")
            }
            verticalKind = .sigma; levels = s; nz = s.count
        case .hybrid(let a, let b):
            verticalKind = .hybrid
            let whole = a.map { $0.rounded() }
            levels = zip(whole, b).map { $0 + $1 }
            hybrid = (whole, b)
            nz = a.count
        case .single:
            throw MetWriteError.unconvertible(path: path, detail: "a single-level (2-D) wind cannot be written as ARL, which needs upper levels: use pressure-level data")
        }
        times = met.times
        source = modelID
        let has = Set(met.variables.keys)
        let plane = met.grid.nx * met.grid.ny
        let upperLevels = Array(1...max(nz, 1))
        var variables: [(name: String, levels: [Int])] = [("PRSS", [0]), ("SHGT", [0])]
        if has.contains(.boundaryLayerHeight) { variables.append(("PBLH", [0])) }
        if has.contains(.geopotentialHeight) || has.contains(.geopotential) { variables.append(("HGTS", upperLevels)) }
        if has.contains(.temperature) { variables.append(("TEMP", upperLevels)) }
        variables += [("UWND", upperLevels), ("VWND", upperLevels)]
        if has.contains(.w) { variables.append(("WWND", upperLevels)) }
        if has.contains(.relativeHumidity) { variables.append(("RELH", upperLevels)) }
        if has.contains(.specificHumidity) { variables.append(("SPHU", upperLevels)) }
        self.variables = variables
        var notes: [String] = []
        if !has.contains(.surfacePressure) {
            guard verticalKind == .pressure else {
                throw MetWriteError.unconvertible(path: path, detail: "\(verticalKind.rawValue) levels need surface pressure, which the dataset does not hold")
            }
            notes.append("PRSS (surface pressure) derived from \(has.contains(.geopotentialHeight) || has.contains(.geopotential) ? "the geopotential height profile at SHGT (ln p interpolation)" : "the standard atmosphere at SHGT")")
        }
        if !has.contains(.orography) { notes.append("SHGT (terrain) set to 0 m: the dataset holds no orography") }
        self.notes = notes
        let grid = projection.grid
        let vertical = field.levels
        let hasSPHU = has.contains(.specificHumidity)
        read = { t in
            let s = try field.slice(at: t)
            var out: [ARLFieldValues] = []
            func level(_ values: [Float]?, _ k: Int) -> [Float]? {
                guard let values, values.count >= (k + 1) * plane else { return nil }
                return Array(values[(k * plane)..<((k + 1) * plane)])
            }
            // Surface.
            let shgt = s.terrain ?? [Float](repeating: 0, count: plane)
            var prss = s.surfacePressure
            if prss == nil { prss = GriddedMetSource.surfacePressure(terrain: shgt, slice: s, levels: vertical) }
            if let prss { out.append(ARLFieldValues(name: "PRSS", level: 0, values: prss)) }
            out.append(ARLFieldValues(name: "SHGT", level: 0, values: shgt))
            if let pblh = s.mixingDepth { out.append(ARLFieldValues(name: "PBLH", level: 0, values: pblh)) }
            // Winds along the ARL grid's axes.
            // Each field property is a copy of the slice's storage: read once.
            var u = s.u, v = s.v
            if rotate {
                let eastward = u, northward = v
                for j in 0..<grid.ny {
                    for i in 0..<grid.nx {
                        let p = grid.location(i: i, j: j)
                        let en = Geodesy.eastNorth(latitude: p.latitude, longitude: p.longitude)
                        let axes = grid.windAxes(i: i, j: j)
                        let cu = GriddedMetSource.dot(axes.u, en.east), su = GriddedMetSource.dot(axes.u, en.north)
                        let cv = GriddedMetSource.dot(axes.v, en.east), sv = GriddedMetSource.dot(axes.v, en.north)
                        for k in 0..<nz {
                            let n = (k * grid.ny + j) * grid.nx + i
                            let ue = Double(eastward[n]), vn = Double(northward[n])
                            u[n] = Float(ue * cu + vn * su)
                            v[n] = Float(ue * cv + vn * sv)
                        }
                    }
                }
            }
            var sphu: [Float]?
            if hasSPHU {
                let ms = try met.slice(at: t, roles: [.specificHumidity])
                if let q = ms.fields[.specificHumidity] { sphu = field.bottomUp(q) }
            }
            let upper: [(String, [Float]?, Float)] = [
                ("HGTS", s.height, 1), ("TEMP", s.temperature, 1), ("UWND", u, 1), ("VWND", v, 1),
                ("WWND", s.omega, 0.01), ("RELH", s.relativeHumidity, 1), ("SPHU", sphu, 1),
            ]
            for k in 0..<nz {
                for (name, values, scale) in upper {
                    guard var p = level(values, k), p.contains(where: \.isFinite) else { continue }
                    if scale != 1 { p = p.map { $0 * scale } }
                    out.append(ARLFieldValues(name: name, level: k + 1, values: p))
                }
            }
            return out
        }
    }

    @inline(__always) static func dot(_ a: Vec3, _ b: Vec3) -> Double { a.x * b.x + a.y * b.y + a.z * b.z }

    /// Surface pressure (hPa) at the terrain height from the geopotential height profile
    /// (pressure levels), interpolated linearly in ln p; the standard atmosphere without heights.
    static func surfacePressure(terrain: [Float], slice s: GridSlice, levels: VerticalLevels) -> [Float]? {
        guard case .pressure(let p) = levels else { return nil }
        let plane = s.nx * s.ny, nz = s.nz
        var out = [Float](repeating: .nan, count: plane)
        let height = s.height   // a copy of the slice's field: read once
        for n in 0..<plane {
            let z = Double(terrain[n])
            guard let h = height, nz >= 2 else {
                out[n] = Float(StandardAtmosphere.pressure(height: z))
                continue
            }
            var profile: [(z: Double, lnp: Double)] = []
            for k in 0..<nz where h[k * plane + n].isFinite { profile.append((Double(h[k * plane + n]), log(p[k]))) }
            guard profile.count >= 2 else { out[n] = Float(StandardAtmosphere.pressure(height: z)); continue }
            var k = 0
            while k < profile.count - 2 && profile[k + 1].z < z { k += 1 }
            let a = profile[k], b = profile[k + 1]
            let f = b.z == a.z ? 0 : (z - a.z) / (b.z - a.z)
            out[n] = Float(exp(a.lnp + f * (b.lnp - a.lnp)))
        }
        return out
    }

    /// `values` with NaNs replaced by the nearest valid value along the row, else down the
    /// column (nearest row), else the mean of the valid values (0 when none).
    static func filled(_ values: [Float], nx: Int) -> [Float] {
        guard values.contains(where: { !$0.isFinite }), nx > 0 else { return values }
        let ny = values.count / nx
        var out = values
        var rowDone = [Bool](repeating: true, count: ny)
        for j in 0..<ny {
            let row = Array(values[(j * nx)..<((j + 1) * nx)])
            let valid = row.indices.filter { row[$0].isFinite }
            if valid.isEmpty { rowDone[j] = false; continue }
            for i in 0..<nx where !row[i].isFinite {
                var best = valid[0]
                for c in valid where abs(c - i) < abs(best - i) { best = c }
                out[j * nx + i] = row[best]
            }
        }
        let finite = values.filter(\.isFinite)
        let mean = finite.isEmpty ? 0 : Float(finite.reduce(0.0) { $0 + Double($1) } / Double(finite.count))
        let goodRows = (0..<ny).filter { rowDone[$0] }
        for j in 0..<ny where !rowDone[j] {
            if let near = goodRows.min(by: { abs($0 - j) < abs($1 - j) }) {
                for i in 0..<nx { out[j * nx + i] = out[near * nx + i] }
            } else {
                for i in 0..<nx { out[j * nx + i] = mean }
            }
        }
        return out
    }

    /// Counts the non-finite values of a field (what ``filled(_:nx:)`` replaces).
    static func missing(_ values: [Float]) -> Int { values.reduce(0) { $0 + ($1.isFinite ? 0 : 1) } }
}

extension MetWindField {
    /// A 3-D field of the dataset (file level order) reordered bottom-up like the wind.
    func bottomUp(_ f: MetField) -> [Float] {
        let plane = f.nx * f.ny
        var out = [Float](repeating: .nan, count: order.count * plane)
        for (k, fk) in order.enumerated() where fk < f.nz {
            for n in 0..<plane { out[k * plane + n] = f.values[fk * plane + n] }
        }
        return out
    }
}

/// Summary of a conversion written by ``ARLWriter/write(_:to:)``.
public struct ARLConversionReport: Sendable {
    /// The summaries of every record written.
    public var records: [ARLRecordSummary]
    /// Largest packing error per ARL variable, in its units.
    public var maxErrorByVariable: [String: Double]
    /// Largest theoretical bound per ARL variable (see ``ARLPackedField/errorBound(largestMagnitude:)``).
    public var boundByVariable: [String: Double]
    /// Missing values filled before packing.
    public var filledValues: Int
}

extension ARLWriter {
    /// Writes `source` as an ARL file at `path` (temporary file, renamed when complete).
    /// - Returns: the packing summary.
    /// - Throws: what ``ARLWriter/init(path:source:projection:verticalFlag:levels:)``,
    ///   ``writePeriod(time:forecastHour:fields:)`` and the source's reader throw.
    @discardableResult
    public static func write(_ source: GriddedMetSource, to path: String) throws -> ARLConversionReport {
        let writer = try ARLWriter(path: path, source: source.source, projection: source.projection, verticalFlag: source.verticalFlag,
                                   levels: source.levels)
        var filled = 0
        do {
            for t in source.times.indices {
                var fields = try source.read(t)
                for k in fields.indices {
                    let m = GriddedMetSource.missing(fields[k].values)
                    if m > 0 {
                        filled += m
                        fields[k].values = GriddedMetSource.filled(fields[k].values, nx: writer.nx)
                    }
                }
                try writer.writePeriod(time: source.times[t], fields: fields)
            }
            try writer.finish()
        } catch {
            writer.cancel()
            throw error
        }
        var errors: [String: Double] = [:], bounds: [String: Double] = [:]
        for r in writer.records {
            errors[r.variable] = max(errors[r.variable] ?? 0, r.maxError)
            bounds[r.variable] = max(bounds[r.variable] ?? 0, r.errorBound)
        }
        return ARLConversionReport(records: writer.records, maxErrorByVariable: errors, boundByVariable: bounds, filledValues: filled)
    }
}
