import UpwindCore

/// The trajectory-to-trajectory distances k-medoids clusters by (see the *Trajectory clustering* article in Upwind's documentation). Each
/// pairs endpoints of equal index (equal age) and uses latitude and longitude only.
///
/// The functions on two `Trajectory` values compare their endpoints one to one and return
/// NaN when the endpoint counts differ (or, for the angle, when there is no endpoint after
/// the first); ``TrajectoryClustering`` applies the same code to the prepared
/// (equal-length) trajectories.
public enum TrajectoryDistances {
    /// Mean Earth radius, km (`Earth.radius` / 1000).
    public static let earthRadiusKm = Earth.radius / 1000

    /// The sum over endpoints of the great-circle distance between endpoints of equal age, km:
    /// Σ_i 2R·asin(|u_i − v_i|/2) with u, v the unit vectors, which is the haversine formula
    /// (√hav = chord/2) on a sphere of ``earthRadiusKm``.
    public static func greatCircleKm(_ a: Trajectory, _ b: Trajectory) -> Double {
        guard a.endpoints.count == b.endpoints.count else { return .nan }
        let m = a.endpoints.count
        let u = unitVectors([a, b].flatMap(\.endpoints))
        return u.withUnsafeBufferPointer { p in
            guard let base = p.baseAddress else { return 0 }
            return greatCircleKernel(base, base + 3 * m, count: m)
        }
    }

    /// TrajStat's Euclidean distance in degrees: `sqrt(Σ_i (Δlon_i² + Δlat_i²))`, with no
    /// cos φ, longitude differences taken the short way round (within ±180°; TrajStat takes
    /// them raw, which differs only across the antimeridian). TrajStat halves it for its Ward
    /// option; k-medoids does not care about the scale, so it is not halved here.
    public static func euclideanDegrees(_ a: Trajectory, _ b: Trajectory) -> Double {
        guard a.endpoints.count == b.endpoints.count else { return .nan }
        let latA = a.endpoints.map(\.latitude), lonA = a.endpoints.map(\.longitude)
        let latB = b.endpoints.map(\.latitude), lonB = b.endpoints.map(\.longitude)
        return euclideanKernel(latA[...], lonA[...], latB[...], lonB[...])
    }

    /// The Sirois & Bottenheim (1995) angle distance, radians, in [0, π] (see the *Trajectory clustering* article in Upwind's documentation):
    /// `(1/n)·Σ_{i=1..n} arccos(0.5·(A_i + B_i − C_i)/√(A_i·B_i))` over the n endpoints after
    /// the first, with `A_i = X1_i² + Y1_i²`, `B_i = X2_i² + Y2_i²`,
    /// `C_i = (X2_i − X1_i)² + (Y2_i − Y1_i)²` (minus C: the law of cosines for the angle at
    /// the receptor; openair's "+C" is a documentation typo).
    ///
    /// X and Y are longitude and latitude differences in degrees, as in openair and TrajStat
    /// (no cos φ), measured from **each trajectory's own age-0 point** (its receptor): for
    /// trajectories of one site this is the published formula with the receptor as origin;
    /// for several sites it compares the directions of travel from each receptor and stays
    /// symmetric (openair and TrajStat take the first trajectory's start for every pair).
    /// Guards: a pair with A·B = 0 (an endpoint on its receptor) contributes 0; the cosine is
    /// clamped to [−1, 1] before arccos (rounding can push it past ±1: openair 2.x then
    /// returned NaN, TrajStat mapped −1.x to +1). Mean over n as openair (TrajStat divides by
    /// n + 1 and halves).
    public static func angleRadians(_ a: Trajectory, _ b: Trajectory) -> Double {
        guard a.endpoints.count == b.endpoints.count, a.endpoints.count >= 2 else { return .nan }
        let (xa, ya) = receptorOffsets(a.endpoints.map(\.latitude), a.endpoints.map(\.longitude))
        let (xb, yb) = receptorOffsets(b.endpoints.map(\.latitude), b.endpoints.map(\.longitude))
        return angleKernel(xa[...], ya[...], xb[...], yb[...])
    }

    // MARK: - Kernels (shared with the clustering matrices)

    /// Unit vectors of endpoints, flat (x, y, z) per endpoint.
    static func unitVectors(_ endpoints: [TrajectoryEndpoint]) -> [Double] {
        var out: [Double] = []
        out.reserveCapacity(3 * endpoints.count)
        for e in endpoints {
            let u = Geodesy.unitVector(latitude: e.latitude, longitude: e.longitude)
            out += [u.x, u.y, u.z]
        }
        return out
    }

    /// Σ_i 2R·asin(min(1, |u_i − v_i|/2)) over `count` endpoints of flat unit vectors, km.
    @inline(__always)
    static func greatCircleKernel(_ u: UnsafePointer<Double>, _ v: UnsafePointer<Double>, count: Int) -> Double {
        var sum = 0.0
        for i in 0..<count {
            let dx = u[3 * i] - v[3 * i], dy = u[3 * i + 1] - v[3 * i + 1], dz = u[3 * i + 2] - v[3 * i + 2]
            let half = 0.5 * (dx * dx + dy * dy + dz * dz).squareRoot()
            sum += Math.asin(min(half, 1))
        }
        return 2 * earthRadiusKm * sum
    }

