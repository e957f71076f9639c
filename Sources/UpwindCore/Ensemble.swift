/// HYSPLIT's 27-member meteorological ensemble (see the *Trajectory integration* article in Upwind's documentation): each member samples the
/// met offset by −1, 0 or +1 grid cell in x and y and −250, 0 or +250 m in the vertical
/// (HYSPLIT's ±0.01 σ of its 25 km top), while its own position is advected unchanged.
/// Members are numbered `1 + (ix+1) + 3(iy+1) + 9(iz+1)`, so member 14 is unperturbed;
/// member 0 means no ensemble.
public struct EnsembleOffset: Sendable, Equatable, Hashable {
    /// Grid-cell offset along x, −1…1.
    public var dx: Int
    /// Grid-cell offset along y, −1…1.
    public var dy: Int
    /// Vertical offset sign, −1…1 (times ``verticalMetres``).
    public var dz: Int

    /// The vertical offset of one step, m.
    public static let verticalMetres = 250.0

    /// The offset of ensemble member `member` (1–27); 0 or out of range gives no offset.
    public init(member: Int) {
        guard (1...27).contains(member) else { dx = 0; dy = 0; dz = 0; return }
        let m = member - 1
        dx = m % 3 - 1
        dy = (m / 3) % 3 - 1
        dz = m / 9 - 1
    }

    /// The member number of offsets (dx, dy, dz) ∈ {−1, 0, 1}³.
    public static func member(dx: Int, dy: Int, dz: Int) -> Int { 1 + (dx + 1) + 3 * (dy + 1) + 9 * (dz + 1) }

    /// True for no offset.
    public var isZero: Bool { dx == 0 && dy == 0 && dz == 0 }

    /// All 27 members in order.
    public static let members = Array(1...27)
}

/// Ensemble spread against age: for every start, the mean great-circle distance (km) of
/// its members' endpoints to their centroid at each age, averaged over starts.
/// - Parameter trajectories: members of one or more starts (grouped by start).
/// - Returns: (age in hours, mean distance to the centroid in km), by increasing |age|.
public func ensembleSpread(_ trajectories: [Trajectory]) -> [(ageHours: Double, meanKm: Double)] {
    var groups: [String: [Trajectory]] = [:]
    for t in trajectories where t.member > 0 {
        let s = t.start
        groups["\(s.site)|\(s.latitude)|\(s.longitude)|\(s.height)|\(s.time.secondsSince1970)", default: []].append(t)
    }
    var sums: [Double: (Double, Int)] = [:]
    for members in groups.values {
        let n = members.map(\.endpoints.count).min() ?? 0
        for k in 0..<n {
            var c = Vec3.zero
            for m in members { let e = m.endpoints[k]; c = c + Geodesy.unitVector(latitude: e.latitude, longitude: e.longitude) }
            let centre = Geodesy.latLon(c)
            let mean = members.reduce(0.0) { acc, m in
                let e = m.endpoints[k]
                return acc + Geodesy.distance(latitude1: e.latitude, longitude1: e.longitude, latitude2: centre.latitude, longitude2: centre.longitude)
            } / Double(members.count) / 1000
            let age = members[0].endpoints[k].ageHours
            let old = sums[age] ?? (0, 0)
            sums[age] = (old.0 + mean, old.1 + 1)
        }
    }
    return sums.map { ($0.key, $0.value.0 / Double($0.value.1)) }.sorted { abs($0.ageHours) < abs($1.ageHours) }
}
