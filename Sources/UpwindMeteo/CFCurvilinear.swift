import Foundation
import UpwindCore

/// Curvilinear grids in CF files: 2-D latitude/longitude coordinates found through the CF
/// `coordinates` attribute, their standard names or well-known names, turned into a
/// `CurvilinearGrid` (see the *Reading meteorology* article in Upwind's documentation).
extension CFFile {
    /// A pair of 2-D latitude/longitude coordinate variables on dimensions `(…, y, x)`.
    struct Coordinates2D: Sendable {
        var latitude: CFVariable
        var longitude: CFVariable
        /// The y (rows) and x (columns) dimensions: the coordinates' last two.
        var yDimension: String
        var xDimension: String
        var ny: Int
        var nx: Int
    }

    /// Well-known names of 2-D latitude/longitude pairs, compared case-insensitively: CF and
    /// generic (`lat`/`lon`, `latitude`/`longitude`), WRF (`XLAT`/`XLONG`, `XLAT_M`/`XLONG_M`
    /// of geogrid), NEMO (`nav_lat`/`nav_lon`), ROMS (`lat_rho`/`lon_rho`), POP (`TLAT`/`TLONG`);
    /// NCL's GRIB conversions (`gridlat_N`/`gridlon_N`) are matched by prefix.
    static let coordinatePairs: [(latitude: String, longitude: String)] = [
        ("lat", "lon"), ("latitude", "longitude"), ("xlat", "xlong"), ("xlat_m", "xlong_m"), ("nav_lat", "nav_lon"),
        ("lat_rho", "lon_rho"), ("tlat", "tlong"), ("lats", "lons"),
    ]

    /// The file's 2-D latitude/longitude coordinates, or nil: first the CF `coordinates`
    /// attribute of a variable, then 2-D variables with standard_name `latitude` and
    /// `longitude`, then the well-known names of ``coordinatePairs`` and `gridlat_*`/`gridlon_*`.
    /// Both must have the same dimensions, at least two, any before the last two of length 1
    /// (or constant, checked when read).
    static func coordinates2D(variables: [CFVariable], byName: [String: CFVariable]) -> Coordinates2D? {
        let latUnits: Set<String> = ["degrees_north", "degree_north", "degree_n", "degrees_n", "degreen", "degreesn"]
        let lonUnits: Set<String> = ["degrees_east", "degree_east", "degree_e", "degrees_e", "degreee", "degreese"]
        func isLatitude(_ v: CFVariable) -> Bool {
            v.standardName == "latitude" || latUnits.contains(v.units.lowercased())
                || coordinatePairs.contains { $0.latitude == v.name.lowercased() } || v.name.lowercased().hasPrefix("gridlat")
        }
        func isLongitude(_ v: CFVariable) -> Bool {
            v.standardName == "longitude" || lonUnits.contains(v.units.lowercased())
                || coordinatePairs.contains { $0.longitude == v.name.lowercased() } || v.name.lowercased().hasPrefix("gridlon")
        }
        func pair(_ lat: CFVariable, _ lon: CFVariable) -> Coordinates2D? {
            let d = lat.dimensions
            guard d.count >= 2, lat.dimensionNames == lon.dimensionNames, lat.name != lon.name else { return nil }
            let y = d[d.count - 2], x = d[d.count - 1]
            guard x.length >= 2, y.length >= 2 else { return nil }
            return Coordinates2D(latitude: lat, longitude: lon, yDimension: y.name, xDimension: x.name, ny: y.length, nx: x.length)
        }
        let twoD = variables.filter { $0.dimensions.count >= 2 }
        // 1. The CF `coordinates` attribute of a data variable.
        for v in twoD {
            guard let names = v.text("coordinates")?.split(separator: " ").map(String.init) else { continue }
            let listed = names.compactMap { byName[$0] }.filter { $0.dimensions.count >= 2 }
            if let lat = listed.first(where: isLatitude), let lon = listed.first(where: { isLongitude($0) && !isLatitude($0) }),
               let p = pair(lat, lon) {
                return p
            }
        }
        // 2. Standard names.
        for lat in twoD where lat.standardName == "latitude" {
            if let lon = twoD.first(where: { $0.standardName == "longitude" && $0.dimensionNames == lat.dimensionNames }), let p = pair(lat, lon) {
                return p
            }
        }
        // 3. Well-known names.
        for (latName, lonName) in coordinatePairs {
            if let lat = twoD.first(where: { $0.name.lowercased() == latName }), let lon = twoD.first(where: { $0.name.lowercased() == lonName }),
               let p = pair(lat, lon) {
                return p
            }
        }
        for lat in twoD where lat.name.lowercased().hasPrefix("gridlat") {
            let suffix = lat.name.dropFirst("gridlat".count)
            if let lon = twoD.first(where: { $0.name.lowercased() == "gridlon" + suffix.lowercased() }), let p = pair(lat, lon) { return p }
        }
        return nil
    }

