import Foundation
import NetCDFKit
import UpwindCore

/// Writes a ``GriddedMetSource`` (e.g. an ARL dataset) as CF-1.8 NetCDF-4 that
/// ``MetDataset`` reads back as the same dataset:
///
/// - dims `time`, `lev` (upper levels, bottom-up as in ARL), then `lat`/`lon` (regular
///   latitude-longitude grids, 1-D coordinates) or `y`/`x` (projected grids: 1-D
///   `projection_x/y_coordinate` in m, 2-D `lat(y, x)`/`lon(y, x)`, and a `crs` grid mapping
///   `polar_stereographic`, `lambert_conformal_conic` or `mercator` on a sphere of the grid's
///   radius; Lambert grids true at a latitude other than their tangent latitude are written
///   as the equivalent secant cone with two standard parallels, so x/y are the ARL grid's);
/// - `lev`: `air_pressure` (hPa), `atmosphere_sigma_coordinate` (formula_terms
///   `sigma: lev ps: ps ptop: ptop`) or `atmosphere_hybrid_sigma_pressure_coordinate`
///   (formula_terms `a: a b: b ps: ps p0: p0`, p = a·p0 + b·ps);
/// - `time`: seconds since 1970-01-01 (double, standard calendar);
/// - variables in ARL units under CF names: `u`/`v` (`x_wind`/`y_wind` with the grid-relative
///   attribute on polar stereographic and Lambert grids, else `eastward_wind`/`northward_wind`),
///   `w` (ω, hPa s⁻¹), `t`, `zg`, `hur`, `hus`, `ps` (hPa), `orog`, `blh`; other ARL variables
///   under their ARL names; float, NaN where a variable is absent at a level.
///
/// The file is written under a temporary name and renamed when complete.
public enum CFMetWriter {
    /// CF name, standard_name, units and long name of the ARL variables Upwind maps.
    static let names: [String: (name: String, standard: String?, units: String, long: String)] = [
        "UWND": ("u", "eastward_wind", "m s-1", "wind component along x"),
        "VWND": ("v", "northward_wind", "m s-1", "wind component along y"),
        "WWND": ("w", "lagrangian_tendency_of_air_pressure", "hPa s-1", "pressure vertical velocity (omega)"),
        "TEMP": ("t", "air_temperature", "K", "temperature"),
        "HGTS": ("zg", "geopotential_height", "m", "geopotential height"),
        "RELH": ("hur", "relative_humidity", "%", "relative humidity"),
        "SPHU": ("hus", "specific_humidity", "kg kg-1", "specific humidity"),
        "PRSS": ("ps", "surface_air_pressure", "hPa", "surface pressure"),
        "SHGT": ("orog", "surface_altitude", "m", "terrain height"),
        "PBLH": ("blh", "atmosphere_boundary_layer_thickness", "m", "boundary layer depth"),
        "T02M": ("T02M", nil, "K", "temperature at 2 m"),
        "U10M": ("U10M", nil, "m s-1", "wind component along x at 10 m"),
        "V10M": ("V10M", nil, "m s-1", "wind component along y at 10 m"),
    ]

