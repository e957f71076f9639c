import RealModule

/// Spherical-Earth constants and conversions (see the *Trajectory integration* article in Upwind's documentation).
public enum Earth {
    /// Mean Earth radius used for every distance and step, m (as pysplit's distances).
    public static let radius = 6_371_000.0
    /// Dry-air gas constant R_d, J kg⁻¹ K⁻¹.
    public static let dryAirGasConstant = 287.05
    /// Standard gravity g₀, m s⁻².
    public static let gravity = 9.80665
    /// R_d/c_p, the exponent of potential temperature.
    public static let kappa = 0.2857
    /// Earth's rotation rate Ω, s⁻¹.
    public static let rotationRate = 7.292e-5
}

/// A 3-D Cartesian vector; positions on the sphere are unit vectors, velocities tangent vectors.
public struct Vec3: Sendable, Equatable {
    /// Components along the axes through (0°N, 0°E), (0°N, 90°E) and the North Pole.
    public var x: Double, y: Double, z: Double

    /// Creates a vector.
    @inlinable public init(_ x: Double, _ y: Double, _ z: Double) { self.x = x; self.y = y; self.z = z }

    /// The zero vector.
    public static let zero = Vec3(0, 0, 0)

    /// Sum.
    @inlinable public static func + (a: Vec3, b: Vec3) -> Vec3 { Vec3(a.x + b.x, a.y + b.y, a.z + b.z) }
    /// Difference.
    @inlinable public static func - (a: Vec3, b: Vec3) -> Vec3 { Vec3(a.x - b.x, a.y - b.y, a.z - b.z) }
    /// Scaling.
    @inlinable public static func * (s: Double, a: Vec3) -> Vec3 { Vec3(s * a.x, s * a.y, s * a.z) }
    /// Dot product.
    @inlinable public func dot(_ b: Vec3) -> Double { x * b.x + y * b.y + z * b.z }
    /// Cross product.
    @inlinable public func cross(_ b: Vec3) -> Vec3 { Vec3(y * b.z - z * b.y, z * b.x - x * b.z, x * b.y - y * b.x) }
    /// Euclidean length.
    @inlinable public var length: Double { dot(self).squareRoot() }
    /// The unit vector in the same direction.
    @inlinable public var normalized: Vec3 { (1 / length) * self }
}

/// Spherical geometry on the unit sphere. Angles in degrees at the interface.
public enum Geodesy {
    /// Degrees → radians.
    public static let radiansPerDegree = Double.pi / 180

    /// The unit vector of a point.
    @inlinable public static func unitVector(latitude: Double, longitude: Double) -> Vec3 {
        let phi = latitude * radiansPerDegree, lambda = longitude * radiansPerDegree
        let c = Math.cos(phi)
        return Vec3(c * Math.cos(lambda), c * Math.sin(lambda), Math.sin(phi))
    }

    /// Latitude and longitude (−180…180) of a (not necessarily unit) vector.
    @inlinable public static func latLon(_ p: Vec3) -> (latitude: Double, longitude: Double) {
        let lat = Math.atan2(p.z, (p.x * p.x + p.y * p.y).squareRoot()) / radiansPerDegree
        let lon = Math.atan2(p.y, p.x) / radiansPerDegree
        return (lat, normalizedLongitude(lon))
    }

    /// Local unit vectors pointing east and north at a point. At the poles "east" is taken
    /// along the given meridian's +90° direction so that it stays defined.
    @inlinable public static func eastNorth(latitude: Double, longitude: Double) -> (east: Vec3, north: Vec3) {
        let phi = latitude * radiansPerDegree, lambda = longitude * radiansPerDegree
        let sl = Math.sin(lambda), cl = Math.cos(lambda), sp = Math.sin(phi), cp = Math.cos(phi)
        return (Vec3(-sl, cl, 0), Vec3(-sp * cl, -sp * sl, cp))
    }

    /// A longitude in [−180, 180).
    @inlinable public static func normalizedLongitude(_ lon: Double) -> Double {
        if lon >= -180 && lon < 180 { return lon }
        if lon >= 180 && lon < 540 { return lon - 360 }
        if lon < -180 && lon >= -540 { return lon + 360 }
        var l = (lon + 180).truncatingRemainder(dividingBy: 360)
        if l < 0 { l += 360 }
        let r = l - 180
        return r >= 180 ? r - 360 : r
    }

    /// Great-circle distance between two points, m (haversine on ``Earth/radius``).
    public static func distance(latitude1: Double, longitude1: Double, latitude2: Double, longitude2: Double) -> Double {
        let a = unitVector(latitude: latitude1, longitude: longitude1)
        let b = unitVector(latitude: latitude2, longitude: longitude2)
        return Earth.radius * Math.atan2(a.cross(b).length, a.dot(b))
    }

    /// The point reached from `p` by rotating it by `angle` radians about the unit axis `axis`
    /// (Rodrigues' formula); used for exact solid-body rotation answers.
    public static func rotate(_ p: Vec3, about axis: Vec3, angle: Double) -> Vec3 {
        let c = Math.cos(angle), s = Math.sin(angle)
        return c * p + s * axis.cross(p) + ((1 - c) * axis.dot(p)) * axis
    }
}
