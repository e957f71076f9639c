/// The wind evaluation specialised for the common case: a regular latitude-longitude grid
/// with earth-relative winds, on isobaric or single levels, at a point whose four nodes are
/// all inside the grid, above the lowest level and below the top, away from the poles.
///
/// It performs the same arithmetic, in the same order, as ``Sampler``'s general path
/// (see the *Trajectory integration* article in Upwind's documentation: bilinear in the horizontal, linear in pressure, linear in time),
/// so a trajectory is bitwise identical whichever path evaluated it; what it drops is the
/// generality that costs on every call: the grid existential, per-corner vertical searches
/// (isobaric levels are the same at every node), per-value missing checks (a missing value
/// makes the result NaN, and NaN sends the point to the general path), and thrown errors.
/// Anything it cannot do — missing or underground values, the surface layer below the
/// lowest level, the model top, the grid edge, the polar caps — it declines (`nil`) and the
/// general path decides.
///
/// `@unchecked Sendable` because of ``levels``, a pointer `let` into a ``ReadOnlyBuffer``
/// (immutable memory) that the engine holding this kernel holds beside it.
struct RegularKernel: @unchecked Sendable {
    /// First longitude and latitude (degrees) and their steps (degrees, either sign).
    let lon0: Double, dlon: Double, lat0: Double, dlat: Double
    /// Nodes along x and y, and whether x wraps around the globe.
    let nx: Int, ny: Int, wrapsX: Bool
    /// Isobaric levels bottom-up (hPa), a view of the buffer ``make(_:)`` returns beside the
    /// kernel (whoever keeps the kernel keeps that buffer: ``ReadOnlyBuffer``'s rule), so a
    /// kernel, a plain value, never touches a reference count; `levelCount` is 1 and `isSingle`
    /// true for single-level data.
    let levels: UnsafePointer<Double>
    let levelCount: Int
    let isSingle: Bool

    /// The kernel for `sampler`'s grid and levels and the buffer its ``levels`` point into
    /// (keep it as long as the kernel), or nil when the general path must run (projected
    /// grids, irregular axes, σ or hybrid levels).
    static func make(_ sampler: Sampler) -> (kernel: RegularKernel, levels: ReadOnlyBuffer<Double>)? {
        guard let r = sampler.regular, sampler.rotationCos == nil else { return nil }
        let values: [Double]
        switch sampler.levels {
        case .pressure(let p): values = p
        case .single: values = [.nan]
        case .sigma, .hybrid: return nil
        }
        guard !values.isEmpty else { return nil }
        let buffer = ReadOnlyBuffer(values)
        let kernel = RegularKernel(lon0: r.lon0, dlon: r.dlon, lat0: r.lat0, dlat: r.dlat, nx: sampler.nx, ny: sampler.ny,
                                   wrapsX: sampler.wrapsX, levels: buffer.base, levelCount: values.count, isSingle: sampler.isSingle)
        return (kernel, buffer)
    }

    /// The four-node stencil of a point, offset by `dx`, `dy` grid cells (an ensemble
    /// member), or nil when a node would fall outside the grid. Node order and weights as
    /// ``Sampler/stencil(x:y:)``.
    @inline(__always)
    func stencil(latitude: Double, longitude: Double, dx: Int, dy: Int) -> (node: Int, i1: Int, rowStep: Int, w0: Double, w1: Double, w2: Double, w3: Double)? {
        var x = (longitude - lon0) / dlon
        if wrapsX {
            let turn = 360 / dlon
            if x < 0 { x += turn } else if x >= turn { x -= turn }
            guard x >= 0, x < turn else { return nil }
        } else {
            guard x >= 0, x <= Double(nx - 1) else { return nil }
        }
        x += Double(dx)
        let y = (latitude - lat0) / dlat + Double(dy)
        guard x >= 0, y >= 0, x < Double(Int.max / 2), y < Double(ny - 1) else { return nil }
        var i0 = Int(x)
        let j0 = Int(y)
        let fx = x - Double(i0), fy = y - Double(j0)
        let i1: Int
        if wrapsX {
            i0 = i0 % nx
            i1 = (i0 + 1) % nx
        } else {
            guard i0 < nx - 1 else { return nil }
            i1 = i0 + 1
        }
        return (j0 * nx + i0, j0 * nx + i1, nx, (1 - fx) * (1 - fy), fx * (1 - fy), (1 - fx) * fy, fx * fy)
    }

