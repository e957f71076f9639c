import Foundation
import Testing
import UpwindCore
import UpwindTestSupport
@testable import UpwindAttribution

/// A closed ring through `corners` ([longitude, latitude] pairs), the first repeated at the end.
func regionRing(_ corners: [(Double, Double)]) -> [Region.Position] {
    let ring = corners.map { Region.Position(longitude: $0.0, latitude: $0.1) }
    return ring + [ring[0]]
}

/// A one-polygon region: the box west…east × south…north (degrees), counter-clockwise.
func regionBox(_ id: String, west: Double, east: Double, south: Double, north: Double, holes: [[Region.Position]] = []) -> Region {
    Region(id: id, name: id, polygons: [Region.Polygon(outer: regionRing([(west, south), (east, south), (east, north), (west, north)]), holes: holes)])
}

/// Brute-force ray casting written independently of `RegionEdge` (PNPOLY with the crossing
/// longitude computed), used on points far from any boundary.
func pnpolyContains(_ region: Region, latitude y: Double, longitude x: Double) -> Bool {
    var inside = false
    for polygon in region.polygons {
        for ring in polygon.rings {
            var j = ring.count - 2
            for i in 0..<(ring.count - 1) {
                let (xi, yi, xj, yj) = (ring[i].longitude, ring[i].latitude, ring[j].longitude, ring[j].latitude)
                if (yi > y) != (yj > y), x < (xj - xi) * (y - yi) / (yj - yi) + xi { inside.toggle() }
                j = i
            }
        }
    }
    return inside
}

@Suite struct RegionIndexTests {
    @Test func squareSplitInTwoPutsEveryBoundaryPointInExactlyOneRegion() throws {
        // West [0,1]×[0,1] and East [1,2]×[0,1]; East's ring runs clockwise and starts elsewhere.
        let west = regionBox("W", west: 0, east: 1, south: 0, north: 1)
        let east = Region(id: "E", name: "E", polygons: [Region.Polygon(outer: regionRing([(2, 1), (2, 0), (1, 0), (1, 1)]))])
        let index = try RegionIndex(regions: [west, east])
        // The shared edge x = 1: east of it.
        for y in [0.0, 0.125, 0.5, 0.75, 0.999] {
            #expect(index.locate(latitude: y, longitude: 1) == 1)
            #expect([west, east].filter { $0.contains(latitude: y, longitude: 1) }.count == 1)
        }
        // Vertices: moved east then north. (1,0) → East, (1,1) on the top edge → none, (0,0) → West.
        #expect(index.locate(latitude: 0, longitude: 1) == 1)
        #expect(index.locate(latitude: 1, longitude: 1) == nil)
        #expect(index.locate(latitude: 0, longitude: 0) == 0)
        #expect(index.locate(latitude: 0, longitude: 2) == nil)
        // Outer edges: west and south edges in, east and north edges out.
        #expect(index.locate(latitude: 0.5, longitude: 0) == 0)
        #expect(index.locate(latitude: 0, longitude: 0.5) == 0)
        #expect(index.locate(latitude: 1, longitude: 0.5) == nil)
        #expect(index.locate(latitude: 0.5, longitude: 2) == nil)
        // Interior points and outside points.
        #expect(index.locate(latitude: 0.5, longitude: 0.5) == 0)
        #expect(index.locate(latitude: 0.5, longitude: 1.5) == 1)
        #expect(index.locate(latitude: 1.5, longitude: 0.5) == nil)
        #expect(index.locate(latitude: .nan, longitude: 0.5) == nil)
        // The same regions in the other order: the same region wins on the shared edge.
        let swapped = try RegionIndex(regions: [east, west])
        #expect(swapped.locate(latitude: 0.5, longitude: 1) == 0)
        #expect(swapped.locate(latitude: 0, longitude: 1) == 0)
    }

    @Test func fourSquaresShareTheCentreVertexWithTheNorthEastOne() throws {
        let regions = [regionBox("SW", west: 0, east: 1, south: 0, north: 1), regionBox("SE", west: 1, east: 2, south: 0, north: 1),
                       regionBox("NW", west: 0, east: 1, south: 1, north: 2), regionBox("NE", west: 1, east: 2, south: 1, north: 2)]
        let index = try RegionIndex(regions: regions)
        #expect(index.locate(latitude: 1, longitude: 1) == 3)
        #expect(regions.filter { $0.contains(latitude: 1, longitude: 1) }.map(\.id) == ["NE"])
        // On the horizontal shared edges: north of them.
        #expect(index.locate(latitude: 1, longitude: 0.5) == 2)
        #expect(index.locate(latitude: 1, longitude: 1.5) == 3)
    }

