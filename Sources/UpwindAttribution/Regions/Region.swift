import UpwindCore

/// A named area made of polygons with holes (a county, a province), in longitude/latitude
/// degrees on WGS84, as a GeoJSON Polygon or MultiPolygon feature holds it (see the *Regions* article in Upwind's documentation;
/// issue 11 item 1).
///
/// Edges are straight lines in longitude–latitude (plate carrée), as GeoJSON readers draw them.
/// Membership follows the even–odd rule over every ring of every polygon, so a hole (a ring
/// inside an outer ring) is outside the region; see ``RegionIndex`` for the rule on boundaries.
/// A region is not checked when made: ``validate(feature:)`` (run by ``RegionIndex/init(regions:)``)
/// reports unclosed or short rings and impossible coordinates.
public struct Region: Sendable, Equatable {
    /// A position, degrees (GeoJSON order: longitude first).
    public struct Position: Sendable, Equatable, Hashable {
        /// Longitude, degrees east.
        public var longitude: Double
        /// Latitude, degrees north (within ±90).
        public var latitude: Double

        /// Creates a position.
        /// - Parameters:
        ///   - longitude: degrees east.
        ///   - latitude: degrees north.
        public init(longitude: Double, latitude: Double) {
            self.longitude = longitude
            self.latitude = latitude
        }
    }

    /// One polygon: an outer ring and the rings of its holes. A ring is closed (its last position
    /// equals its first) and has at least 4 positions; its orientation does not matter.
    public struct Polygon: Sendable, Equatable {
        /// The outer boundary.
        public var outer: [Position]
        /// The holes (each inside ``outer``).
        public var holes: [[Position]]

        /// Creates a polygon.
        /// - Parameters:
        ///   - outer: the closed outer ring.
        ///   - holes: the closed rings of the holes (default none).
        public init(outer: [Position], holes: [[Position]] = []) {
            self.outer = outer
            self.holes = holes
        }

        /// Every ring, the outer one first.
        public var rings: [[Position]] { [outer] + holes }
    }

    /// A latitude–longitude box, degrees.
    public struct BoundingBox: Sendable, Equatable {
        /// Southern edge, degrees north.
        public var south: Double
        /// Northern edge, degrees north.
        public var north: Double
        /// Western edge, degrees east.
        public var west: Double
        /// Eastern edge, degrees east.
        public var east: Double

        /// Creates a box.
        /// - Parameters:
        ///   - south: southern edge, degrees north.
        ///   - north: northern edge, degrees north.
        ///   - west: western edge, degrees east.
        ///   - east: eastern edge, degrees east.
        public init(south: Double, north: Double, west: Double, east: Double) {
            self.south = south
            self.north = north
            self.west = west
            self.east = east
        }

        /// True when the point (degrees) lies in the closed box.
        /// - Parameters:
        ///   - latitude: degrees north.
        ///   - longitude: degrees east.
        /// - Returns: whether it does.
        public func contains(latitude: Double, longitude: Double) -> Bool {
            latitude >= south && latitude <= north && longitude >= west && longitude <= east
        }
    }

    /// The identifier (the file's id property, e.g. the `adcode` `410102`), unique in a file.
    public var id: String
    /// The label (the `name` property, e.g. `中原区`; the id when the feature has none).
    public var name: String
    /// The polygons (one for a GeoJSON Polygon, several for a MultiPolygon).
    public var polygons: [Polygon]
    /// The box of every position of every ring (NaN edges when a coordinate is NaN, which
    /// ``validate(feature:)`` refuses).
    public let boundingBox: BoundingBox

    /// Creates a region and computes its bounding box.
    /// - Parameters:
    ///   - id: identifier, unique among the regions of an index.
    ///   - name: label.
    ///   - polygons: the polygons, positions in degrees.
    public init(id: String, name: String, polygons: [Polygon]) {
        self.id = id
        self.name = name
        self.polygons = polygons
        var box = BoundingBox(south: .infinity, north: -.infinity, west: .infinity, east: -.infinity)
        for polygon in polygons {
            for ring in polygon.rings {
                for p in ring {
                    if p.latitude.isNaN || p.longitude.isNaN {
                        box = BoundingBox(south: .nan, north: .nan, west: .nan, east: .nan)
                    }
                    guard !box.south.isNaN else { continue }
                    box.south = min(box.south, p.latitude)
                    box.north = max(box.north, p.latitude)
                    box.west = min(box.west, p.longitude)
                    box.east = max(box.east, p.longitude)
                }
            }
        }
        boundingBox = box
    }

