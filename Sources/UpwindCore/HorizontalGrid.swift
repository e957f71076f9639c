/// A horizontal grid of nodes `(i, j)`, `i` along x (0..<nx) and `j` along y (0..<ny),
/// that locates geographic points and says how the data's wind components are oriented.
///
/// The engine never assumes latitude-longitude: it works with fractional index coordinates
/// for the interpolation stencil and with 3-D Cartesian wind vectors, so projected grids
/// with grid-relative winds plug in without changing the integrator.
public protocol HorizontalGrid: Sendable {
    /// Number of nodes along x.
    var nx: Int { get }
    /// Number of nodes along y.
    var ny: Int { get }
    /// True when x wraps around the globe (node nx is node 0 again).
    var wrapsX: Bool { get }
    /// Fractional 0-based index coordinates of a point, possibly outside the grid.
    func index(latitude: Double, longitude: Double) -> (x: Double, y: Double)
    /// Geographic location of node `(i, j)`, degrees.
    func location(i: Int, j: Int) -> (latitude: Double, longitude: Double)
    /// Earth-relative 3-D unit vectors of the directions along which the data's `u` and `v`
    /// components point at node `(i, j)`: east and north for earth-relative winds, the grid
    /// axes for grid-relative winds.
    func windAxes(i: Int, j: Int) -> (u: Vec3, v: Vec3)
    /// The smaller node spacing near fractional index `(x, y)`, m (used by the TRATIO step rule).
    func spacing(x: Double, y: Double) -> Double
    /// For a global grid whose rows stop short of a pole: the node that stands for the
    /// virtual node `(i, j)` with `j` outside `0..<ny`, reached across the pole; nil otherwise.
    func acrossPole(i: Int, j: Int) -> (i: Int, j: Int)?
}

/// A grid of equally spaced nodes on a map projection plane: node (i, j) sits at
/// `(x0 + i·spacingM, y0 + j·spacingM)` metres. Index and location follow from the projection.
public protocol ProjectedGrid: HorizontalGrid {
    /// Node spacing on the projection plane, m.
    var spacingM: Double { get }
    /// Projection x of node (0, 0), m.
    var x0: Double { get }
    /// Projection y of node (0, 0), m.
    var y0: Double { get }
    /// Projection coordinates (m) of a point.
    func project(latitude: Double, longitude: Double) -> (x: Double, y: Double)
    /// The point at projection coordinates (m).
    func unproject(x: Double, y: Double) -> (latitude: Double, longitude: Double)
}

extension ProjectedGrid {
    /// Fractional node index of a point.
    public func index(latitude: Double, longitude: Double) -> (x: Double, y: Double) {
        let p = project(latitude: latitude, longitude: longitude)
        return ((p.x - x0) / spacingM, (p.y - y0) / spacingM)
    }

    /// Geographic location of node (i, j), degrees.
    public func location(i: Int, j: Int) -> (latitude: Double, longitude: Double) {
        unproject(x: x0 + Double(i) * spacingM, y: y0 + Double(j) * spacingM)
    }

    /// Projected grids never reach across a pole.
    public func acrossPole(i: Int, j: Int) -> (i: Int, j: Int)? { nil }
}

extension LatLonGrid: HorizontalGrid {
    public var wrapsX: Bool { isGlobal }

    public func index(latitude: Double, longitude: Double) -> (x: Double, y: Double) {
        (LatLonGrid.fractionalIndex(longitudes, value: longitudeNear(longitude)), LatLonGrid.fractionalIndex(latitudes, value: latitude))
    }

    public func location(i: Int, j: Int) -> (latitude: Double, longitude: Double) {
        (latitudes[j], longitudes[i])
    }

    public func windAxes(i: Int, j: Int) -> (u: Vec3, v: Vec3) {
        let en = Geodesy.eastNorth(latitude: latitudes[j], longitude: longitudes[i])
        return (en.east, en.north)
    }

    public func spacing(x: Double, y: Double) -> Double {
        // Clamped in Double first: a NaN or far-off index must not reach `Int(_:)`, which traps.
        let j = Int(rangeChecked: min(max(y, 0), Double(max(ny - 2, 0)))) ?? 0
        let i = Int(rangeChecked: min(max(x, 0), Double(max(nx - 2, 0)))) ?? 0
        let dLat = ny > 1 ? abs(latitudes[j + 1] - latitudes[j]) : 1
        let dLon = nx > 1 ? abs(longitudes[i + 1] - longitudes[i]) : 1
        let lat = latitudes[min(j, ny - 1)]
        // Near the poles the meridians converge; the Cartesian interpolation handles the
        // geometry, so the step is limited by at most a tenth of the equatorial spacing.
        let c = max(Math.cos(lat * Geodesy.radiansPerDegree), 0.1)
        let m = Earth.radius * Geodesy.radiansPerDegree
        return min(dLat * m, dLon * m * c)
    }

    public func acrossPole(i: Int, j: Int) -> (i: Int, j: Int)? {
        guard isGlobal, nx % 2 == 0, ny >= 2 else { return nil }
        let step = latitudes[1] - latitudes[0]
        // Only when the first/last row lies within one step of the pole.
        if j < 0, latitudes[0] - step <= -90 + 1e-9 {
            let jj = -j - (latitudes[0] <= -90 + 1e-9 ? 0 : 1)
            guard jj < ny else { return nil }
            return ((i + nx / 2) % nx, jj)
        }
        if j >= ny, latitudes[ny - 1] + step >= 90 - 1e-9 {
            let over = j - (ny - 1)
            let jj = ny - 1 - over + (latitudes[ny - 1] >= 90 - 1e-9 ? 0 : 1)
            guard jj >= 0 else { return nil }
            return ((i + nx / 2) % nx, jj)
        }
        return nil
    }

