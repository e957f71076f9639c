import UpwindCore

/// Builds in-memory fields from analytic functions, independent of any file reader.
enum Analytic {
    static let t0 = UTCTime(year: 2024, month: 1, day: 1)

    /// A global 1° lat-lon grid (lon 0…359, lat −90…90).
    static func globalGrid(step: Double = 1) -> LatLonGrid {
        let nlon = Int((360 / step).rounded()), nlat = Int((180 / step).rounded()) + 1
        return LatLonGrid(longitudes: (0..<nlon).map { Double($0) * step },
                          latitudes: (0..<nlat).map { -90 + Double($0) * step }, isGlobal: true)
    }

    /// Winds (u east, v north, m/s) and ω (Pa/s) at a point.
    typealias Wind = (_ lat: Double, _ lon: Double, _ p: Double, _ t: Double) -> (u: Double, v: Double, omega: Double)

    /// A lat-lon field sampled from analytic functions at `times` (hours after t0).
    static func field(grid: LatLonGrid, levels: [Double], hours: [Double], wind: Wind,
                      height: ((Double, Double, Double) -> Double)? = { _, _, p in StandardAtmosphere.height(pressure: p) },
                      temperature: ((Double, Double, Double) -> Double)? = { _, _, p in StandardAtmosphere.temperature(height: StandardAtmosphere.height(pressure: p)) },
                      surfacePressure: ((Double, Double) -> Double)? = { _, _ in 1013.25 },
                      terrain: ((Double, Double) -> Double)? = { _, _ in 0 },
                      omega: Bool = true) -> InMemoryWindField {
        let nx = grid.nx, ny = grid.ny, nz = max(levels.count, 1)
        var slices: [GridSlice] = []
        for h in hours {
            let t = h * 3600
            var u = [Float](repeating: 0, count: nx * ny * nz), v = u, w = u, z = u, tt = u
            var ps = [Float](repeating: 0, count: nx * ny), ter = ps
            for k in 0..<nz {
                let p = levels.isEmpty ? Double.nan : levels[k]
                for j in 0..<ny {
                    for i in 0..<nx {
                        let lat = grid.latitudes[j], lon = grid.longitudes[i]
                        let n = (k * ny + j) * nx + i
                        let wv = wind(lat, lon, p, t)
                        u[n] = Float(wv.u); v[n] = Float(wv.v); w[n] = Float(wv.omega)
                        if let height { z[n] = Float(height(lat, lon, p)) }
                        if let temperature { tt[n] = Float(temperature(lat, lon, p)) }
                        if k == 0 {
                            if let surfacePressure { ps[j * nx + i] = Float(surfacePressure(lat, lon)) }
                            if let terrain { ter[j * nx + i] = Float(terrain(lat, lon)) }
                        }
                    }
                }
            }
            var s = GridSlice(time: t0 + Int64(t), nx: nx, ny: ny, nz: nz, u: u, v: v)
            if omega { s.omega = w }
            if height != nil { s.height = z }
            if temperature != nil { s.temperature = tt }
            if surfacePressure != nil { s.surfacePressure = ps }
            if terrain != nil { s.terrain = ter }
            slices.append(s)
        }
        return InMemoryWindField(grid: grid, levels: levels.isEmpty ? .single : .pressure(levels), slices: slices)
    }

    /// Williamson et al. (1992) test case 1: solid-body rotation about an axis tilted by
    /// `alpha` degrees, one revolution in 12 days.
    struct SolidBody {
        var alpha: Double
        var periodDays = 12.0
        var u0: Double { 2 * Double.pi * Earth.radius / (periodDays * 86_400) }
        var rate: Double { u0 / Earth.radius }
        /// The rotation axis: V = u0·(A × P).
        var axis: Vec3 {
            let a = alpha * Geodesy.radiansPerDegree
            return Vec3(-Math.sin(a), 0, Math.cos(a))
        }
        func wind(_ lat: Double, _ lon: Double) -> (Double, Double) {
            let a = alpha * Geodesy.radiansPerDegree, phi = lat * Geodesy.radiansPerDegree, lam = lon * Geodesy.radiansPerDegree
            return (u0 * (Math.cos(phi) * Math.cos(a) + Math.sin(phi) * Math.cos(lam) * Math.sin(a)), -u0 * Math.sin(lam) * Math.sin(a))
        }
        /// Exact position after `seconds` (negative: backward).
        func exact(latitude: Double, longitude: Double, seconds: Double) -> (latitude: Double, longitude: Double) {
            let p = Geodesy.rotate(Geodesy.unitVector(latitude: latitude, longitude: longitude), about: axis, angle: rate * seconds)
            return Geodesy.latLon(p)
        }
    }
}