    @Test func holesAreOutsideAndAnIslandInTheHoleIsItsOwnRegion() throws {
        let hole = regionRing([(1, 1), (1, 2), (2, 2), (2, 1)])
        let ring = regionBox("ring", west: 0, east: 3, south: 0, north: 3, holes: [hole])
        let island = regionBox("island", west: 1, east: 2, south: 1, north: 2)
        let index = try RegionIndex(regions: [ring, island])
        #expect(index.locate(latitude: 0.5, longitude: 0.5) == 0)
        #expect(index.locate(latitude: 1.5, longitude: 1.5) == 1)
        #expect(index.locate(latitude: 2.5, longitude: 1.5) == 0)
        // Without the island, the hole is in no region.
        let alone = try RegionIndex(regions: [ring])
        #expect(alone.locate(latitude: 1.5, longitude: 1.5) == nil)
        #expect(alone.locate(latitude: 1.5, longitude: 0.5) == 0)
        // The hole's boundary: exactly one of the two.
        for (y, x) in [(1.0, 1.5), (1.5, 1.0), (1.5, 2.0), (2.0, 1.5), (1.0, 1.0), (2.0, 2.0)] {
            let owners = [ring, island].filter { $0.contains(latitude: y, longitude: x) }.count
            #expect(owners == 1, "point \(y), \(x)")
            #expect(index.locate(latitude: y, longitude: x) == index.locateByScanning(latitude: y, longitude: x))
        }
    }

    @Test func multiPolygonPartsAllBelongToTheRegion() throws {
        let two = Region(id: "two", name: "two", polygons: [
            Region.Polygon(outer: regionRing([(0, 0), (1, 0), (1, 1), (0, 1)])),
            Region.Polygon(outer: regionRing([(5, 5), (6, 5), (6, 6), (5, 6)])),
        ])
        let other = regionBox("other", west: 2, east: 4, south: 2, north: 4)
        let index = try RegionIndex(regions: [other, two])
        #expect(index.locate(latitude: 0.5, longitude: 0.5) == 1)
        #expect(index.locate(latitude: 5.5, longitude: 5.5) == 1)
        #expect(index.locate(latitude: 3, longitude: 3) == 0)
        #expect(index.locate(latitude: 3, longitude: 5.5) == nil)
    }

    @Test func overlappingRegionsGoToTheFirstListed() throws {
        let a = regionBox("a", west: 0, east: 2, south: 0, north: 2), b = regionBox("b", west: 1, east: 3, south: 1, north: 3)
        #expect(try RegionIndex(regions: [a, b]).locate(latitude: 1.5, longitude: 1.5) == 0)
        #expect(try RegionIndex(regions: [b, a]).locate(latitude: 1.5, longitude: 1.5) == 0)
        #expect(try RegionIndex(regions: [b, a]).locate(latitude: 0.5, longitude: 0.5) == 1)
    }

    @Test func longitudesAreTriedAcrossTheDateLine() throws {
        let pacific = regionBox("p", west: 170, east: 190, south: -10, north: 10)
        let index = try RegionIndex(regions: [pacific])
        #expect(index.locate(latitude: 0, longitude: -175) == 0)
        #expect(index.locate(latitude: 0, longitude: 175) == 0)
        #expect(index.locate(latitude: 0, longitude: -165) == nil)
    }

    /// A 10 × 10 mesh of quadrilaterals with jittered shared vertices: every vertex, every edge
    /// midpoint and random points in the mesh lie in exactly one quad, and the index agrees with
    /// scanning every edge.
    @Test func jitteredMeshIsAPartitionAndTheIndexMatchesScanning() throws {
        var rng = SplitMix64(seed: 7)
        let n = 10
        var vx = [[Double]](repeating: [Double](repeating: 0, count: n + 1), count: n + 1), vy = vx
        for i in 0...n {
            for j in 0...n {
                let interior = i > 0 && i < n && j > 0 && j < n
                vx[i][j] = 100 + Double(j) * 0.3 + (interior ? rng.uniform(-0.1, 0.1) : 0)
                vy[i][j] = 30 + Double(i) * 0.3 + (interior ? rng.uniform(-0.1, 0.1) : 0)
            }
        }
        var regions: [Region] = []
        for i in 0..<n {
            for j in 0..<n {
                let corners = [(vx[i][j], vy[i][j]), (vx[i][j + 1], vy[i][j + 1]), (vx[i + 1][j + 1], vy[i + 1][j + 1]), (vx[i + 1][j], vy[i + 1][j])]
                regions.append(Region(id: "\(i)-\(j)", name: "", polygons: [Region.Polygon(outer: regionRing(j % 2 == 0 ? corners : corners.reversed()))]))
            }
        }
        let index = try RegionIndex(regions: regions)
        var points: [(Double, Double)] = []
        for i in 1..<n {
            for j in 1..<n {
                points.append((vy[i][j], vx[i][j]))
                points.append((0.5 * (vy[i][j] + vy[i][j + 1]), 0.5 * (vx[i][j] + vx[i][j + 1])))
                points.append((0.5 * (vy[i][j] + vy[i + 1][j]), 0.5 * (vx[i][j] + vx[i + 1][j])))
            }
        }
        for _ in 0..<3000 { points.append((rng.uniform(30.05, 32.95), rng.uniform(100.05, 102.95))) }
        for (y, x) in points {
            let owners = regions.indices.filter { regions[$0].contains(latitude: y, longitude: x) }
            #expect(owners.count == 1, "point \(y), \(x) is in \(owners.count) quads")
            #expect(index.locate(latitude: y, longitude: x) == owners.first)
        }
    }