    /// Checks the geometry: at least one polygon; every ring closed (first position equal to the
    /// last) with at least 4 positions; every coordinate finite, latitudes within ±90°,
    /// longitudes within ±540°; no edge longer than 180° of longitude (a ring crossing the
    /// antimeridian must be split there, as RFC 7946 §3.1.9 asks).
    /// - Parameter feature: the region's 0-based position in its file or list, for the message.
    /// - Throws: ``RegionError/noPolygons(feature:id:)``, ``RegionError/ringTooShort(feature:id:polygon:ring:count:)``,
    ///   ``RegionError/ringNotClosed(feature:id:polygon:ring:first:last:)``,
    ///   ``RegionError/invalidCoordinate(feature:id:polygon:ring:position:longitude:latitude:)``,
    ///   ``RegionError/crossesAntimeridian(feature:id:polygon:ring:position:)``. Rings are numbered
    ///   0-based with 0 the outer ring.
    public func validate(feature: Int) throws(RegionError) {
        guard !polygons.isEmpty else { throw .noPolygons(feature: feature, id: id) }
        for (p, polygon) in polygons.enumerated() {
            for (r, ring) in polygon.rings.enumerated() {
                for (k, q) in ring.enumerated() {
                    guard q.longitude.isFinite, q.latitude.isFinite, abs(q.latitude) <= 90, abs(q.longitude) <= 540 else {
                        throw .invalidCoordinate(feature: feature, id: id, polygon: p, ring: r, position: k,
                                                 longitude: q.longitude, latitude: q.latitude)
                    }
                    if k > 0, abs(q.longitude - ring[k - 1].longitude) > 180 {
                        throw .crossesAntimeridian(feature: feature, id: id, polygon: p, ring: r, position: k)
                    }
                }
                guard ring.count >= 4 else {
                    throw .ringTooShort(feature: feature, id: id, polygon: p, ring: r, count: ring.count)
                }
                guard let first = ring.first, let last = ring.last, first == last else {
                    throw .ringNotClosed(feature: feature, id: id, polygon: p, ring: r,
                                         first: ring.first ?? Position(longitude: .nan, latitude: .nan),
                                         last: ring.last ?? Position(longitude: .nan, latitude: .nan))
                }
            }
        }
    }

    /// True when the point is in the region by the boundary rule of ``RegionIndex`` (even–odd
    /// over all rings, half-open crossing test), tested against every edge: the slow reference
    /// the index reproduces exactly.
    /// - Parameters:
    ///   - latitude: degrees north.
    ///   - longitude: degrees east, compared as given (no wrapping).
    /// - Returns: whether the point is inside.
    public func contains(latitude: Double, longitude: Double) -> Bool {
        var inside = false
        for polygon in polygons {
            for ring in polygon.rings where ring.count > 1 {
                for k in 1..<ring.count {
                    if RegionEdge(ring[k - 1], ring[k]).crosses(x: longitude, y: latitude) { inside.toggle() }
                }
            }
        }
        return inside
    }

    /// The area of the region, km², on a sphere of radius `Earth.radius` with edges straight in
    /// longitude–latitude (``area(south:north:west:east:)`` over its bounding box).
    public var areaKm2: Double {
        area(south: -90, north: 90, west: -540, east: 540)
    }

    /// The area of the part of the region inside a latitude–longitude box, km²: every ring is
    /// clipped to the box (Sutherland–Hodgman, exact for a rectangle), and the area of each
    /// clipped ring is the exact spherical area ∬ R² cos φ dφ dλ of the shape bounded by straight
    /// lines in longitude–latitude (by Green's theorem, −R² ∮ sin φ dλ, integrated exactly along
    /// each edge); holes are subtracted. R = `Earth.radius`.
    /// - Parameters:
    ///   - south: southern edge, degrees north.
    ///   - north: northern edge, degrees north.
    ///   - west: western edge, degrees east.
    ///   - east: eastern edge, degrees east.
    /// - Returns: the area, km² (0 when the box misses the region).
    public func area(south: Double, north: Double, west: Double, east: Double) -> Double {
        let box = boundingBox
        guard box.south <= north, box.north >= south, box.west <= east, box.east >= west else { return 0 }
        var total = 0.0
        var scratch: [Position] = [], clipped: [Position] = []
        for polygon in polygons {
            var a = 0.0
            for (r, ring) in polygon.rings.enumerated() {
                RegionGeometry.clip(ring, south: south, north: north, west: west, east: east, into: &clipped, scratch: &scratch)
                let ringArea = abs(RegionGeometry.sphericalArea(clipped))
                a += r == 0 ? ringArea : -ringArea
            }
            total += max(a, 0)
        }
        let radiusKm = Earth.radius / 1000
        return total * radiusKm * radiusKm
    }
}
