import Foundation
import UpwindCore

/// Streams trajectories to an RFC 7946 GeoJSON `FeatureCollection`, one `Feature` per
/// trajectory (one line each), as trajectories complete.
///
/// Same safety as ``TrajectoryCSVWriter``: the file is written under a temporary name in the
/// destination's folder and renamed onto the destination only by ``finish()``; a writer dropped
/// without `finish()` removes its temporary file. A finished file is valid JSON even with zero
/// trajectories (`"features":[]`).
///
/// Geometry, positions `[longitude, latitude]` in degrees with 5 decimals, longitude in
/// [−180, 180]:
/// - `LineString` through the endpoints, for two or more endpoints;
/// - `MultiLineString` when the path crosses the antimeridian: wherever consecutive longitudes
///   differ by more than 180°, the line is split and the crossing point (latitude interpolated
///   linearly in unwrapped longitude) is added at ±180 to the end of one part and the start of
///   the next;
/// - `Point` for a trajectory with a single endpoint (a `LineString` needs two positions);
/// - `null` (an unlocated Feature, allowed by RFC 7946 §3.2) for one with no endpoints.
///
/// Properties, exactly: `trajectory` (id), `site`, `member`, `start_time` (ISO 8601 UTC),
/// `start_height_m` (m, 1 decimal), `termination` (`TerminationReason` raw value), and
/// per-endpoint arrays (one element per endpoint, not per geometry vertex): `times` (ISO 8601
/// UTC), `age_h` (hours, negative backward, 2 decimals), `height_agl_m` (m, 1 decimal),
/// `pressure_hpa` (hPa, 1 decimal). NaN or infinite values are `null`.
public final class TrajectoryGeoJSONWriter: TrajectoryStreamWriter {
    /// Destination path as given (a sink's name, e.g. `<memory>`, for ``init(sink:)``).
    public var path: String { file.name }
    /// Features (trajectories) written so far.
    public private(set) var featureCount = 0

    private let file: GuardedSink

    /// Opens a writer for `path` and writes the collection's opening to a temporary file beside it.
    /// - Parameter path: Destination GeoJSON path; its folder must exist. Replaced only on ``finish()``.
    /// - Throws: ``TrajectoryOutputError``.
    public convenience init(path: String) throws {
        try self.init(sink: FileSink(path: path))
    }

    /// Opens a writer on any sink (memory, a stream) and writes the collection's opening; the
    /// bytes are the same as a file's.
    /// - Throws: ``TrajectoryOutputError`` or the sink's error.
    public init(sink: any ByteSink) throws {
        file = GuardedSink(sink)
        try file.write("{\"type\":\"FeatureCollection\",\"features\":[\n")
    }

    /// Appends one Feature for `trajectory`.
    /// - Throws: ``TrajectoryOutputError`` (``TrajectoryOutputError/nonFiniteCoordinate(path:trajectory:endpoint:)``
    ///   when an endpoint's latitude or longitude is NaN/infinite); after a write failure the
    ///   writer refuses further use.
    public func write(_ trajectory: Trajectory) throws {
        try file.checkUsable()
        var positions: [GeoPosition] = []
        positions.reserveCapacity(trajectory.endpoints.count)
        for (index, endpoint) in trajectory.endpoints.enumerated() {
            guard endpoint.latitude.isFinite, endpoint.longitude.isFinite else {
                throw TrajectoryOutputError.nonFiniteCoordinate(path: path, trajectory: trajectory.id, endpoint: index)
            }
            positions.append(GeoPosition(longitude: NumberText.normalizedLongitude(endpoint.longitude), latitude: endpoint.latitude))
        }
        let start = trajectory.start
        let endpoints = trajectory.endpoints
        let properties = JSONText.object([
            ("trajectory", String(trajectory.id)),
            ("site", JSONText.quoted(start.site)),
            ("member", String(trajectory.member)),
            ("start_time", JSONText.quoted(start.time.iso8601)),
            ("start_height_m", JSONText.number(start.height, decimals: 1)),
            ("termination", JSONText.quoted(trajectory.termination.reason.rawValue)),
            ("times", JSONText.array(endpoints.map { JSONText.quoted($0.time.iso8601) })),
            ("age_h", JSONText.array(endpoints.map { JSONText.number($0.ageHours, decimals: 2) })),
            ("height_agl_m", JSONText.array(endpoints.map { JSONText.number($0.heightAGL, decimals: 1) })),
            ("pressure_hpa", JSONText.array(endpoints.map { JSONText.number($0.pressureHPa, decimals: 1) })),
        ])
        let feature = JSONText.object([
            ("type", JSONText.quoted("Feature")), ("geometry", Self.geometry(positions)), ("properties", properties),
        ])
        let text = (featureCount == 0 ? "" : ",\n") + feature
        try file.write(text)
        featureCount += 1
    }