    @Test func henanCountiesInteriorPointsAreInTheirCountyOnly() throws {
        let regions = try henanCounties()
        #expect(regions.count == 157)
        let index = try RegionIndex(regions: regions)
        for (k, county) in regions.enumerated() {
            let p = try #require(interiorPoint(county), "county \(county.id) \(county.name)")
            let owners = regions.indices.filter { pnpolyContains(regions[$0], latitude: p.latitude, longitude: p.longitude) }
            #expect(owners == [k], "county \(county.id) \(county.name): interior point \(p) is in \(owners.map { regions[$0].id })")
            #expect(index.locate(latitude: p.latitude, longitude: p.longitude) == k)
        }
    }

    @Test func henanIndexMatchesScanningOnVerticesMidpointsAndRandomPoints() throws {
        let regions = try henanCounties()
        let index = try RegionIndex(regions: regions)
        #expect(index.mixedCellCount < index.cellCount / 3)
        var points: [(Double, Double)] = []
        for region in regions {
            for polygon in region.polygons {
                for ring in polygon.rings {
                    for k in stride(from: 1, to: ring.count, by: 7) {
                        points.append((ring[k].latitude, ring[k].longitude))
                        points.append((0.5 * (ring[k].latitude + ring[k - 1].latitude), 0.5 * (ring[k].longitude + ring[k - 1].longitude)))
                    }
                }
            }
        }
        var rng = SplitMix64(seed: 11)
        let box = index.boundingBox
        for _ in 0..<2000 { points.append((rng.uniform(box.south - 0.2, box.north + 0.2), rng.uniform(box.west - 0.2, box.east + 0.2))) }
        var mismatches = 0
        for (y, x) in points where index.locate(latitude: y, longitude: x) != index.locateByScanning(latitude: y, longitude: x) {
            mismatches += 1
        }
        #expect(mismatches == 0, "\(mismatches) of \(points.count) points differ")
    }

