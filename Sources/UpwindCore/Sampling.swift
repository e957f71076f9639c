/// The four nodes and bilinear weights around a point (see the *Trajectory integration* article in Upwind's documentation), stored inline
/// (no allocation on the hot path).
struct Stencil {
    /// True when a node was reached across a pole.
    var crossesPole = false
    var n0: (i: Int, j: Int), n1: (i: Int, j: Int), n2: (i: Int, j: Int), n3: (i: Int, j: Int)
    var w0: Double, w1: Double, w2: Double, w3: Double

    @inline(__always) func node(_ c: Int) -> (i: Int, j: Int) {
        switch c { case 0: return n0; case 1: return n1; case 2: return n2; default: return n3 }
    }

    @inline(__always) func weight(_ c: Int) -> Double {
        switch c { case 0: return w0; case 1: return w1; case 2: return w2; default: return w3 }
    }
}

/// Why sampling failed: becomes the trajectory's ``TerminationReason``.
struct SampleFailure: Error { var reason: TerminationReason }

/// Two slices bracketing a time, chosen by absolute time (see the *Trajectory integration* article in Upwind's documentation), and the
/// weight of the later one.
struct Bracket {
    var first: GridSlice
    var second: GridSlice
    var weight: Double
    /// The same bracket as unmanaged buffers, for the wind evaluation.
    var raw: RawBracket { RawBracket(first: first.storage.raw, second: second.storage.raw, weight: weight) }
}

/// Two bracketing slices as unmanaged buffers (no reference counting) and the later one's weight.
struct RawBracket {
    var first: RawSlice
    var second: RawSlice
    var weight: Double
}

/// Interpolates a ``WindField``'s slices at a point: bilinear in the horizontal, linear
/// in pressure in the vertical, linear in time. Winds are combined as 3-D Cartesian
/// vectors (each node's components along its ``HorizontalGrid/windAxes(i:j:)``), so the
/// poles, the antimeridian and grid-relative winds need no special cases.
///
/// Immutable (only `let`s of `Sendable` types), so shared by every task of a sweep.
final class Sampler: Sendable {
    let grid: any HorizontalGrid
    let levels: VerticalLevels
    let levelPressures: [Double]  // pressure levels, σ values, or hybrid a (hPa)
    let hybridB: [Double]
    let sigmaTop: Double
    /// Node wind axes as 3-D vectors, precomputed (used near the poles).
    let axisU: [Vec3]
    let axisV: [Vec3]
    /// Per-node rotation from the grid's (u, v) to (east, north), nil when the winds are
    /// already earth-relative.
    let rotationCos: [Double]?
    let rotationSin: [Double]?
    /// Beyond this latitude (degrees) winds are interpolated as 3-D vectors.
    let polarLatitude = 85.0
    /// Roughness length of the surface-layer wind profile below the lowest level, m.
    static let roughness = 0.1
    /// Grid size and wrap, cached off the existential.
    let nx: Int, ny: Int, wrapsX: Bool
    /// Number of levels (1 for single-level data).
    let levelCount: Int
    /// True for single-level data.
    let isSingle: Bool
    /// A regular lat-lon grid's first longitude, step, first latitude and step (degrees),
    /// for the fast index path.
    let regular: (lon0: Double, dlon: Double, lat0: Double, dlat: Double)?
    /// The grid when it is a lat-lon grid (its methods without the existential).
    let latLon: LatLonGrid?

