import UpwindCore

/// Why regions could not be indexed or attributed (issue 11 item 1). Features and polygons are
/// numbered 0-based as they appear in their file or list; ring 0 is a polygon's outer ring,
/// rings 1… its holes. Messages speak in library terms; the `upwind` CLI adds its flag names.
public enum RegionError: Error, CustomStringConvertible, Sendable, Equatable {
    /// A region without any polygon.
    case noPolygons(feature: Int, id: String)
    /// A ring with fewer than 4 positions (a closed ring needs 3 corners and the repeated first).
    case ringTooShort(feature: Int, id: String, polygon: Int, ring: Int, count: Int)
    /// A ring whose last position is not its first.
    case ringNotClosed(feature: Int, id: String, polygon: Int, ring: Int, first: Region.Position, last: Region.Position)
    /// A coordinate that is not finite, a latitude outside ±90° or a longitude outside ±540°
    /// (`position` 0-based in the ring).
    case invalidCoordinate(feature: Int, id: String, polygon: Int, ring: Int, position: Int, longitude: Double, latitude: Double)
    /// An edge spanning more than 180° of longitude (the ring crosses the antimeridian), ending at
    /// `position`.
    case crossesAntimeridian(feature: Int, id: String, polygon: Int, ring: Int, position: Int)
    /// No regions were given.
    case noRegions
    /// Two regions with the same id (`first`, `second` their 0-based positions).
    case duplicateID(id: String, first: Int, second: Int)
    /// A home region id that is not among the home regions; `available` holds up to 10 ids of
    /// the `count` there are.
    case unknownHomeRegion(id: String, available: [String], count: Int)
    /// `trajectories` and `values` of different lengths.
    case countMismatch(trajectories: Int, values: Int)
    /// A fire contribution that does not fit the inputs (`index` 0-based in the list).
    case invalidFireContribution(index: Int, reason: String)
    /// Per-region fire counts not one per region, or negative.
    case invalidFireCounts(reason: String)
    /// An option out of range: `option` names the parameter, `value` what it was.
    case invalidOption(option: String, value: String, requirement: String)
    /// A trajectory, value or grid setting the receptor grid's rules refuse (the same checks as
    /// ``ReceptorGrid/add(trajectory:value:)``, so grid and regions count the same endpoints).
    case grid(ReceptorGridError)

    /// The message: what is wrong and what to do.
    public var description: String {
        func place(_ feature: Int, _ id: String) -> String { "region \(feature) (id \(id))" }
        func ringName(_ polygon: Int, _ ring: Int) -> String {
            ring == 0 ? "the outer ring of polygon \(polygon)" : "hole \(ring) of polygon \(polygon)"
        }
        func text(_ p: Region.Position) -> String { "[\(p.longitude), \(p.latitude)]" }
        switch self {
        case .noPolygons(let f, let id):
            return "\(place(f, id)) has no polygon: give a Polygon or MultiPolygon with at least one ring, or leave the feature out"
        case .ringTooShort(let f, let id, let p, let r, let n):
            return "\(place(f, id)): \(ringName(p, r)) has \(n) position\(n == 1 ? "" : "s"); a ring needs at least 4 (3 corners and the first repeated at the end)"
        case .ringNotClosed(let f, let id, let p, let r, let first, let last):
            return "\(place(f, id)): \(ringName(p, r)) is not closed (it starts at \(text(first)) and ends at \(text(last))); repeat the first position at the end of the ring"
        case .invalidCoordinate(let f, let id, let p, let r, let k, let lon, let lat):
            return "\(place(f, id)): position \(k) of \(ringName(p, r)) is [\(lon), \(lat)]; positions must be [longitude, latitude] in degrees, finite, latitude within ±90 (is the file in a projected CRS or in latitude-longitude order?)"
        case .crossesAntimeridian(let f, let id, let p, let r, let k):
            return "\(place(f, id)): \(ringName(p, r)) jumps more than 180° of longitude at position \(k); split polygons that cross the antimeridian there (RFC 7946 §3.1.9)"
        case .noRegions:
            return "no regions: give a file with at least one Polygon or MultiPolygon feature"
        case .duplicateID(let id, let a, let b):
            return "regions \(a) and \(b) have the same id \(id); ids must be unique (choose another id property)"
        case .unknownHomeRegion(let id, let available, let count):
            let more = count > available.count ? ", … (\(count) in all)" : ""
            return "home region \(id) is not among the home regions; valid ids: \(available.joined(separator: ", "))\(more)"
        case .countMismatch(let t, let v):
            return "\(t) trajectories but \(v) receptor values: give one value per trajectory"
        case .invalidFireContribution(let index, let reason):
            return "fire contribution \(index): \(reason)"
        case .invalidFireCounts(let reason):
            return "fire counts: \(reason)"
        case .invalidOption(let option, let value, let requirement):
            return "invalid \(option) \(value): \(requirement)"
        case .grid(let e):
            return e.description
        }
    }
}