    /// Bracketing levels and the weight of the upper one for pressure `p` (hPa), as
    /// ``Sampler/verticalBracket(_:slice:node:)``; nil below the lowest level or above the top.
    @inline(__always)
    func bracket(_ p: Double) -> (k0: Int, wz: Double)? {
        if isSingle { return (0, 0) }
        var pk = levels[0]
        guard p < pk, p >= levels[levelCount - 1] else { return nil }
        var k = 0
        while k < levelCount - 1 {
            let pk1 = levels[k + 1]
            if p >= pk1 { return (k, (pk - p) / (pk - pk1)) }
            k += 1
            pk = pk1
        }
        return nil
    }

    /// Eastward and northward wind (m s⁻¹) and ω (Pa s⁻¹) at a point of one slice.
    @inline(__always)
    func wind(_ s: RawSlice, node n0: Int, i1 n1: Int, row: Int, k0: Int, wz: Double,
              w0: Double, w1: Double, w2: Double, w3: Double) -> (Double, Double, Double) {
        let plane = nx * ny
        let lo = k0 * plane, hi = isSingle ? lo : lo + plane
        let u = s.u, v = s.v
        @inline(__always) func corner(_ f: UnsafePointer<Float>, _ n: Int) -> Double {
            let a = f[lo + n], b = f[hi + n]
            return Double(a) + wz * Double(b - a)
        }
        let n2 = n0 + row, n3 = n1 + row
        var ue = w0 * corner(u, n0)
        var vn = w0 * corner(v, n0)
        ue += w1 * corner(u, n1); vn += w1 * corner(v, n1)
        ue += w2 * corner(u, n2); vn += w2 * corner(v, n2)
        ue += w3 * corner(u, n3); vn += w3 * corner(v, n3)
        var omega = 0.0
        if let om = s.omega {
            omega = w0 * 1 * corner(om, n0)
            omega += w1 * 1 * corner(om, n1)
            omega += w2 * 1 * corner(om, n2)
            omega += w3 * 1 * corner(om, n3)
        }
        return (ue, vn, omega)
    }

    /// Time-interpolated eastward and northward wind (m s⁻¹) and ω (Pa s⁻¹) at a point, or
    /// nil when the general path must decide (see the type's description).
    @inline(__always)
    func wind(_ b: RawBracket, latitude: Double, longitude: Double, pressure p: Double, dx: Int, dy: Int) -> (east: Double, north: Double, omega: Double)? {
        guard abs(latitude) <= 80, let st = stencil(latitude: latitude, longitude: longitude, dx: dx, dy: dy),
              let (k0, wz) = bracket(p) else { return nil }
        let weightSum = st.w0 + st.w1 + st.w2 + st.w3
        guard weightSum >= 1 - 1e-12 else { return nil }
        var (ue, vn, omega) = wind(b.first, node: st.node, i1: st.i1, row: st.rowStep, k0: k0, wz: wz, w0: st.w0, w1: st.w1, w2: st.w2, w3: st.w3)
        if b.weight != 0 {
            let (ue2, vn2, om2) = wind(b.second, node: st.node, i1: st.i1, row: st.rowStep, k0: k0, wz: wz, w0: st.w0, w1: st.w1, w2: st.w2, w3: st.w3)
            let w = b.weight
            ue = (1 - w) * ue + w * ue2
            vn = (1 - w) * vn + w * vn2
            omega = (1 - w) * omega + w * om2
        }
        guard (ue + vn + omega).isFinite else { return nil }
        return (ue, vn, omega)
    }

    /// Bilinear, time-interpolated surface pressure (hPa) at a point, as the general ground
    /// check computes it; nil when absent, missing or outside the grid.
    @inline(__always)
    func surfacePressure(_ b: RawBracket, latitude: Double, longitude: Double) -> Double? {
        guard let st = stencil(latitude: latitude, longitude: longitude, dx: 0, dy: 0),
              let a = b.first.surfacePressure, let c = b.second.surfacePressure else { return nil }
        @inline(__always) func bilinear(_ f: UnsafePointer<Float>) -> Double {
            var s = 0.0
            s += st.w0 * Double(f[st.node])
            s += st.w1 * Double(f[st.i1])
            s += st.w2 * Double(f[st.node + st.rowStep])
            s += st.w3 * Double(f[st.i1 + st.rowStep])
            return s
        }
        let ps0 = bilinear(a)
        let w = b.weight
        let ps = w == 0 ? ps0 : (1 - w) * ps0 + w * bilinear(c)
        return ps.isFinite ? ps : nil
    }