    init(grid: any HorizontalGrid, levels: VerticalLevels) {
        self.grid = grid
        self.levels = levels
        nx = grid.nx; ny = grid.ny; wrapsX = grid.wrapsX
        levelCount = levels.count
        if case .single = levels { isSingle = true } else { isSingle = false }
        latLon = grid as? LatLonGrid
        if let g = latLon, let dlon = AxisSummary.regularStep(g.longitudes), let dlat = AxisSummary.regularStep(g.latitudes) {
            regular = (g.longitudes[0], dlon, g.latitudes[0], dlat)
        } else {
            regular = nil
        }
        switch levels {
        case .pressure(let p): levelPressures = p; sigmaTop = 0; hybridB = []
        case .sigma(let s, let top): levelPressures = s; sigmaTop = top; hybridB = []
        case .hybrid(let a, let b): levelPressures = a; sigmaTop = 0; hybridB = b
        case .single: levelPressures = []; sigmaTop = 0; hybridB = []
        }
        var au = [Vec3](), av = [Vec3](), rc = [Double](), rs = [Double]()
        au.reserveCapacity(grid.nx * grid.ny)
        av.reserveCapacity(grid.nx * grid.ny)
        let earthRelative = grid is LatLonGrid
        for j in 0..<grid.ny {
            for i in 0..<grid.nx {
                let a = grid.windAxes(i: i, j: j)
                au.append(a.u); av.append(a.v)
                if !earthRelative {
                    let loc = grid.location(i: i, j: j)
                    let en = Geodesy.eastNorth(latitude: loc.latitude, longitude: loc.longitude)
                    // u axis = cos θ·east + sin θ·north.
                    let angle = Math.atan2(a.u.dot(en.north), a.u.dot(en.east))
                    rc.append(Math.cos(angle)); rs.append(Math.sin(angle))
                }
            }
        }
        axisU = au
        axisV = av
        rotationCos = earthRelative ? nil : rc
        rotationSin = earthRelative ? nil : rs
    }

    /// Node spacing (m) around fractional index (x, y): the grid's ``HorizontalGrid/spacing(x:y:)``.
    @inline(__always)
    func spacing(x: Double, y: Double) -> Double {
        if let latLon { return latLon.spacing(x: x, y: y) }
        return grid.spacing(x: x, y: y)
    }

    // MARK: Stencil

    func stencil(latitude: Double, longitude: Double) throws(SampleFailure) -> Stencil {
        let (x, y) = index(latitude: latitude, longitude: longitude)
        return try stencil(x: x, y: y)
    }

    /// Fractional grid index of a point (fast path for regular lat-lon grids).
    @inline(__always)
    func index(latitude: Double, longitude: Double) -> (x: Double, y: Double) {
        guard let r = regular else { return grid.index(latitude: latitude, longitude: longitude) }
        var x = (longitude - r.lon0) / r.dlon
        let turn = 360 / r.dlon
        if wrapsX {
            if x < 0 { x += turn } else if x >= turn { x -= turn }
            if x < 0 || x >= turn {
                x = x.truncatingRemainder(dividingBy: turn)
                if x < 0 { x += turn }
            }
        } else {
            if x < 0 && x + turn <= Double(nx - 1) { x += turn } else if x > Double(nx - 1) && x - turn >= 0 { x -= turn }
        }
        return (x, (latitude - r.lat0) / r.dlat)
    }

    /// Fractional indices at or beyond this magnitude are outside every grid (grids have at
    /// most ``GridLimits/maxPointsPerSide`` points a side; a global grid's x wraps within one turn).
    static let indexLimit: UInt = 1 << 40

