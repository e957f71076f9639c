/// A Lambert conformal conic grid with one tangent parallel, on a sphere, with
/// grid-relative winds: `u` along +x, `v` along +y of the projection plane.
///
/// The projection's origin is the cone's apex (the pole on the tangent parallel's side),
/// +y points north along ``centralMeridian``. Projection coordinates are metres on a plane
/// scaled to be true at ``referenceLatitude`` (where ``spacingM`` is measured), as HYSPLIT's
/// `cmapf` grids are (grid size given at a reference latitude on a cone tangent elsewhere).
/// Southern cones (negative ``tangentLatitude``) work the same way with the apex at the
/// South Pole.
public struct LambertConformalGrid: ProjectedGrid, Equatable {
    /// Number of nodes along x.
    public let nx: Int
    /// Number of nodes along y.
    public let ny: Int
    /// Grid spacing at ``referenceLatitude``, m.
    public let spacingM: Double
    /// Projection x, y of node (0, 0), m.
    public let x0: Double, y0: Double
    /// Latitude where the cone touches the sphere, degrees (0 < |φ₀| < 90).
    public let tangentLatitude: Double
    /// Longitude along which +y points north, degrees.
    public let centralMeridian: Double
    /// Latitude where ``spacingM`` is true, degrees.
    public let referenceLatitude: Double
    /// Sphere radius, m.
    public let earthRadius: Double
    /// Never wraps.
    public var wrapsX: Bool { false }

    /// Creates a grid whose node (0, 0) sits at projection coordinates `(x0, y0)` (m).
    /// `referenceLatitude` (degrees) defaults to the tangent latitude; `earthRadius` is in m.
    public init(nx: Int, ny: Int, spacingM: Double, x0: Double, y0: Double, tangentLatitude: Double, centralMeridian: Double,
                referenceLatitude: Double? = nil, earthRadius: Double = Earth.radius) {
        self.nx = nx; self.ny = ny; self.spacingM = spacingM; self.x0 = x0; self.y0 = y0
        self.tangentLatitude = tangentLatitude; self.centralMeridian = centralMeridian
        self.referenceLatitude = referenceLatitude ?? tangentLatitude
        self.earthRadius = earthRadius
    }

    /// Cone constant n = sin φ₀.
    var cone: Double { Math.sin(tangentLatitude * Geodesy.radiansPerDegree) }
    /// R·F with F = cos φ₀ · tan(π/4 + φ₀/2)ⁿ / n, m (negative for southern cones).
    var rF: Double {
        let phi0 = tangentLatitude * Geodesy.radiansPerDegree
        let n = cone
        return earthRadius * Math.cos(phi0) * Math.pow(Math.tan(Double.pi / 4 + phi0 / 2), n) / n
    }

    /// Unscaled ρ(φ), m, with the sign of n.
    func rho(_ latitude: Double) -> Double {
        let phi = latitude * Geodesy.radiansPerDegree
        return rF * Math.pow(Math.tan(Double.pi / 4 + phi / 2), -cone)
    }

    /// Map scale factor of the tangent cone at a latitude (1 on the tangent parallel).
    func tangentScale(_ latitude: Double) -> Double {
        cone * rho(latitude) / (earthRadius * Math.cos(latitude * Geodesy.radiansPerDegree))
    }

    /// Factor (dimensionless) applied to tangent-cone coordinates so the plane is true at
    /// ``referenceLatitude``: 1/k(φ_ref), k the tangent cone's scale factor.
    public var planeScale: Double { 1 / tangentScale(referenceLatitude) }

    /// Angle θ = n·(λ − λ₀) of a longitude's meridian from the +y axis, radians.
    func theta(_ longitude: Double) -> Double {
        cone * Geodesy.normalizedLongitude(longitude - centralMeridian) * Geodesy.radiansPerDegree
    }

    /// Projection coordinates (m) of a point.
    public func project(latitude: Double, longitude: Double) -> (x: Double, y: Double) {
        let r = planeScale * rho(latitude)
        let t = theta(longitude)
        return (r * Math.sin(t), -r * Math.cos(t))
    }

    /// The point at projection coordinates (m).
    public func unproject(x: Double, y: Double) -> (latitude: Double, longitude: Double) {
        let n = cone
        let s: Double = n < 0 ? -1 : 1
        let xs = x / planeScale, ys = y / planeScale
        let r = s * (xs * xs + ys * ys).squareRoot()
        let t = Math.atan2(s * xs, -s * ys)
        let phi = 2 * Math.atan(Math.pow(rF / r, 1 / n)) - Double.pi / 2
        return (phi / Geodesy.radiansPerDegree, Geodesy.normalizedLongitude(centralMeridian + t / n / Geodesy.radiansPerDegree))
    }

