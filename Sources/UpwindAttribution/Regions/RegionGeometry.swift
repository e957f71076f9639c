import UpwindCore

/// One ring edge, stored with its lower end first (`ay < by`; horizontal edges have `ay == by`),
/// so that every computation on a boundary shared by two regions is the same bit for bit
/// whichever ring it comes from and in whichever direction the ring runs.
struct RegionEdge: Sendable, Equatable {
    var ax: Double, ay: Double, bx: Double, by: Double

    /// The edge between two positions (x longitude, y latitude), lower end first.
    init(_ p: Region.Position, _ q: Region.Position) {
        if p.latitude < q.latitude || (p.latitude == q.latitude && p.longitude <= q.longitude) {
            (ax, ay, bx, by) = (p.longitude, p.latitude, q.longitude, q.latitude)
        } else {
            (ax, ay, bx, by) = (q.longitude, q.latitude, p.longitude, p.latitude)
        }
    }

    /// The half-open crossing test of the ray from (x, y) towards +x (east): the edge counts when
    /// `ay ≤ y < by` (so horizontal edges never count, and a vertex is counted once, by the edge
    /// leaving it upwards) and the point is strictly left of the upward edge,
    /// `(bx − ax)(y − ay) − (by − ay)(x − ax) > 0` (so a point on the edge is not crossed, as if
    /// it lay just east of it). With the edge stored lower end first the test depends only on
    /// the unordered edge and the point.
    @inline(__always) func crosses(x: Double, y: Double) -> Bool {
        guard ay <= y, y < by else { return false }
        return (bx - ax) * (y - ay) - (by - ay) * (x - ax) > 0
    }
}

/// Clipping and areas of rings (degrees), for ``Region/area(south:north:west:east:)``.
enum RegionGeometry {
    /// Clips a ring to a box (Sutherland–Hodgman against its four sides; exact for a convex clip
    /// window, the result may contain zero-width bridges along the box edges, which have no
    /// area). `out` receives the clipped ring, without the closing position.
    static func clip(_ ring: [Region.Position], south: Double, north: Double, west: Double, east: Double,
                     into out: inout [Region.Position], scratch: inout [Region.Position]) {
        out.removeAll(keepingCapacity: true)
        // Drop the closing position: Sutherland–Hodgman works on the implicit closed polygon.
        let n = ring.count > 1 && ring.first == ring.last ? ring.count - 1 : ring.count
        guard n >= 3 else { return }
        out.append(contentsOf: ring[0..<n])
        // Each side: keep points with value(p) ≥ limit (sign = +1) or ≤ limit (sign = −1).
        clipSide(&out, &scratch, limit: south, keepAbove: true, latitude: true)
        clipSide(&out, &scratch, limit: north, keepAbove: false, latitude: true)
        clipSide(&out, &scratch, limit: west, keepAbove: true, latitude: false)
        clipSide(&out, &scratch, limit: east, keepAbove: false, latitude: false)
    }

    private static func clipSide(_ points: inout [Region.Position], _ scratch: inout [Region.Position],
                                 limit: Double, keepAbove: Bool, latitude: Bool) {
        guard !points.isEmpty else { return }
        scratch.removeAll(keepingCapacity: true)
        @inline(__always) func value(_ p: Region.Position) -> Double { latitude ? p.latitude : p.longitude }
        @inline(__always) func inside(_ p: Region.Position) -> Bool { keepAbove ? value(p) >= limit : value(p) <= limit }
        @inline(__always) func cut(_ p: Region.Position, _ q: Region.Position) -> Region.Position {
            let t = (limit - value(p)) / (value(q) - value(p))
            if latitude {
                return Region.Position(longitude: p.longitude + t * (q.longitude - p.longitude), latitude: limit)
            }
            return Region.Position(longitude: limit, latitude: p.latitude + t * (q.latitude - p.latitude))
        }
        var previous = points[points.count - 1]
        var previousInside = inside(previous)
        for p in points {
            let pInside = inside(p)
            if pInside {
                if !previousInside { scratch.append(cut(previous, p)) }
                scratch.append(p)
            } else if previousInside {
                scratch.append(cut(previous, p))
            }
            previous = p
            previousInside = pInside
        }
        swap(&points, &scratch)
    }

    /// The signed area ∬ cos φ dφ dλ (steradians) of a ring (open or closed; positions in
    /// degrees, edges straight in longitude–latitude), positive when counter-clockwise (east then
    /// north). By Green's theorem it is −∮ sin φ dλ; along an edge with φ linear in λ the integral
    /// is exactly −Δλ·sin(φ̄)·sinc(Δφ/2) with φ̄ the mean latitude (radians).
    static func sphericalArea(_ ring: [Region.Position]) -> Double {
        guard ring.count >= 3 else { return 0 }
        let d = Geodesy.radiansPerDegree
        var sum = 0.0
        var previous = ring[ring.count - 1]
        for p in ring {
            let dl = (p.longitude - previous.longitude) * d
            let mean = 0.5 * (p.latitude + previous.latitude) * d
            let half = 0.5 * (p.latitude - previous.latitude) * d
            let sinc = abs(half) < 1e-8 ? 1 - half * half / 6 : Math.sin(half) / half
            sum -= dl * Math.sin(mean) * sinc
            previous = p
        }
        return sum
    }
}