    /// The stencil around fractional index coordinates (x, y).
    func stencil(x: Double, y: Double) throws(SampleFailure) -> Stencil {
        // Indices far outside any grid (a start at longitude 1e308, a spacing of 1e-45 km) are
        // off the grid, not integers to convert: `Int(_:)` would trap on them.
        guard let i = Int(rangeChecked: x.rounded(.down)), let j = Int(rangeChecked: y.rounded(.down)),
              i.magnitude < Self.indexLimit, j.magnitude < Self.indexLimit else { throw SampleFailure(reason: .leftDomain) }
        var i0 = i, j0 = j
        var fx = x - Double(i0), fy = y - Double(j0)
        var i1: Int
        if wrapsX {
            i0 = ((i0 % nx) + nx) % nx
            i1 = (i0 + 1) % nx
        } else {
            guard x >= 0, x <= Double(nx - 1), nx >= 2 else { throw SampleFailure(reason: .leftDomain) }
            if i0 >= nx - 1 { i0 = nx - 2; fx = 1 }
            i1 = i0 + 1
        }
        if nx == 1 { i1 = i0 }
        var j1 = j0 + 1
        if y >= 0, y <= Double(ny - 1) {
            if j0 >= ny - 1 { j0 = max(ny - 2, 0); j1 = min(j0 + 1, ny - 1); fy = ny >= 2 ? 1 : 0 }
        }
        let w0 = (1 - fx) * (1 - fy), w1 = fx * (1 - fy), w2 = (1 - fx) * fy, w3 = fx * fy
        if j0 >= 0 && j1 < ny {
            return Stencil(n0: (i0, j0), n1: (i1, j0), n2: (i0, j1), n3: (i1, j1), w0: w0, w1: w1, w2: w2, w3: w3)
        }
        var crosses = false
        func resolve(_ i: Int, _ j: Int) throws(SampleFailure) -> (i: Int, j: Int) {
            if j >= 0 && j < ny { return (i, j) }
            if let across = grid.acrossPole(i: i, j: j) { crosses = true; return across }
            throw SampleFailure(reason: .leftDomain)
        }
        var st = Stencil(n0: try resolve(i0, j0), n1: try resolve(i1, j0), n2: try resolve(i0, j1), n3: try resolve(i1, j1),
                         w0: w0, w1: w1, w2: w2, w3: w3)
        st.crossesPole = crosses
        return st
    }

    // MARK: Vertical

    /// Pressure (hPa) of level k at a node of `slice`: the slice's per-node level pressures
    /// when it has them (σ or hybrid labels over a pressure field, e.g. WRF's `P + PB`), else
    /// the levels' formula.
    @inline(__always)
    func levelPressure(_ k: Int, slice: RawSlice, node: Int) -> Double {
        if case .pressure = levels { return levelPressures[k] }
        if let field = slice.pressure { return Double(field[k * slice.nx * slice.ny + node]) }
        return levelPressure(k, ps: slice.surfacePressure, node: node)
    }

    /// Pressure (hPa) of level k at a node, from the surface pressure buffer for σ/hybrid levels.
    @inline(__always)
    func levelPressure(_ k: Int, ps: UnsafePointer<Float>?, node: Int) -> Double {
        switch levels {
        case .pressure: return levelPressures[k]
        case .sigma:
            guard let ps else { return .nan }
            return sigmaTop + levelPressures[k] * (Double(ps[node]) - sigmaTop)
        case .hybrid:
            guard let ps else { return .nan }
            return levelPressures[k] + hybridB[k] * Double(ps[node])
        case .single: return .nan
        }
    }

    /// Bracketing levels and the weight of the upper one for pressure `p` in a column.
    /// Below the lowest level the lowest level is used; above the top level sampling fails
    /// with `hitTop`.
    func verticalBracket(_ p: Double, slice: RawSlice, node: Int) throws(SampleFailure) -> (Int, Int, Double) {
        if isSingle { return (0, 0, 0) }
        let nz = levelCount
        let p0 = levelPressure(0, slice: slice, node: node)
        // A node without level pressures in a slice that carries them per node lies outside that
        // slice's own grid (a moving nest's footprint at that time): the parcel left the domain.
        guard p0.isFinite else { throw SampleFailure(reason: slice.pressure != nil ? .leftDomain : .missingData) }
        guard p.isFinite else { throw SampleFailure(reason: .missingData) }
        if p >= p0 { return (0, 0, 0) }
        let top = levelPressure(nz - 1, slice: slice, node: node)
        if p < top { throw SampleFailure(reason: .hitTop) }
        var k = 0
        var pk = p0
        while k < nz - 1 {
            let pk1 = levelPressure(k + 1, slice: slice, node: node)
            if p >= pk1 { return (k, k + 1, (pk - p) / (pk - pk1)) }
            k += 1
            pk = pk1
        }
        return (nz - 1, nz - 1, 0)
    }

    // MARK: Wind