    /// One geographic-frame step through the met `intervals` the step spans, for an
    /// ensemble `offset` (its pressure offset as the factor `pressureFactor`); `vertical`
    /// takes dp/dt from ω. Nil when any stage needs the general path.
    ///
    /// The formulas and their order of operations are ``Stepper/geographicStep(_:dt:scheme:rate:)``'s
    /// (dφ/dt = v/R, dλ/dt = u/(R cos φ); Heun or RK4), written out here with the evaluation
    /// inlined, which the generic closure form does not get; the fast-path tests check the
    /// two give the same bits.
    @inline(__always)
    func step(_ s: ParcelState, dt: Double, scheme: Integrator, intervals: (MetInterval, MetInterval), offset: EnsembleOffset,
              pressureFactor: Double, vertical: Bool) -> (ParcelState, Double)? {
        let (a, b) = intervals
        let scaled = offset.dz != 0
        let toRad = Geodesy.radiansPerDegree, r = Earth.radius
        // The flow at state x whose latitude is φ radians: the coordinate rates (dφ/dt, dλ/dt,
        // dp/dt) and the speed, or nil.
        @inline(__always) func rate(_ x: ParcelState, _ phi: Double) -> (Double, Double, Double, Double)? {
            let br: RawBracket
            if a.contains(x.time) { br = a.bracket(x.time) } else if b.contains(x.time) { br = b.bracket(x.time) } else { return nil }
            var p = x.pressure
            if scaled && p.isFinite { p *= pressureFactor }
            guard let w = wind(br, latitude: x.latitude, longitude: x.longitude, pressure: p, dx: offset.dx, dy: offset.dy) else { return nil }
            return (w.north / r, w.east / (r * max(Math.cos(phi), 1e-6)), vertical ? w.omega / 100 : 0,
                    (w.east * w.east + w.north * w.north).squareRoot())
        }
        let phi = s.latitude * toRad, lam = s.longitude * toRad
        @inline(__always) func state(_ phi: Double, _ lam: Double, _ p: Double, _ t: Double) -> ParcelState {
            ParcelState(latitude: phi / toRad, longitude: Geodesy.normalizedLongitude(lam / toRad), pressure: p, time: t)
        }
        switch scheme {
        case .heun:
            guard let r1 = rate(s, phi) else { return nil }
            let phiG = phi + dt * r1.0, lamG = lam + dt * r1.1
            guard let r2 = rate(state(phiG, lamG, s.pressure + dt * r1.2, s.time + dt), phiG) else { return nil }
            return (state(phi + dt * 0.5 * (r1.0 + r2.0), lam + dt * 0.5 * (r1.1 + r2.1), s.pressure + dt * 0.5 * (r1.2 + r2.2), s.time + dt),
                    max(r1.3, r2.3))
        case .rk4:
            guard let r1 = rate(s, phi) else { return nil }
            let p2 = (phi + dt / 2 * r1.0, lam + dt / 2 * r1.1)
            guard let r2 = rate(state(p2.0, p2.1, s.pressure + dt / 2 * r1.2, s.time + dt / 2), p2.0) else { return nil }
            let p3 = (phi + dt / 2 * r2.0, lam + dt / 2 * r2.1)
            guard let r3 = rate(state(p3.0, p3.1, s.pressure + dt / 2 * r2.2, s.time + dt / 2), p3.0) else { return nil }
            let p4 = (phi + dt * r3.0, lam + dt * r3.1)
            guard let r4 = rate(state(p4.0, p4.1, s.pressure + dt * r3.2, s.time + dt), p4.0) else { return nil }
            let speed = max(max(r1.3, r2.3), max(r3.3, r4.3))
            return (state(phi + dt / 6 * (r1.0 + 2 * r2.0 + 2 * r3.0 + r4.0), lam + dt / 6 * (r1.1 + 2 * r2.1 + 2 * r3.1 + r4.1),
                          s.pressure + dt / 6 * (r1.2 + 2 * r2.2 + 2 * r3.2 + r4.2), s.time + dt), speed)
        }
    }

}

/// The met interval around a time, as unmanaged buffers: its end times (s since 1970) and
/// slices. Valid while the trajectory's bracket cache holds the slices (the current interval
/// and the one before).
struct MetInterval {
    var t0: Double, t1: Double
    var first: RawSlice, second: RawSlice

    /// The bracket at `t` (inside the interval): the later slice weighs (t − t0)/(t1 − t0).
    @inline(__always) func bracket(_ t: Double) -> RawBracket {
        RawBracket(first: first, second: second, weight: t0 == t1 ? 0 : (t - t0) / (t1 - t0))
    }

    /// True when `t` (s since 1970) lies in the interval, ends included.
    @inline(__always) func contains(_ t: Double) -> Bool { t >= t0 && t <= t1 }
}