    public func windAxes(i: Int, j: Int) -> (u: Vec3, v: Vec3) {
        let loc = location(i: i, j: j)
        let en = Geodesy.eastNorth(latitude: loc.latitude, longitude: loc.longitude)
        let t = theta(loc.longitude)
        let c = Math.cos(t), s = Math.sin(t)
        // In the plane east = (cos θ, sin θ) and north = (−sin θ, cos θ) for either cone
        // orientation, so +x = cos θ·east − sin θ·north and +y = sin θ·east + cos θ·north.
        return (c * en.east - s * en.north, s * en.east + c * en.north)
    }

    public func spacing(x: Double, y: Double) -> Double {
        let loc = unproject(x: x0 + x * spacingM, y: y0 + y * spacingM)
        // Scale factor relative to the plane: m = k(φ)/k(φ_ref); ground spacing = grid spacing / m.
        let m = tangentScale(loc.latitude) * planeScale
        return m.isFinite && m > 0 ? spacingM / m : spacingM
    }

}

/// A Mercator grid on a sphere, true at ``referenceLatitude`` (±), with winds along the
/// grid axes, which are east and north everywhere.
public struct MercatorGrid: ProjectedGrid, Equatable {
    /// Number of nodes along x.
    public let nx: Int
    /// Number of nodes along y.
    public let ny: Int
    /// Grid spacing at ``referenceLatitude``, m.
    public let spacingM: Double
    /// Projection x, y of node (0, 0), m.
    public let x0: Double, y0: Double
    /// Latitude of true scale, degrees.
    public let referenceLatitude: Double
    /// Longitude of x = 0, degrees.
    public let centralMeridian: Double
    /// Sphere radius, m.
    public let earthRadius: Double
    /// Never wraps.
    public var wrapsX: Bool { false }

    /// Creates a grid whose node (0, 0) sits at projection coordinates `(x0, y0)` (m);
    /// `earthRadius` in m.
    public init(nx: Int, ny: Int, spacingM: Double, x0: Double, y0: Double, referenceLatitude: Double = 0, centralMeridian: Double = 0,
                earthRadius: Double = Earth.radius) {
        self.nx = nx; self.ny = ny; self.spacingM = spacingM; self.x0 = x0; self.y0 = y0
        self.referenceLatitude = referenceLatitude; self.centralMeridian = centralMeridian; self.earthRadius = earthRadius
    }

    /// R·cos φ_ref, m per radian of longitude.
    var scaledRadius: Double { earthRadius * Math.cos(referenceLatitude * Geodesy.radiansPerDegree) }

    /// Projection coordinates (m) of a point.
    public func project(latitude: Double, longitude: Double) -> (x: Double, y: Double) {
        let phi = latitude * Geodesy.radiansPerDegree
        let dl = Geodesy.normalizedLongitude(longitude - centralMeridian) * Geodesy.radiansPerDegree
        return (scaledRadius * dl, scaledRadius * Math.log(Math.tan(Double.pi / 4 + phi / 2)))
    }

    /// The point at projection coordinates (m).
    public func unproject(x: Double, y: Double) -> (latitude: Double, longitude: Double) {
        let phi = 2 * Math.atan(Math.exp(y / scaledRadius)) - Double.pi / 2
        return (phi / Geodesy.radiansPerDegree, Geodesy.normalizedLongitude(centralMeridian + x / scaledRadius / Geodesy.radiansPerDegree))
    }

    public func windAxes(i: Int, j: Int) -> (u: Vec3, v: Vec3) {
        let loc = location(i: i, j: j)
        let en = Geodesy.eastNorth(latitude: loc.latitude, longitude: loc.longitude)
        return (en.east, en.north)
    }

    public func spacing(x: Double, y: Double) -> Double {
        let loc = unproject(x: x0 + x * spacingM, y: y0 + y * spacingM)
        // Scale factor relative to the plane: m = cos φ_ref / cos φ.
        let c = Math.cos(loc.latitude * Geodesy.radiansPerDegree)
        let cr = Math.cos(referenceLatitude * Geodesy.radiansPerDegree)
        return cr > 0 ? spacingM * c / cr : spacingM
    }

}