    /// Earth-relative wind at a point of one slice: eastward and northward components
    /// (m s⁻¹) interpolated as components, as HYSPLIT does (exact for uniform flow), or, in
    /// `cartesian` mode near the poles, the 3-D wind vector; and ω (Pa s⁻¹).
    func wind(_ slice: RawSlice, stencil: Stencil, pressure p: Double, cartesian: Bool) throws(SampleFailure) -> (WindSample, Double) {
        let uField = slice.u, vField = slice.v, omegaField = slice.omega, psField = slice.surfacePressure
        let nx = slice.nx, plane = slice.nx * slice.ny
        var vec = Vec3.zero
        var ue = 0.0, vn = 0.0
        var omega = 0.0
        var weightSum = 0.0
        for c in 0..<4 {
            let (i, j) = stencil.node(c)
            let node2 = j * nx + i
            var (k0, k1, wz) = try verticalBracket(p, slice: slice, node: node2)
            // Pressure-level data hold fill values below the ground: at a node where the
            // lower level is under the surface, use the lowest level above it; a node with
            // no level above the ground drops out of the stencil. Any other missing value
            // ends the trajectory.
            if !uField[k0 * plane + node2].isFinite && isUnderground(k0, ps: psField, node: node2) {
                guard let above = lowestAboveGround(slice, node: node2, from: k0) else { continue }
                (k0, k1, wz) = (above, above, 0)
            }
            let a = k0 * plane + node2, b = k1 * plane + node2
            let u0 = uField[a], u1 = uField[b], v0 = vField[a], v1 = vField[b]
            guard u0.isFinite, u1.isFinite, v0.isFinite, v1.isFinite else { throw SampleFailure(reason: .missingData) }
            var u = Double(u0) + wz * Double(u1 - u0)
            var v = Double(v0) + wz * Double(v1 - v0)
            // Between the lowest level and the ground the wind follows the neutral surface-layer
            // log profile u(z) = u(z₁)·ln(z/z₀)/ln(z₁/z₀), z₀ = 0.1 m, heights from pressure
            // with an 8 km scale height, instead of holding the lowest level's wind down to the
            // ground; vertical velocity falls linearly with height to zero at the ground (the
            // kinematic boundary condition over the model terrain).
            var ground = 1.0, groundOmega = 1.0
            if k1 == k0 && !isSingle, let psField {
                let pk = levelPressure(k0, slice: slice, node: node2), ps = Double(psField[node2])
                if p > pk, ps > pk, ps.isFinite {
                    let z = 8000 * Math.log(ps / p), z1 = 8000 * Math.log(ps / pk)
                    ground = z <= Sampler.roughness ? 0 : max(0, min(1, Math.log(z / Sampler.roughness) / Math.log(z1 / Sampler.roughness)))
                    groundOmega = max(0, min(1, z / z1))
                }
            }
            u *= ground; v *= ground
            let w = stencil.weight(c)
            weightSum += w
            if cartesian {
                vec = vec + (w * u) * axisU[node2] + (w * v) * axisV[node2]
            } else if let rc = rotationCos, let rs = rotationSin {
                ue += w * (u * rc[node2] - v * rs[node2])
                vn += w * (u * rs[node2] + v * rc[node2])
            } else {
                ue += w * u
                vn += w * v
            }
            if let om = omegaField {
                let o0 = om[a], o1 = om[b]
                guard o0.isFinite, o1.isFinite else { throw SampleFailure(reason: .missingData) }
                omega += w * groundOmega * (Double(o0) + wz * Double(o1 - o0))
            }
        }
        guard weightSum > 1e-12 else { throw SampleFailure(reason: .missingData) }
        if weightSum < 1 - 1e-12 {
            let f = 1 / weightSum
            vec = f * vec; ue *= f; vn *= f; omega *= f
        }
        return (cartesian ? .vector(vec) : .components(ue, vn), omega)
    }

    /// True when level k lies under the surface at a node (needs surface pressure).
    @inline(__always)
    func isUnderground(_ k: Int, ps: UnsafePointer<Float>?, node: Int) -> Bool {
        guard let ps, case .pressure = levels else { return false }
        let s = ps[node]
        return s.isFinite && levelPressures[k] > Double(s)
    }

    /// The lowest level at or above `k` with a wind value at a node.
    func lowestAboveGround(_ slice: RawSlice, node: Int, from k: Int) -> Int? {
        let plane = slice.nx * slice.ny
        var kk = k
        while kk < slice.nz {
            if slice.u[kk * plane + node].isFinite { return kk }
            kk += 1
        }
        return nil
    }