    /// Closes the collection, flushes and renames the file onto the destination.
    /// - Throws: ``TrajectoryOutputError``.
    public func finish() throws {
        try file.write("\n]}\n")
        try file.finish()
    }

    /// The geometry object's JSON for positions already normalised to [−180, 180).
    static func geometry(_ positions: [GeoPosition]) -> String {
        switch positions.count {
        case 0:
            return "null"
        case 1:
            return JSONText.object([("type", JSONText.quoted("Point")), ("coordinates", positions[0].json)])
        default:
            let parts = splitAtAntimeridian(positions)
            if parts.count == 1 {
                return JSONText.object([("type", JSONText.quoted("LineString")), ("coordinates", line(parts[0]))])
            }
            return JSONText.object([("type", JSONText.quoted("MultiLineString")), ("coordinates", JSONText.array(parts.map(line)))])
        }
    }

    private static func line(_ positions: [GeoPosition]) -> String {
        JSONText.array(positions.map(\.json))
    }

    /// Splits a path (longitudes in [−180, 180)) wherever consecutive longitudes differ by more
    /// than 180°, ending one part and starting the next at the interpolated crossing point on
    /// ±180. Parts left with fewer than two positions (a vertex lying exactly on the
    /// antimeridian) are dropped; the whole path is returned as one part when that leaves none.
    static func splitAtAntimeridian(_ positions: [GeoPosition]) -> [[GeoPosition]] {
        guard var previous = positions.first else { return [] }
        var parts: [[GeoPosition]] = []
        var current = [previous]
        for next in positions.dropFirst() {
            let delta = next.longitude - previous.longitude
            if abs(delta) > 180 {
                // Eastward over +180 when the longitude jumps down, westward over −180 when it jumps up.
                let eastward = delta < 0
                let boundary: Double = eastward ? 180 : -180
                let unwrapped = next.longitude + (eastward ? 360 : -360)
                let span = unwrapped - previous.longitude
                let fraction = span == 0 ? 0 : (boundary - previous.longitude) / span
                let latitude = previous.latitude + fraction * (next.latitude - previous.latitude)
                let exit = GeoPosition(longitude: boundary, latitude: latitude)
                let entry = GeoPosition(longitude: -boundary, latitude: latitude)
                if current.last != exit { current.append(exit) }
                parts.append(current)
                current = [entry]
                if next != entry { current.append(next) }
            } else {
                current.append(next)
            }
            previous = next
        }
        parts.append(current)
        let kept = parts.filter { $0.count >= 2 }
        return kept.isEmpty ? [positions] : kept
    }
}

/// A `[longitude, latitude]` position in degrees.
struct GeoPosition: Equatable {
    /// Degrees east.
    var longitude: Double
    /// Degrees north.
    var latitude: Double

    /// JSON array text, 5 decimals, longitude clamped to [−180, 180].
    var json: String {
        let lon = (longitude * 100_000).rounded(.toNearestOrAwayFromZero) / 100_000
        let clamped = min(max(lon, -180), 180)
        return JSONText.array([JSONText.number(clamped, decimals: 5), JSONText.number(latitude, decimals: 5)])
    }
}
