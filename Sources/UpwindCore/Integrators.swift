/// The rate of change of a parcel's state: the tangent velocity of its unit position
/// vector (rad s⁻¹ on the unit sphere) and of its pressure (hPa s⁻¹), plus its speed (m s⁻¹)
/// for the time-step rule.
public struct ParcelRate: Sendable {
    /// d(unit position)/dt, s⁻¹.
    public var position: Vec3
    /// dp/dt, hPa s⁻¹.
    public var pressure: Double
    /// Horizontal speed, m s⁻¹.
    public var speed: Double

    /// Creates a rate.
    public init(position: Vec3, pressure: Double, speed: Double) {
        self.position = position; self.pressure = pressure; self.speed = speed
    }
}

/// A parcel's state: unit position vector, pressure (hPa) and time (s since 1970).
public struct ParcelState: Sendable {
    /// Unit vector of the position.
    public var position: Vec3
    /// Pressure, hPa (NaN for single-level fields).
    public var pressure: Double
    /// Time, seconds since 1970-01-01T00:00:00Z.
    public var time: Double

    /// Creates a state.
    public init(position: Vec3, pressure: Double, time: Double) {
        self.position = position; self.pressure = pressure; self.time = time
    }
}

/// The coordinates a step is taken in.
public enum StepFrame: Sendable {
    /// Latitude and longitude: dφ/dt = v/R, dλ/dt = u/(R cos φ) (methods.md §1.10, as HYSPLIT);
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

    /// A step in latitude/longitude coordinates.
    @inlinable
    public static func geographicStep<E: Error>(_ s: ParcelState, dt: Double, scheme: Integrator,
                                                rate: (ParcelState) throws(E) -> ParcelRate) throws(E) -> (ParcelState, maxSpeed: Double) {
        let ll = Geodesy.latLon(s.position)
        let phi = ll.latitude * Geodesy.radiansPerDegree, lam = ll.longitude * Geodesy.radiansPerDegree
        // Coordinate rates (dφ/dt, dλ/dt, dp/dt) of a rate evaluated at (φ, λ).
        func coords(_ k: ParcelRate, _ phi: Double, _ lam: Double) -> (Double, Double, Double) {
            let sp = Math.sin(phi), cp = Math.cos(phi), sl = Math.sin(lam), cl = Math.cos(lam)
            let east = Vec3(-sl, cl, 0), north = Vec3(-sp * cl, -sp * sl, cp)
            return (k.position.dot(north), k.position.dot(east) / max(cp, 1e-6), k.pressure)
        }
        func state(_ phi: Double, _ lam: Double, _ p: Double, _ t: Double) -> ParcelState {
            let c = Math.cos(phi)
            return ParcelState(position: Vec3(c * Math.cos(lam), c * Math.sin(lam), Math.sin(phi)), pressure: p, time: t)
        }
        switch scheme {
        case .heun:
            let k1 = try rate(s)
            let r1 = coords(k1, phi, lam)
            let phiG = phi + dt * r1.0, lamG = lam + dt * r1.1
            let k2 = try rate(state(phiG, lamG, s.pressure + dt * r1.2, s.time + dt))
            let r2 = coords(k2, phiG, lamG)
            return (state(phi + dt * 0.5 * (r1.0 + r2.0), lam + dt * 0.5 * (r1.1 + r2.1), s.pressure + dt * 0.5 * (r1.2 + r2.2), s.time + dt),
                    max(k1.speed, k2.speed))
        case .rk4:
            let k1 = try rate(s)
            let r1 = coords(k1, phi, lam)
            let p2 = (phi + dt / 2 * r1.0, lam + dt / 2 * r1.1)
            let k2 = try rate(state(p2.0, p2.1, s.pressure + dt / 2 * r1.2, s.time + dt / 2))
            let r2 = coords(k2, p2.0, p2.1)
            let p3 = (phi + dt / 2 * r2.0, lam + dt / 2 * r2.1)
            let k3 = try rate(state(p3.0, p3.1, s.pressure + dt / 2 * r2.2, s.time + dt / 2))
            let r3 = coords(k3, p3.0, p3.1)
            let p4 = (phi + dt * r3.0, lam + dt * r3.1)
            let k4 = try rate(state(p4.0, p4.1, s.pressure + dt * r3.2, s.time + dt))
            let r4 = coords(k4, p4.0, p4.1)
            let speed = max(max(k1.speed, k2.speed), max(k3.speed, k4.speed))
            return (state(phi + dt / 6 * (r1.0 + 2 * r2.0 + 2 * r3.0 + r4.0), lam + dt / 6 * (r1.1 + 2 * r2.1 + 2 * r3.1 + r4.1),
                          s.pressure + dt / 6 * (r1.2 + 2 * r2.2 + 2 * r3.2 + r4.2), s.time + dt), speed)
        }
    }

    /// A step of the 3-D position vector.
    @inlinable
    public static func cartesianStep<E: Error>(_ s: ParcelState, dt: Double, scheme: Integrator,
                                               rate: (ParcelState) throws(E) -> ParcelRate) throws(E) -> (ParcelState, maxSpeed: Double) {
        switch scheme {
        case .heun:
            // Petterssen/Heun: predictor P' = P + V(P,t)Δt; corrector P + ½[V(P,t) + V(P',t+Δt)]Δt.
            let k1 = try rate(s)
            let guess = advance(s, k1, dt)
            let k2 = try rate(guess)
            let avg = ParcelRate(position: 0.5 * (k1.position + k2.position), pressure: 0.5 * (k1.pressure + k2.pressure), speed: 0)
            return (advance(s, avg, dt), max(k1.speed, k2.speed))
        case .rk4:
            let k1 = try rate(s)
            let k2 = try rate(advance(s, k1, dt / 2))
            let k3 = try rate(advance(s, k2, dt / 2))
            let k4 = try rate(advance(s, k3, dt))
            let pos = (1.0 / 6) * (k1.position + 2 * k2.position + 2 * k3.position + k4.position)
            let pr = (k1.pressure + 2 * k2.pressure + 2 * k3.pressure + k4.pressure) / 6
            let speed = max(max(k1.speed, k2.speed), max(k3.speed, k4.speed))
            return (advance(s, ParcelRate(position: pos, pressure: pr, speed: 0), dt), speed)
        }
    }

    /// `s` moved along `k` for `dt` seconds, projected back onto the unit sphere.
    @inlinable
    public static func advance(_ s: ParcelState, _ k: ParcelRate, _ dt: Double) -> ParcelState {
        ParcelState(position: (s.position + dt * k.position).normalized, pressure: s.pressure + dt * k.pressure, time: s.time + dt)
    }
}