    /// Time-interpolated earth-relative wind at a point: eastward and northward components
    /// (m s⁻¹) and ω (Pa s⁻¹).
    func wind(_ bracket: Bracket, stencil: Stencil, pressure p: Double, latitude: Double, longitude: Double) throws(SampleFailure) -> (east: Double, north: Double, omega: Double) {
        try wind(bracket.raw, stencil: stencil, pressure: p, latitude: latitude, longitude: longitude)
    }

    /// Time-interpolated earth-relative wind from unmanaged buffers (the integrator's hot path).
    func wind(_ bracket: RawBracket, stencil: Stencil, pressure p: Double, latitude: Double, longitude: Double) throws(SampleFailure) -> (east: Double, north: Double, omega: Double) {
        let cartesian = abs(latitude) > polarLatitude || stencil.crossesPole
        let (a, oa) = try wind(bracket.first, stencil: stencil, pressure: p, cartesian: cartesian)
        var sample = a, omega = oa
        if bracket.weight != 0 {
            let (b, ob) = try wind(bracket.second, stencil: stencil, pressure: p, cartesian: cartesian)
            sample = a.blended(with: b, weight: bracket.weight)
            omega = (1 - bracket.weight) * oa + bracket.weight * ob
        }
        switch sample {
        case .vector(let v):
            let en = Geodesy.eastNorth(latitude: latitude, longitude: longitude)
            return (v.dot(en.east), v.dot(en.north), omega)
        case .components(let ue, let vn):
            return (ue, vn, omega)
        }
    }

    // MARK: Scalars

    /// Bilinear value of a 2-D field (NaN when any node is missing or the field absent).
    @inline(__always)
    func surface(_ field: UnsafePointer<Float>?, stencil: Stencil, nx: Int) -> Double {
        guard let field else { return .nan }
        var s = 0.0
        for c in 0..<4 {
            let (i, j) = stencil.node(c)
            let v = field[j * nx + i]
            guard v.isFinite else { return .nan }
            s += stencil.weight(c) * Double(v)
        }
        return s
    }

    /// Bilinear value of a 3-D field of `raw`'s shape on level k: NaN when a node is missing
    /// above the ground; nodes where the level is under the surface drop out (weights renormalised).
    @inline(__always)
    func level(_ field: UnsafePointer<Float>?, _ k: Int, stencil: Stencil, raw: RawSlice) -> Double {
        guard let field else { return .nan }
        let nx = raw.nx, plane = raw.nx * raw.ny
        var s = 0.0, wsum = 0.0
        for c in 0..<4 {
            let (i, j) = stencil.node(c)
            let node = j * nx + i
            let v = field[k * plane + node]
            if !v.isFinite {
                if isUnderground(k, ps: raw.surfacePressure, node: node) { continue }
                return .nan
            }
            s += stencil.weight(c) * Double(v)
            wsum += stencil.weight(c)
        }
        return wsum > 1e-12 ? s / wsum : .nan
    }

    /// Bilinear pressure of level k (σ levels vary per node).
    func levelPressureAt(_ k: Int, stencil: Stencil, slice: RawSlice) -> Double {
        if case .pressure = levels { return levelPressures[k] }
        var s = 0.0
        for c in 0..<4 {
            let (i, j) = stencil.node(c)
            s += stencil.weight(c) * levelPressure(k, slice: slice, node: j * slice.nx + i)
        }
        return s
    }
}

/// An interpolated wind: components in the local east/north frame, or a 3-D vector.
enum WindSample {
    case components(Double, Double)
    case vector(Vec3)

    func blended(with b: WindSample, weight w: Double) -> WindSample {
        switch (self, b) {
        case (.components(let u1, let v1), .components(let u2, let v2)):
            return .components((1 - w) * u1 + w * u2, (1 - w) * v1 + w * v2)
        case (.vector(let a), .vector(let c)):
            return .vector((1 - w) * a + w * c)
        default:
            return self
        }
    }
}