    /// The plane `(y, x)` of a 2-D (or more, leading dimensions constant) coordinate-like
    /// variable, decoded: fill and missing values become NaN, packing is undone.
    /// - Throws: ``MetError/unsupportedGrid(path:detail:)`` when the plane changes along a
    ///   leading dimension (a moving grid), or a read error.
    static func coordinatePlane(path: String, _ v: CFVariable, nx: Int, ny: Int) throws -> [Double] {
        let packing = CFPacking(v)
        let raw = try MetError.wrapping { try v.handle.read(Double.self) }
        let plane = nx * ny
        guard plane > 0, raw.count >= plane, raw.count % plane == 0 else {
            throw MetError.unsupportedGrid(path: path, detail: "2-D coordinate '\(v.name)' holds \(raw.count) values, not a multiple of its \(ny) × \(nx) plane")
        }
        func decode(_ x: Double) -> Double {
            guard x.isFinite, !packing.fills.contains(x) else { return .nan }
            return x * packing.scale + packing.offset
        }
        let first = raw[0..<plane].map(decode)
        for k in 1..<(raw.count / plane) {
            for n in 0..<plane {
                let other = decode(raw[k * plane + n])
                if !(abs(other - first[n]) <= 1e-6) && !(other.isNaN && first[n].isNaN) {
                    throw MetError.unsupportedGrid(path: path, detail: "2-D coordinate '\(v.name)' changes along '\(v.dimensions.first?.name ?? "")' (a moving grid, e.g. a WRF moving nest): only fixed curvilinear grids are read; cut the file to one position of the grid (e.g. ncks -d \(v.dimensions.first?.name ?? "Time"),0)")
                }
            }
        }
        return first
    }

    /// The curvilinear grid of 2-D coordinates, with the wind-axis angle from `COSALPHA`/`SINALPHA`
    /// (any case) when the file has both on the same plane; `previous` (the grid of the file
    /// read before) is returned when the coordinates are the same and neither gives an angle.
    /// - Throws: ``MetError/unsupportedGrid(path:detail:)`` naming the variables and the node or
    ///   cell that makes them unusable (NaN, fold, repeated point, degenerate cell).
    static func curvilinearGrid(path: String, coordinates c: Coordinates2D, byName: [String: CFVariable],
                                previous: MapProjection? = nil) throws -> CurvilinearGrid {
        let lats = try coordinatePlane(path: path, c.latitude, nx: c.nx, ny: c.ny)
        let lons = try coordinatePlane(path: path, c.longitude, nx: c.nx, ny: c.ny)
        var rotation: (cos: [Double], sin: [Double])?
        let lower = Dictionary(byName.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { a, _ in a })
        if let cv = lower["cosalpha"], let sv = lower["sinalpha"],
           cv.dimensionNames.suffix(2) == [c.yDimension, c.xDimension], sv.dimensionNames.suffix(2) == [c.yDimension, c.xDimension] {
            rotation = (try coordinatePlane(path: path, cv, nx: c.nx, ny: c.ny), try coordinatePlane(path: path, sv, nx: c.nx, ny: c.ny))
        }
        if rotation == nil, case .curvilinear(let g)? = previous, !g.hasGivenRotation, g.nx == c.nx, g.ny == c.ny,
           g.latitudes == lats, g.longitudes == lons {
            return g
        }
        do {
            return try CurvilinearGrid(latitudes: lats, longitudes: lons, nx: c.nx, ny: c.ny, rotation: rotation)
        } catch {
            throw MetError.unsupportedGrid(path: path, detail: "the 2-D coordinates '\(c.latitude.name)'/'\(c.longitude.name)' do not make a usable grid: \(error.description)")
        }
    }

    /// How far 2-D coordinates on the projected axes' dimensions stray from the grid mapping:
    /// the largest distance over all nodes (m) and that distance in grid cells; nil when the
    /// coordinates are not on the axes' dimensions or hold no usable node.
    static func coordinateMismatch(path: String, coordinates c: Coordinates2D, projection: MapProjection,
                                   x: HorizontalAxis, y: HorizontalAxis) throws -> (metres: Double, cells: Double)? {
        guard c.yDimension == y.dimension, c.xDimension == x.dimension else { return nil }
        let nx = x.raw.count, ny = y.raw.count
        guard c.nx == nx, c.ny == ny else { return nil }
        let lats = try coordinatePlane(path: path, c.latitude, nx: nx, ny: ny)
        let lons = try coordinatePlane(path: path, c.longitude, nx: nx, ny: ny)
        let g = projection.grid
        var worst = 0.0, used = 0
        for rj in 0..<ny {
            for ri in 0..<nx {
                let lat = lats[rj * nx + ri], lon = lons[rj * nx + ri]
                guard lat.isFinite, lon.isFinite, abs(lat) <= 90 else { continue }
                let i = x.descending ? nx - 1 - ri : ri, j = y.descending ? ny - 1 - rj : rj
                let p = g.location(i: i, j: j)
                worst = max(worst, Geodesy.distance(latitude1: lat, longitude1: lon, latitude2: p.latitude, longitude2: p.longitude))
                used += 1
            }
        }
        guard used > 0 else { return nil }
        let cell = g.spacing(x: Double(nx) / 2, y: Double(ny) / 2)
        return (worst, worst / cell)
    }

    /// The detail of a reader error, without the path the caller states anyway.
    static func detail(of error: Error) -> String {
        if case MetError.unsupportedGrid(_, let d) = error { return d }
        if case MetError.missingAxis(_, let variable, let axis, let reason) = error { return "variable '\(variable)': \(axis) axis \(reason)" }
        return "\(error)"
    }
}
