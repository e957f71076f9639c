import Foundation
import Testing
import UpwindTestSupport
import UpwindCore
@testable import UpwindFormats

@Suite("TrajectoryGeoJSONWriter")
struct TrajectoryGeoJSONWriterTests {
    /// Writes `trajectories` and returns the parsed document and its text.
    static func write(_ trajectories: [Trajectory], in folder: TemporaryDirectory) throws -> ([String: Any], String) {
        let writer = try TrajectoryGeoJSONWriter(path: folder.path("t.geojson"))
        for t in trajectories { try writer.write(t) }
        try writer.finish()
        let text = try folder.read("t.geojson")
        let object = try JSONSerialization.jsonObject(with: Data(text.utf8))
        return (try #require(object as? [String: Any]), text)
    }

    static func features(_ document: [String: Any]) throws -> [[String: Any]] {
        try #require(document["features"] as? [[String: Any]])
    }

    static func geometry(_ feature: [String: Any]) throws -> (type: String, coordinates: Any) {
        let g = try #require(feature["geometry"] as? [String: Any])
        return (try #require(g["type"] as? String), try #require(g["coordinates"]))
    }

    @Test("zero trajectories is a valid empty FeatureCollection")
    func empty() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let (doc, _) = try Self.write([], in: folder)
        #expect(doc["type"] as? String == "FeatureCollection")
        #expect(try Self.features(doc).isEmpty)
    }

    @Test("a LineString with [lon, lat] positions and exactly the contracted properties")
    func lineString() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        var trajectory = Fixture.backward(site: "Site \"A\"\n2")
        trajectory.endpoints[1].longitude = 480  // = 120 after normalisation
        let (doc, text) = try Self.write([trajectory], in: folder)
        let features = try Self.features(doc)
        #expect(features.count == 1)
        #expect(features[0]["type"] as? String == "Feature")
        let (type, coordinates) = try Self.geometry(features[0])
        #expect(type == "LineString")
        let positions = try #require(coordinates as? [[Double]])
        #expect(positions == [[116.4, 39.9], [120, 40.12346], [-0.00004, -0.00001]])
        #expect(text.contains("[116.40000,39.90000],[120.00000,40.12346],[-0.00004,-0.00001]"))

        let properties = try #require(features[0]["properties"] as? [String: Any])
        #expect(Set(properties.keys) == ["trajectory", "site", "member", "start_time", "start_height_m", "termination",
                                         "times", "age_h", "height_agl_m", "pressure_hpa"])
        #expect(properties["trajectory"] as? Int == 1)
        #expect(properties["site"] as? String == "Site \"A\"\n2")
        #expect(properties["member"] as? Int == 0)
        #expect(properties["start_time"] as? String == "2024-01-15T06:00:00Z")
        #expect(properties["start_height_m"] as? Double == 500)
        #expect(properties["termination"] as? String == "completed")
        #expect(properties["times"] as? [String] == ["2024-01-15T06:00:00Z", "2024-01-15T05:00:00Z", "2024-01-15T04:00:00Z"])
        #expect(properties["age_h"] as? [Double] == [0, -1, -2])
        #expect(properties["height_agl_m"] as? [Double] == [500, 612.4, 0])
        let pressure = try #require(properties["pressure_hpa"] as? [Any])
        #expect(pressure.count == 3)
        #expect(pressure[0] as? Double == 950)
        #expect(pressure[1] is NSNull)
        #expect(pressure[2] as? Double == 900)
        #expect(text.contains("\"age_h\":[0.00,-1.00,-2.00]"))
        #expect(!text.contains("-0.0,") && !text.contains("-0.00]"))
    }

    @Test("eastward antimeridian crossing becomes a MultiLineString split at +180/-180 with interpolated latitude")
    func eastwardCrossing() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        // 175 → 195 (written −165): 5° of 20° to the line, so latitude 10 + 0.25·20 = 15.
        let (doc, _) = try Self.write([Fixture.path([(170, 5), (175, 10), (195, 30), (-160, 40)])], in: folder)
        let (type, coordinates) = try Self.geometry(try Self.features(doc)[0])
        #expect(type == "MultiLineString")
        let parts = try #require(coordinates as? [[[Double]]])
        #expect(parts == [[[170, 5], [175, 10], [180, 15]], [[-180, 15], [-165, 30], [-160, 40]]])
    }

    @Test("westward crossing ends the first part at -180 and starts the next at +180")
    func westwardCrossing() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        // −175 → 165 (unwrapped −195): crossing at −180 after 5° of 20°: latitude 0 + 0.25·(−40) = −10.
        let (doc, _) = try Self.write([Fixture.path([(-175, 0), (165, -40), (170, -41)])], in: folder)
        let parts = try #require(try Self.geometry(try Self.features(doc)[0]).coordinates as? [[[Double]]])
        #expect(parts == [[[-175, 0], [-180, -10]], [[180, -10], [165, -40], [170, -41]]])
    }

    @Test("multiple crossings give one part per side; the per-endpoint arrays stay per endpoint")
    func doubleCrossing() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let (doc, _) = try Self.write([Fixture.path([(170, 0), (-170, 0), (170, 0)])], in: folder)
        let feature = try Self.features(doc)[0]
        let parts = try #require(try Self.geometry(feature).coordinates as? [[[Double]]])
        #expect(parts == [[[170, 0], [180, 0]], [[-180, 0], [-170, 0], [-180, 0]], [[180, 0], [170, 0]]])
        let properties = try #require(feature["properties"] as? [String: Any])
        #expect((properties["times"] as? [String])?.count == 3)
    }

    @Test("a vertex exactly on the antimeridian does not create a one-position part")
    func vertexOnLine() {
        let positions = [GeoPosition(longitude: -180, latitude: 10), GeoPosition(longitude: 170, latitude: 12)]
        #expect(TrajectoryGeoJSONWriter.splitAtAntimeridian(positions)
            == [[GeoPosition(longitude: 180, latitude: 10), GeoPosition(longitude: 170, latitude: 12)]])
        // 179 → 180 (= −180) is a 1° step eastward over the line, ending exactly on it.
        let onLine = [GeoPosition(longitude: 179, latitude: 0), GeoPosition(longitude: -180, latitude: 2)]
        #expect(TrajectoryGeoJSONWriter.splitAtAntimeridian(onLine)
            == [[GeoPosition(longitude: 179, latitude: 0), GeoPosition(longitude: 180, latitude: 2)]])
    }

    @Test("a single endpoint is a Point; no endpoints is a null geometry; both parse")
    func pointAndNull() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let (doc, _) = try Self.write([Fixture.path([(190, 45)], id: 1), Fixture.path([], id: 2)], in: folder)
        let features = try Self.features(doc)
        #expect(features.count == 2)
        let (type, coordinates) = try Self.geometry(features[0])
        #expect(type == "Point")
        #expect(coordinates as? [Double] == [-170, 45])
        #expect(features[1]["geometry"] is NSNull)
        let properties = try #require(features[1]["properties"] as? [String: Any])
        #expect((properties["times"] as? [Any])?.isEmpty == true)
    }

    @Test("NaN coordinates are refused with a typed error")
    func nanCoordinate() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let writer = try TrajectoryGeoJSONWriter(path: folder.path("t.geojson"))
        #expect(throws: TrajectoryOutputError.nonFiniteCoordinate(path: folder.path("t.geojson"), trajectory: 7, endpoint: 1)) {
            try writer.write(Fixture.path([(1, 1), (.nan, 2)]))
        }
    }

    @Test("temp-then-rename: destination untouched until finish; an abandoned writer leaves nothing")
    func tempThenRename() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        try folder.write("t.geojson", "{}")
        let writer = try TrajectoryGeoJSONWriter(path: folder.path("t.geojson"))
        try writer.write(Fixture.backward())
        #expect(try folder.read("t.geojson") == "{}")
        try writer.finish()
        #expect(try folder.contents() == ["t.geojson"])
        #expect(writer.featureCount == 1)
        do {
            let abandoned = try TrajectoryGeoJSONWriter(path: folder.path("other.geojson"))
            try abandoned.write(Fixture.backward())
            #expect(try folder.contents().count == 2)
        }
        #expect(try folder.contents() == ["t.geojson"])
    }
}
