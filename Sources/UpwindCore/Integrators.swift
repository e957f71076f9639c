/// The rate of change of a parcel's state: its earth-relative horizontal velocity
/// (eastward and northward, m s⁻¹), dp/dt (hPa s⁻¹), and its speed (m s⁻¹) for the
/// time-step rule.
public struct ParcelRate: Sendable {
    /// Eastward velocity, m s⁻¹.
    public var east: Double
    /// Northward velocity, m s⁻¹.
    public var north: Double
    /// dp/dt, hPa s⁻¹.
    public var pressure: Double
    /// Horizontal speed, m s⁻¹.
    public var speed: Double

    /// Creates a rate.
    @inlinable public init(east: Double, north: Double, pressure: Double, speed: Double) {
        self.east = east; self.north = north; self.pressure = pressure; self.speed = speed
    }
}

/// A parcel's state: latitude and longitude (degrees), pressure (hPa), time (s since 1970).
public struct ParcelState: Sendable {
    /// Latitude, degrees north.
    public var latitude: Double
    /// Longitude, degrees east in [−180, 180).
    public var longitude: Double
    /// Pressure, hPa (NaN for single-level fields).
    public var pressure: Double
    /// Time, seconds since 1970-01-01T00:00:00Z.
    public var time: Double

    /// Creates a state from a position in degrees.
    @inlinable public init(latitude: Double, longitude: Double, pressure: Double, time: Double) {
        self.latitude = latitude; self.longitude = longitude; self.pressure = pressure; self.time = time
    }

    /// Creates a state from a (not necessarily unit) position vector.
    @inlinable public init(position: Vec3, pressure: Double, time: Double) {
        let ll = Geodesy.latLon(position)
        self.init(latitude: ll.latitude, longitude: ll.longitude, pressure: pressure, time: time)
    }

    /// The unit position vector.
    @inlinable public var position: Vec3 { Geodesy.unitVector(latitude: latitude, longitude: longitude) }
}

/// The coordinates a step is taken in.
public enum StepFrame: Sendable {
    /// Latitude and longitude: dφ/dt = v/R, dλ/dt = u/(R cos φ) (as HYSPLIT; see the *Trajectory integration* article in Upwind's documentation);
    /// exact for flow that is uniform in those coordinates. Used away from the poles.
    case geographic
    /// The 3-D unit position vector, projected back onto the sphere after every stage: no
    /// singularity at the poles (the engine's local polar frame).
    case cartesian

    /// The frame the engine uses at a latitude: Cartesian poleward of 80°.
    public static func at(latitude: Double) -> StepFrame { abs(latitude) > 80 ? .cartesian : .geographic }
}

/// One-step integrators on the sphere.
public enum Stepper {
    /// One step of `dt` seconds (negative backward) with `scheme` in `frame`; `rate`
    /// evaluates the flow at a state (tangent velocity of the unit position, s⁻¹) and may
    /// throw to stop the trajectory. Returns the new state and the largest speed seen.
    @inlinable
    public static func step<E: Error>(_ s: ParcelState, dt: Double, scheme: Integrator, frame: StepFrame = .cartesian,
                                      rate: (ParcelState) throws(E) -> ParcelRate) throws(E) -> (ParcelState, maxSpeed: Double) {
        switch frame {
        case .cartesian:
            return try cartesianStep(s, dt: dt, scheme: scheme, rate: rate)
        case .geographic:
            return try geographicStep(s, dt: dt, scheme: scheme, rate: rate)
        }
    }