    /// A longitude difference, degrees, taken the short way round: in [−180, 180].
    @inline(__always)
    static func wrapped(_ dLon: Double) -> Double {
        dLon - 360 * (dLon / 360).rounded()
    }

    /// sqrt(Σ (Δlon² + Δlat²)), degrees.
    static func euclideanKernel(_ latA: ArraySlice<Double>, _ lonA: ArraySlice<Double>, _ latB: ArraySlice<Double>,
                                _ lonB: ArraySlice<Double>) -> Double {
        var sum = 0.0
        let a0 = latA.startIndex, a1 = lonA.startIndex, b0 = latB.startIndex, b1 = lonB.startIndex
        for i in 0..<latA.count {
            let dy = latA[a0 + i] - latB[b0 + i]
            let dx = wrapped(lonA[a1 + i] - lonB[b1 + i])
            sum += dx * dx + dy * dy
        }
        return sum.squareRoot()
    }

    /// Each endpoint after the first as (X, Y) = (Δlon wrapped, Δlat) from the first, degrees.
    static func receptorOffsets(_ latitudes: [Double], _ longitudes: [Double]) -> (x: [Double], y: [Double]) {
        guard let lat0 = latitudes.first, let lon0 = longitudes.first else { return ([], []) }
        let x = longitudes.dropFirst().map { wrapped($0 - lon0) }
        let y = latitudes.dropFirst().map { $0 - lat0 }
        return (x, y)
    }

    /// The mean Sirois–Bottenheim angle over paired offsets, radians.
    static func angleKernel(_ x1: ArraySlice<Double>, _ y1: ArraySlice<Double>, _ x2: ArraySlice<Double>, _ y2: ArraySlice<Double>) -> Double {
        let n = x1.count
        guard n > 0 else { return .nan }
        var sum = 0.0
        for i in 0..<n {
            let a1 = x1[x1.startIndex + i], b1 = y1[y1.startIndex + i]
            let a2 = x2[x2.startIndex + i], b2 = y2[y2.startIndex + i]
            sum += angle(x1: a1, y1: b1, x2: a2, y2: b2)
        }
        return sum / Double(n)
    }

    /// The angle at the origin between (x1, y1) and (x2, y2) by the law of cosines, radians:
    /// 0 when either is at the origin, the cosine clamped to [−1, 1].
    @inline(__always)
    static func angle(x1: Double, y1: Double, x2: Double, y2: Double) -> Double {
        let a = x1 * x1 + y1 * y1
        let b = x2 * x2 + y2 * y2
        guard a * b != 0 else { return 0 }
        let dx = x2 - x1, dy = y2 - y1
        let c = dx * dx + dy * dy
        let cosine = min(1, max(-1, 0.5 * (a + b - c) / (a * b).squareRoot()))
        return Math.atan2(max(0, (1 - cosine) * (1 + cosine)).squareRoot(), cosine)
    }

    /// The condensed matrix of `distance` (not Ward) between the prepared trajectories.
    static func matrix(_ distance: ClusterDistance, of p: PreparedTrajectories, maxConcurrency: Int) async -> CondensedMatrix {
        let n = p.count, m = p.length
        switch distance {
        case .ward, .greatCircle:
            var u = [Double](repeating: 0, count: n * 3 * m)
            for k in 0..<(n * m) {
                let v = Geodesy.unitVector(latitude: p.latitudes[k], longitude: p.longitudes[k])
                u[3 * k] = v.x
                u[3 * k + 1] = v.y
                u[3 * k + 2] = v.z
            }
            let vectors = u
            return await CondensedMatrix.build(count: n, maxConcurrency: maxConcurrency) { i, out in
                vectors.withUnsafeBufferPointer { buffer in
                    guard let base = buffer.baseAddress else { return }
                    for j in (i + 1)..<n { out[j - i - 1] = greatCircleKernel(base + 3 * m * i, base + 3 * m * j, count: m) }
                }
            }
        case .euclideanDegrees:
            let lat = p.latitudes, lon = p.longitudes
            return await CondensedMatrix.build(count: n, maxConcurrency: maxConcurrency) { i, out in
                let r = (i * m)..<(i * m + m)
                for j in (i + 1)..<n {
                    let s = (j * m)..<(j * m + m)
                    out[j - i - 1] = euclideanKernel(lat[r], lon[r], lat[s], lon[s])
                }
            }
        case .angle:
            var xs: [Double] = [], ys: [Double] = []
            xs.reserveCapacity(n * (m - 1))
            ys.reserveCapacity(n * (m - 1))
            for t in 0..<n {
                let (x, y) = receptorOffsets(Array(p.latitudes[(t * m)..<(t * m + m)]), Array(p.longitudes[(t * m)..<(t * m + m)]))
                xs += x
                ys += y
            }
            let x = xs, y = ys, w = m - 1
            return await CondensedMatrix.build(count: n, maxConcurrency: maxConcurrency) { i, out in
                let r = (i * w)..<(i * w + w)
                for j in (i + 1)..<n {
                    let s = (j * w)..<(j * w + w)
                    out[j - i - 1] = angleKernel(x[r], y[r], x[s], y[s])
                }
            }
        }
    }
}