    /// Writes `source` to `path` (replaced only when the whole file is written).
    /// - Throws: ``MetWriteError`` when the file cannot be written, ``MetError/netCDF(_:)``
    ///   when libnetcdf fails, and what the source's reader throws.
    public static func write(_ source: GriddedMetSource, to path: String) throws {
        let target = try MetOutputTarget.resolve(path)
        let directory = (target as NSString).deletingLastPathComponent
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.isEmpty ? "." : directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw MetWriteError.cannotWrite(path: path, detail: "the folder \(directory) does not exist")
        }
        guard FileManager.default.isWritableFile(atPath: directory.isEmpty ? "." : directory) else {
            throw MetWriteError.cannotWrite(path: path, detail: "the folder \(directory.isEmpty ? "." : directory) is not writable")
        }
        let temporary = (directory.isEmpty ? "." : directory) + "/." + (target as NSString).lastPathComponent + ".\(UUID().uuidString).tmp"
        do {
            try MetError.wrapping { try writeFile(source, path: temporary) }
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw error
        }
        if rename(temporary, target) != 0 {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(atPath: temporary)
            throw MetWriteError.cannotWrite(path: path, detail: "cannot move the finished file into place: \(reason)")
        }
    }

    /// The CF `grid_mapping` attributes of a conformal grid and the offsets (m) from the
    /// grid's projection x/y to the written x/y (0 except for Lambert grids).
    static func gridMapping(_ projection: MapProjection) -> [(String, NetCDFAttributeValue)] {
        switch projection {
        case .latLon:
            return [("grid_mapping_name", .text("latitude_longitude"))]
        case .polarStereographic(let g):
            return [
                ("grid_mapping_name", .text("polar_stereographic")),
                ("straight_vertical_longitude_from_pole", .double([g.centralMeridian])),
                ("latitude_of_projection_origin", .double([g.standardParallel >= 0 ? 90 : -90])),
                ("standard_parallel", .double([g.standardParallel])),
                ("false_easting", .double([0])), ("false_northing", .double([0])),
                ("earth_radius", .double([g.earthRadius])),
            ]
        case .lambertConformal(let g):
            let parallels = secantParallels(g)
            // y = 0 at the apex in the ARL grid: false_northing = −ρ(origin).
            let rho0 = -g.project(latitude: g.tangentLatitude, longitude: g.centralMeridian).y
            return [
                ("grid_mapping_name", .text("lambert_conformal_conic")),
                ("standard_parallel", .double(parallels)),
                ("longitude_of_central_meridian", .double([g.centralMeridian])),
                ("latitude_of_projection_origin", .double([g.tangentLatitude])),
                ("false_easting", .double([0])), ("false_northing", .double([-rho0])),
                ("earth_radius", .double([g.earthRadius])),
            ]
        case .mercator(let g):
            return [
                ("grid_mapping_name", .text("mercator")),
                ("longitude_of_projection_origin", .double([g.centralMeridian])),
                ("standard_parallel", .double([g.referenceLatitude])),
                ("false_easting", .double([0])), ("false_northing", .double([0])),
                ("earth_radius", .double([g.earthRadius])),
            ]
        case .curvilinear:
            return []
        }
    }

    /// The standard parallel(s) of the secant cone equal to a tangent cone scaled to be true
    /// at its reference latitude: the reference latitude and the other latitude of equal
    /// tangent-cone scale (one parallel when the reference is the tangent latitude).
    public static func secantParallels(_ g: LambertConformalGrid) -> [Double] {
        let t = g.tangentLatitude, r = g.referenceLatitude
        guard abs(r - t) > 1e-9 else { return [t] }
        // Scale of the tangent cone at φ (≥ 1, least at the tangent latitude): 1/planeScale of a grid true at φ.
        func k(_ phi: Double) -> Double {
            1 / LambertConformalGrid(nx: 1, ny: 1, spacingM: 1, x0: 0, y0: 0, tangentLatitude: t, centralMeridian: 0,
                                     referenceLatitude: phi, earthRadius: g.earthRadius).planeScale
        }
        let target = k(r)
        // The other parallel lies on the other side of the tangent latitude.
        var lo = t, hi = r > t ? -89.9 : 89.9
        for _ in 0..<200 {
            let mid = (lo + hi) / 2
            if k(mid) < target { lo = mid } else { hi = mid }
        }
        return [r, (lo + hi) / 2]
    }

    static func writeFile(_ source: GriddedMetSource, path: String) throws {
        let file = try NetCDFFile.create(path, format: .netcdf4, overwrite: true)
        do {
            try file.setFillMode(false)
            let g = file.root
            let grid = source.projection.grid
            let nx = grid.nx, ny = grid.ny, nz = source.levels.count
            let projected: Bool
            if case .latLon = source.projection { projected = false } else { projected = true }
            if case .curvilinear = source.projection {
                throw MetWriteError.unconvertible(path: path, detail: "writing a curvilinear grid is not supported: regrid first (e.g. cdo remapbil)")
            }
            let dTime = try g.defineDimension("time", length: nil)
            let dLev = nz > 0 ? try g.defineDimension("lev", length: nz) : nil
            let dY = try g.defineDimension(projected ? "y" : "lat", length: ny)
            let dX = try g.defineDimension(projected ? "x" : "lon", length: nx)

            let time = try g.defineVariable("time", type: .double, dimensions: [dTime])
            try time.setAttribute("standard_name", .text("time"))
            try time.setAttribute("units", .text("seconds since 1970-01-01 00:00:00"))
            try time.setAttribute("calendar", .text("standard"))
            try time.setAttribute("axis", .text("T"))

            var extra: [(NetCDFVariable, [Double])] = []
            var levVar: NetCDFVariable?
            if let dLev {
                let lev = try g.defineVariable("lev", type: .double, dimensions: [dLev])
                try lev.setAttribute("axis", .text("Z"))
                switch source.verticalKind {
                case .pressure:
                    try lev.setAttribute("standard_name", .text("air_pressure"))
                    try lev.setAttribute("units", .text("hPa"))
                    try lev.setAttribute("positive", .text("down"))
                case .sigma:
                    try lev.setAttribute("standard_name", .text("atmosphere_sigma_coordinate"))
                    try lev.setAttribute("units", .text("1"))
                    try lev.setAttribute("positive", .text("down"))
                    try lev.setAttribute("formula_terms", .text("sigma: lev ps: ps ptop: ptop"))
                    let ptop = try g.defineVariable("ptop", type: .double, dimensions: [])
                    try ptop.setAttribute("units", .text("hPa"))
                    try ptop.setAttribute("long_name", .text("pressure at the model top"))
                    extra.append((ptop, [0]))
                case .hybrid:
                    try lev.setAttribute("standard_name", .text("atmosphere_hybrid_sigma_pressure_coordinate"))
                    try lev.setAttribute("units", .text("1"))
                    try lev.setAttribute("positive", .text("down"))
                    try lev.setAttribute("long_name", .text("ARL hybrid level a + b (a in whole hPa)"))
                    try lev.setAttribute("formula_terms", .text("a: a b: b ps: ps p0: p0"))
                    let a = source.hybrid?.a ?? source.levels.map { $0.rounded(.down) }
                    let b = source.hybrid?.b ?? zip(source.levels, a).map { $0 - $1 }
                    let p0 = 1000.0
                    let av = try g.defineVariable("a", type: .double, dimensions: [dLev])
                    try av.setAttribute("long_name", .text("hybrid coefficient a (p = a·p0 + b·ps)"))
                    try av.setAttribute("units", .text("1"))
                    let bv = try g.defineVariable("b", type: .double, dimensions: [dLev])
                    try bv.setAttribute("long_name", .text("hybrid coefficient b (p = a·p0 + b·ps)"))
                    try bv.setAttribute("units", .text("1"))
                    let p0v = try g.defineVariable("p0", type: .double, dimensions: [])
                    try p0v.setAttribute("units", .text("hPa"))
                    try p0v.setAttribute("long_name", .text("reference pressure"))
                    extra += [(av, a.map { $0 / p0 }), (bv, b), (p0v, [p0])]
                case .height:
                    try lev.setAttribute("standard_name", .text("height"))
                    try lev.setAttribute("units", .text("m"))
                    try lev.setAttribute("positive", .text("up"))
                case .surface:
                    break
                }
                levVar = lev
            }

            var coordinates: [(NetCDFVariable, [Double])] = []
            var lat2D: NetCDFVariable?, lon2D: NetCDFVariable?
            switch source.projection {
            case .latLon(let ll):
                let lat = try g.defineVariable("lat", type: .double, dimensions: [dY])
                try lat.setAttribute("standard_name", .text("latitude"))
                try lat.setAttribute("units", .text("degrees_north"))
                try lat.setAttribute("axis", .text("Y"))
                let lon = try g.defineVariable("lon", type: .double, dimensions: [dX])
                try lon.setAttribute("standard_name", .text("longitude"))
                try lon.setAttribute("units", .text("degrees_east"))
                try lon.setAttribute("axis", .text("X"))
                coordinates = [(lat, ll.latitudes), (lon, ll.longitudes)]
            default:
                guard let p = ProjectedGridSummary(source.projection) else { break }
                let y = try g.defineVariable("y", type: .double, dimensions: [dY])
                try y.setAttribute("standard_name", .text("projection_y_coordinate"))
                try y.setAttribute("units", .text("m"))
                try y.setAttribute("axis", .text("Y"))
                let x = try g.defineVariable("x", type: .double, dimensions: [dX])
                try x.setAttribute("standard_name", .text("projection_x_coordinate"))
                try x.setAttribute("units", .text("m"))
                try x.setAttribute("axis", .text("X"))
                coordinates = [(y, (0..<ny).map { p.y0 + Double($0) * p.step }), (x, (0..<nx).map { p.x0 + Double($0) * p.step })]
                let lat = try g.defineVariable("lat", type: .double, dimensions: [dY, dX])
                try lat.setAttribute("standard_name", .text("latitude"))
                try lat.setAttribute("units", .text("degrees_north"))
                let lon = try g.defineVariable("lon", type: .double, dimensions: [dY, dX])
                try lon.setAttribute("standard_name", .text("longitude"))
                try lon.setAttribute("units", .text("degrees_east"))
                lat2D = lat; lon2D = lon
                let crs = try g.defineVariable("crs", type: .int, dimensions: [])
                for (k, v) in gridMapping(source.projection) { try crs.setAttribute(k, v) }
                extra.append((crs, [0]))
            }

            // Data variables.
            var dataVars: [String: (variable: NetCDFVariable, threeD: Bool)] = [:]
            let used = Set(CFFile.knownNames.filter { $0.role != nil }.map { $0.name.lowercased() })
            for (arl, levels) in source.variables {
                let key = arl.trimmingCharacters(in: .whitespaces)
                let threeD = levels.contains { $0 >= 1 } && dLev != nil
                var meta = names[key] ?? (key, nil, "", "ARL variable \(key)")
                if names[key] == nil, used.contains(meta.name.lowercased()) || dataVars[meta.name] != nil || ["lat", "lon", "x", "y", "lev", "time", "crs", "a", "b", "p0", "ptop"].contains(meta.name) {
                    meta.name = "arl_" + key
                }
                guard dataVars[meta.name] == nil else { continue }
                var dims = [dTime, dY, dX]
                if threeD, let dLev { dims = [dTime, dLev, dY, dX] }
                let v = try g.defineVariable(meta.name, type: .float, dimensions: dims,
                                             chunking: threeD ? [1, nz, ny, nx] : [1, ny, nx], deflateLevel: 1, shuffle: true)
                try v.setAttribute("_FillValue", .float([.nan]))
                if !meta.units.isEmpty { try v.setAttribute("units", .text(meta.units)) }
                var standard = meta.standard
                if source.windsGridRelative && (key == "UWND" || key == "VWND") {
                    standard = key == "UWND" ? "x_wind" : "y_wind"
                    try v.setAttribute("comment", .text("grid-relative wind: along the projection's \(key == "UWND" ? "+x" : "+y") axis, not \(key == "UWND" ? "eastward" : "northward")"))
                }
                if let standard { try v.setAttribute("standard_name", .text(standard)) }
                try v.setAttribute("long_name", .text(meta.long))
                try v.setAttribute("arl_name", .text(key))
                if projected {
                    try v.setAttribute("grid_mapping", .text("crs"))
                    try v.setAttribute("coordinates", .text("lat lon"))
                }
                dataVars[key] = (v, threeD)
            }
            try g.setAttribute("Conventions", .text("CF-1.8"))
            try g.setAttribute("title", .text("\(source.source) meteorology converted by Upwind"))
            try g.setAttribute("source", .text("HYSPLIT ARL data source '\(source.source)'"))
            try g.setAttribute("history", .text("upwind convert-met"))
            try g.setAttribute("arl_source_id", .text(source.source))
            if projected { try g.setAttribute("winds_grid_relative", .text(source.windsGridRelative ? "true" : "false")) }
            try file.endDefine()

            // Coordinates.
            try time.write(source.times.map { Double($0.secondsSince1970) }, start: [0], count: [source.times.count])
            if let levVar { try levVar.write(source.levels) }
            for (v, values) in coordinates { try v.write(values) }
            for (v, values) in extra where !values.isEmpty {
                if v.dimensions.isEmpty { try v.write([values[0]], start: [], count: []) } else { try v.write(values) }
            }
            if let lat2D, let lon2D {
                var lats = [Double](repeating: 0, count: nx * ny), lons = lats
                for j in 0..<ny {
                    for i in 0..<nx {
                        let p = grid.location(i: i, j: j)
                        lats[j * nx + i] = p.latitude; lons[j * nx + i] = p.longitude
                    }
                }
                try lat2D.write(lats)
                try lon2D.write(lons)
            }

            // Data, one time at a time.
            let plane = nx * ny
            for t in source.times.indices {
                let fields = try source.read(t)
                var volumes: [String: [Float]] = [:]
                for f in fields {
                    let key = f.name.trimmingCharacters(in: .whitespaces)
                    guard let (v, threeD) = dataVars[key], f.values.count == plane else { continue }
                    if threeD {
                        guard f.level >= 1, f.level <= nz else { continue }
                        var vol = volumes[key] ?? [Float](repeating: .nan, count: nz * plane)
                        for n in 0..<plane { vol[(f.level - 1) * plane + n] = f.values[n] }
                        volumes[key] = vol
                    } else {
                        try v.write(f.values, start: [t, 0, 0], count: [1, ny, nx])
                    }
                }
                for (key, vol) in volumes {
                    guard let v = dataVars[key]?.variable else { continue }
                    try v.write(vol, start: [t, 0, 0, 0], count: [1, nz, ny, nx])
                }
                // Variables absent at this time stay NaN (fill mode is off: write them).
                for (key, entry) in dataVars where entry.threeD && volumes[key] == nil {
                    try entry.variable.write([Float](repeating: .nan, count: nz * plane), start: [t, 0, 0, 0], count: [1, nz, ny, nx])
                }
                for (key, entry) in dataVars where !entry.threeD && !fields.contains(where: { $0.name.trimmingCharacters(in: .whitespaces) == key }) {
                    try entry.variable.write([Float](repeating: .nan, count: plane), start: [t, 0, 0], count: [1, ny, nx])
                }
            }
            try file.close()
        } catch {
            try? file.close()
            throw error
        }
    }
}