    /// The longitude equivalent (±360°) closest to the grid's range.
    func longitudeNear(_ lon: Double) -> Double {
        guard let first = longitudes.first else { return lon }
        var l = lon
        while l < first { l += 360 }
        while l >= first + 360 { l -= 360 }
        // A regional grid east of the seam may match better one turn down.
        if !isGlobal, let last = longitudes.last, l > last, l - 360 >= first - (l - last) { l -= 360 }
        return l
    }

    /// Fractional index of `value` in an ascending axis (linear between nodes; extrapolated outside).
    static func fractionalIndex(_ axis: [Double], value: Double) -> Double {
        let n = axis.count
        guard n >= 2 else { return value == axis.first ? 0 : .infinity }
        if let step = AxisSummary.regularStep(axis) { return (value - axis[0]) / step }
        if value <= axis[0] { return (value - axis[0]) / (axis[1] - axis[0]) }
        if value >= axis[n - 1] { return Double(n - 1) + (value - axis[n - 1]) / (axis[n - 1] - axis[n - 2]) }
        var lo = 0, hi = n - 1
        while hi - lo > 1 {
            let mid = (lo + hi) / 2
            if axis[mid] <= value { lo = mid } else { hi = mid }
        }
        return Double(lo) + (value - axis[lo]) / (axis[hi] - axis[lo])
    }
}

/// A polar stereographic grid (true at `standardParallel`, oriented along `centralMeridian`)
/// with grid-relative winds: `u` along +x, `v` along +y of the projection plane.
/// Spherical Earth of radius ``earthRadius`` (``Earth/radius`` unless given).
public struct PolarStereographicGrid: ProjectedGrid, Equatable {
    /// Number of nodes along x.
    public let nx: Int
    /// Number of nodes along y.
    public let ny: Int
    /// Grid spacing at the standard parallel, m.
    public let spacingM: Double
    /// Projection x, y of node (0, 0), m.
    public let x0: Double, y0: Double
    /// Latitude of true scale, degrees (positive: north polar aspect).
    public let standardParallel: Double
    /// Longitude that points along −y from the pole (north aspect), degrees.
    public let centralMeridian: Double
    /// Sphere radius, m.
    public let earthRadius: Double
    /// Never wraps.
    public var wrapsX: Bool { false }

    /// Creates a grid whose node (0, 0) sits at projection coordinates `(x0, y0)` (m), on a
    /// sphere of radius `earthRadius` (m).
    public init(nx: Int, ny: Int, spacingM: Double, x0: Double, y0: Double, standardParallel: Double = 60, centralMeridian: Double = -105,
                earthRadius: Double = Earth.radius) {
        self.nx = nx; self.ny = ny; self.spacingM = spacingM; self.x0 = x0; self.y0 = y0
        self.standardParallel = standardParallel; self.centralMeridian = centralMeridian
        self.earthRadius = earthRadius
    }

    var north: Bool { standardParallel >= 0 }
    /// Scale factor k such that ρ = k·tan((90°−|φ|)/2).
    var rhoScale: Double { earthRadius * (1 + Math.sin(abs(standardParallel) * Geodesy.radiansPerDegree)) }

    /// Projection coordinates (m) of a point.
    public func project(latitude: Double, longitude: Double) -> (x: Double, y: Double) {
        let phi = (north ? latitude : -latitude) * Geodesy.radiansPerDegree
        let rho = rhoScale * Math.tan(Double.pi / 4 - phi / 2)
        let beta = (longitude - centralMeridian) * Geodesy.radiansPerDegree
        return north ? (rho * Math.sin(beta), -rho * Math.cos(beta)) : (rho * Math.sin(beta), rho * Math.cos(beta))
    }

    /// The point at projection coordinates (m).
    public func unproject(x: Double, y: Double) -> (latitude: Double, longitude: Double) {
        let rho = (x * x + y * y).squareRoot()
        let phi = Double.pi / 2 - 2 * Math.atan(rho / rhoScale)
        let beta = north ? Math.atan2(x, -y) : Math.atan2(x, y)
        let lat = phi / Geodesy.radiansPerDegree
        return (north ? lat : -lat, Geodesy.normalizedLongitude(centralMeridian + beta / Geodesy.radiansPerDegree))
    }

    public func windAxes(i: Int, j: Int) -> (u: Vec3, v: Vec3) {
        let loc = location(i: i, j: j)
        let en = Geodesy.eastNorth(latitude: loc.latitude, longitude: loc.longitude)
        let beta = (loc.longitude - centralMeridian) * Geodesy.radiansPerDegree
        let c = Math.cos(beta), s = Math.sin(beta)
        // North aspect: east = (cos β, sin β), north = (−sin β, cos β) in the plane, so
        // +x = cos β·east − sin β·north and +y = sin β·east + cos β·north.
        if north { return (c * en.east - s * en.north, s * en.east + c * en.north) }
        // South aspect: y axis flipped.
        return (c * en.east + s * en.north, -1 * (s * en.east) + c * en.north)
    }

    public func spacing(x: Double, y: Double) -> Double {
        let loc = unproject(x: x0 + x * spacingM, y: y0 + y * spacingM)
        let phi = abs(loc.latitude) * Geodesy.radiansPerDegree
        // Map scale factor m = (1 + sin φ_std)/(1 + sin φ): ground spacing = grid spacing / m.
        let m = (1 + Math.sin(abs(standardParallel) * Geodesy.radiansPerDegree)) / (1 + Math.sin(phi))
        return spacingM / m
    }

}