    @Test func invalidGeometryIsRefusedWithItsPlaceAndWhatToDo() {
        func message(_ regions: [Region]) -> String {
            do {
                _ = try RegionIndex(regions: regions)
                return ""
            } catch {
                return error.description
            }
        }
        let open = Region(id: "410102", name: "x", polygons: [Region.Polygon(outer: [Region.Position(longitude: 0, latitude: 0), Region.Position(longitude: 1, latitude: 0), Region.Position(longitude: 1, latitude: 1), Region.Position(longitude: 0, latitude: 1)])])
        let text = message([regionBox("a", west: 0, east: 1, south: 0, north: 1), open])
        #expect(text.contains("region 1 (id 410102)") && text.contains("not closed") && text.contains("repeat the first position"))
        let short = Region(id: "s", name: "s", polygons: [Region.Polygon(outer: regionRing([(0, 0), (1, 0)]))])
        #expect(message([short]).contains("has 3 positions; a ring needs at least 4"))
        let north = regionBox("n", west: 0, east: 1, south: 80, north: 95)
        #expect(message([north]).contains("latitude within ±90"))
        let nan = regionBox("nan", west: 0, east: .nan, south: 0, north: 1)
        #expect(message([nan]).contains("finite"))
        let wide = regionBox("w", west: -170, east: 170, south: 0, north: 1)
        #expect(message([wide]).contains("antimeridian"))
        #expect(message([regionBox("d", west: 0, east: 1, south: 0, north: 1), regionBox("d", west: 2, east: 3, south: 0, north: 1)])
            .contains("regions 0 and 1 have the same id d"))
        #expect(message([]).contains("no regions"))
        #expect(message([Region(id: "e", name: "e", polygons: [])]).contains("has no polygon"))
        let badHole = regionBox("h", west: 0, east: 3, south: 0, north: 3, holes: [[Region.Position(longitude: 1, latitude: 1)]])
        #expect(message([badHole]).contains("hole 1 of polygon 0"))
    }

    @Test func cellAreaIsTheSphericalAreaOfTheClippedPart() throws {
        let r = Earth.radius / 1000, d = Double.pi / 180
        // A 1° × 1° box at 30–31° N: R²·Δλ·(sin 31° − sin 30°).
        let box = regionBox("b", west: 110, east: 111, south: 30, north: 31)
        let exact = r * r * d * (sin(31 * d) - sin(30 * d))
        #expect(abs(box.areaKm2 - exact) < 1e-9 * exact)
        // A cell half inside (the western half of the box).
        let half = box.area(south: 29.5, north: 31.5, west: 109.5, east: 110.5)
        #expect(abs(half - exact / 2) < 1e-9 * exact)
        // A triangle (lon 0…2, lat 0…2 right angle at the origin) clipped to lat 0…1: exact area
        // ∫₀¹ (2 − λ(φ))… in degrees: width 2 − φ at latitude φ, area R²∫(2 − φ)·d·cos φ dφ.
        let triangle = Region(id: "t", name: "t", polygons: [Region.Polygon(outer: regionRing([(0, 0), (2, 0), (0, 2)]))])
        let clipped = triangle.area(south: -1, north: 1, west: -1, east: 3)
        let integral = r * r * (2 * d * sin(d) - (d * sin(d) + cos(d) - 1))
        #expect(abs(clipped - integral) < 1e-9 * integral)
        // A hole is subtracted; a box missing the region has no area.
        let holed = regionBox("h", west: 0, east: 2, south: 0, north: 2, holes: [regionRing([(0.5, 0.5), (1.5, 0.5), (1.5, 1.5), (0.5, 1.5)])])
        let outer = r * r * 2 * d * sin(2 * d), inner = r * r * d * (sin(1.5 * d) - sin(0.5 * d))
        #expect(abs(holed.areaKm2 - (outer - inner)) < 1e-9 * outer)
        #expect(holed.area(south: 5, north: 6, west: 0, east: 1) == 0)
    }
}

/// Henan's 157 counties from the fixture, ids from `adcode`, read with Foundation's JSON parser
/// (independent of UpwindFormats' reader).
func henanCounties() throws -> [Region] {
    let data = try Data(contentsOf: Fixtures.url("regions/henan-counties.geojson"))
    let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    let features = try #require(root["features"] as? [[String: Any]])
    func ring(_ value: Any) throws -> [Region.Position] {
        let positions = try #require(value as? [[Double]])
        return positions.map { Region.Position(longitude: $0[0], latitude: $0[1]) }
    }
    func polygon(_ value: Any) throws -> Region.Polygon {
        let rings = try #require(value as? [Any]).map(ring)
        return Region.Polygon(outer: rings[0], holes: Array(rings.dropFirst()))
    }
    return try features.map { f in
        let properties = try #require(f["properties"] as? [String: Any])
        let geometry = try #require(f["geometry"] as? [String: Any])
        let coordinates = try #require(geometry["coordinates"] as? [Any])
        let polygons = geometry["type"] as? String == "Polygon" ? [try polygon(coordinates)] : try coordinates.map(polygon)
        return Region(id: "\(properties["adcode"] ?? "")", name: "\(properties["name"] ?? "")", polygons: polygons)
    }
}

/// A point well inside a region: along a horizontal line through its bounding box (the middle
/// first, then other heights), the midpoint of the widest interval inside it by the even–odd rule.
func interiorPoint(_ region: Region) -> Region.Position? {
    let box = region.boundingBox
    var best: (width: Double, point: Region.Position)?
    for fraction in [0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8] {
        let y = box.south + fraction * (box.north - box.south) + 1.234_567e-7
        var xs: [Double] = []
        for polygon in region.polygons {
            for ring in polygon.rings {
                for k in 1..<ring.count {
                    let (a, b) = (ring[k - 1], ring[k])
                    if (a.latitude > y) != (b.latitude > y) {
                        xs.append(a.longitude + (y - a.latitude) * (b.longitude - a.longitude) / (b.latitude - a.latitude))
                    }
                }
            }
        }
        xs.sort()
        for k in stride(from: 0, to: xs.count - 1, by: 2) where xs[k + 1] - xs[k] > (best?.width ?? -1) {
            best = (xs[k + 1] - xs[k], Region.Position(longitude: 0.5 * (xs[k] + xs[k + 1]), latitude: y))
        }
        if let best, best.width > 0.02 { return best.point }
    }
    return best?.point
}