    /// A step in latitude/longitude coordinates: dφ/dt = v/R, dλ/dt = u/(R cos φ).
    @inlinable
    public static func geographicStep<E: Error>(_ s: ParcelState, dt: Double, scheme: Integrator,
                                                rate: (ParcelState) throws(E) -> ParcelRate) throws(E) -> (ParcelState, maxSpeed: Double) {
        let toRad = Geodesy.radiansPerDegree, r = Earth.radius
        let phi = s.latitude * toRad, lam = s.longitude * toRad
        // Coordinate rates (dφ/dt, dλ/dt, dp/dt) in rad s⁻¹ of a rate at latitude φ.
        @inline(__always) func coords(_ k: ParcelRate, _ phi: Double) -> (Double, Double, Double) {
            (k.north / r, k.east / (r * max(Math.cos(phi), 1e-6)), k.pressure)
        }
        @inline(__always) func state(_ phi: Double, _ lam: Double, _ p: Double, _ t: Double) -> ParcelState {
            ParcelState(latitude: phi / toRad, longitude: Geodesy.normalizedLongitude(lam / toRad), pressure: p, time: t)
        }
        switch scheme {
        case .heun:
            let k1 = try rate(s)
            let r1 = coords(k1, phi)
            let phiG = phi + dt * r1.0, lamG = lam + dt * r1.1
            let k2 = try rate(state(phiG, lamG, s.pressure + dt * r1.2, s.time + dt))
            let r2 = coords(k2, phiG)
            return (state(phi + dt * 0.5 * (r1.0 + r2.0), lam + dt * 0.5 * (r1.1 + r2.1), s.pressure + dt * 0.5 * (r1.2 + r2.2), s.time + dt),
                    max(k1.speed, k2.speed))
        case .rk4:
            let k1 = try rate(s)
            let r1 = coords(k1, phi)
            let p2 = (phi + dt / 2 * r1.0, lam + dt / 2 * r1.1)
            let k2 = try rate(state(p2.0, p2.1, s.pressure + dt / 2 * r1.2, s.time + dt / 2))
            let r2 = coords(k2, p2.0)
            let p3 = (phi + dt / 2 * r2.0, lam + dt / 2 * r2.1)
            let k3 = try rate(state(p3.0, p3.1, s.pressure + dt / 2 * r2.2, s.time + dt / 2))
            let r3 = coords(k3, p3.0)
            let p4 = (phi + dt * r3.0, lam + dt * r3.1)
            let k4 = try rate(state(p4.0, p4.1, s.pressure + dt * r3.2, s.time + dt))
            let r4 = coords(k4, p4.0)
            let speed = max(max(k1.speed, k2.speed), max(k3.speed, k4.speed))
            return (state(phi + dt / 6 * (r1.0 + 2 * r2.0 + 2 * r3.0 + r4.0), lam + dt / 6 * (r1.1 + 2 * r2.1 + 2 * r3.1 + r4.1),
                          s.pressure + dt / 6 * (r1.2 + 2 * r2.2 + 2 * r3.2 + r4.2), s.time + dt), speed)
        }
    }

    /// A step of the 3-D position vector, projected back onto the unit sphere after every stage.
    @inlinable
    public static func cartesianStep<E: Error>(_ s: ParcelState, dt: Double, scheme: Integrator,
                                               rate: (ParcelState) throws(E) -> ParcelRate) throws(E) -> (ParcelState, maxSpeed: Double) {
        // Velocity of the unit position vector (s⁻¹) of a rate at a state.
        @inline(__always) func velocity(_ k: ParcelRate, _ at: ParcelState) -> Vec3 {
            let en = Geodesy.eastNorth(latitude: at.latitude, longitude: at.longitude)
            return (1 / Earth.radius) * (k.east * en.east + k.north * en.north)
        }
        @inline(__always) func moved(_ p: Vec3, _ v: Vec3, _ pressure: Double, _ dp: Double, _ t: Double, _ h: Double) -> ParcelState {
            ParcelState(position: (p + h * v).normalized, pressure: pressure + h * dp, time: t + h)
        }
        let p0 = s.position
        switch scheme {
        case .heun:
            // Petterssen/Heun: predictor P' = P + V(P,t)Δt; corrector P + ½[V(P,t) + V(P',t+Δt)]Δt.
            let k1 = try rate(s)
            let v1 = velocity(k1, s)
            let guess = moved(p0, v1, s.pressure, k1.pressure, s.time, dt)
            let k2 = try rate(guess)
            let v2 = velocity(k2, guess)
            return (moved(p0, 0.5 * (v1 + v2), s.pressure, 0.5 * (k1.pressure + k2.pressure), s.time, dt), max(k1.speed, k2.speed))
        case .rk4:
            let k1 = try rate(s)
            let v1 = velocity(k1, s)
            let s2 = moved(p0, v1, s.pressure, k1.pressure, s.time, dt / 2)
            let k2 = try rate(s2)
            let v2 = velocity(k2, s2)
            let s3 = moved(p0, v2, s.pressure, k2.pressure, s.time, dt / 2)
            let k3 = try rate(s3)
            let v3 = velocity(k3, s3)
            let s4 = moved(p0, v3, s.pressure, k3.pressure, s.time, dt)
            let k4 = try rate(s4)
            let v4 = velocity(k4, s4)
            let v = (1.0 / 6) * (v1 + 2 * v2 + 2 * v3 + v4)
            let dp = (k1.pressure + 2 * k2.pressure + 2 * k3.pressure + k4.pressure) / 6
            let speed = max(max(k1.speed, k2.speed), max(k3.speed, k4.speed))
            return (moved(p0, v, s.pressure, dp, s.time, dt), speed)
        }
    }
}
