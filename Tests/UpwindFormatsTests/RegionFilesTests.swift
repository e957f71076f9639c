import Foundation
import Testing
import UpwindAttribution
import UpwindCore
import UpwindFormats
import UpwindTestSupport

/// A FeatureCollection text of `features` (each a Feature's JSON text).
private func collection(_ features: [String]) -> String {
    "{\"type\":\"FeatureCollection\",\"features\":[" + features.joined(separator: ",") + "]}"
}

/// A Polygon feature with `properties` (JSON text) over the box west…east × south…north.
private func boxFeature(_ properties: String, west: Double, east: Double, south: Double, north: Double) -> String {
    "{\"type\":\"Feature\",\"properties\":\(properties),\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[\(west),\(south)],[\(east),\(south)],[\(east),\(north)],[\(west),\(north)],[\(west),\(south)]]]}}"
}

/// The message of the error `body` throws ("" when it does not throw).
private func message(_ body: () throws -> Void) -> String {
    do {
        try body()
        return ""
    } catch {
        return "\(error)"
    }
}

private func parse(_ text: String, idProperty: String? = nil) throws -> RegionFile {
    try RegionFile.parse(Array(text.utf8), name: "test.geojson", idProperty: idProperty)
}

/// A backward trajectory through `points` ((latitude, longitude)), hourly.
private func trajectory(_ id: Int, _ points: [(Double, Double)]) -> Trajectory {
    let t0 = UTCTime(year: 2024, month: 1, day: 1)
    let endpoints = points.enumerated().map { k, p in
        TrajectoryEndpoint(time: t0 + Int64(-k * 3600), ageHours: -Double(k), latitude: p.0, longitude: p.1, heightAGL: 100, pressureHPa: 1000)
    }
    return Trajectory(id: id, start: TrajectoryStart(site: "S", latitude: points[0].0, longitude: points[0].1, height: 100, time: t0),
                      isBackward: true, verticalMode: .data, endpoints: endpoints, termination: Termination(reason: .completed, time: t0))
}

@Suite("regions GeoJSON reader and region outputs")
struct RegionFilesTests {
    @Test("the real Henan counties, prefectures and China's provinces")
    func realBoundaries() throws {
        let counties = try RegionFile.read(path: Fixtures.path("regions/henan-counties.geojson"))
        #expect(counties.idProperty == "adcode")
        #expect(counties.regions.count == 157)
        #expect(counties.regions[0].id == "410102" && counties.regions[0].name == "中原区")
        #expect(counties.regions.filter { $0.polygons.count > 1 }.count == 10)
        #expect(counties.regions.contains { $0.polygons.contains { !$0.holes.isEmpty } })
        let index = try counties.index()
        #expect(index.count == 157)
        // Zhengzhou's Erqi district centre, by its own index.
        #expect(index.locate(latitude: 34.70, longitude: 113.62).map { index.regions[$0].name } == "二七区")
        let provinces = try RegionFile.read(path: Fixtures.path("regions/china-provinces.geojson"))
        #expect(provinces.regions.count == 34)
        #expect(try provinces.index().index(ofID: "410000").map { provinces.regions[$0].name } == "河南省")
        let byName = try RegionFile.read(path: Fixtures.path("regions/henan-prefectures.geojson"), idProperty: "name")
        #expect(byName.regions.count == 18 && byName.regions.contains { $0.id == "郑州市" })
    }

    @Test("ids: explicit property, defaults adcode → id → name, numbers, the Feature's own id")
    func ids() throws {
        let numeric = try parse(collection([boxFeature("{\"id\":7,\"name\":\"甲\"}", west: 0, east: 1, south: 0, north: 1),
                                            boxFeature("{\"id\":8.0}", west: 1, east: 2, south: 0, north: 1)]))
        #expect(numeric.idProperty == "id" && numeric.regions.map(\.id) == ["7", "8"] && numeric.regions.map(\.name) == ["甲", "8"])
        let featureID = "{\"type\":\"Feature\",\"id\":\"f1\",\"properties\":null,\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[1,1],[0,0]]]}}"
        #expect(try parse(collection([featureID])).regions.map(\.id) == ["f1"])
        let names = try parse(collection([boxFeature("{\"name\":\"a\",\"code\":\"1\"}", west: 0, east: 1, south: 0, north: 1)]))
        #expect(names.idProperty == "name")
        #expect(try parse(collection([boxFeature("{\"name\":\"a\",\"code\":\"1\"}", west: 0, east: 1, south: 0, north: 1)]), idProperty: "code").regions[0].id == "1")
        let none = message { _ = try parse(collection([boxFeature("{\"code\":\"1\"}", west: 0, east: 1, south: 0, north: 1)])) }
        #expect(none.contains("tried adcode, id, name") && none.contains("properties present: code"))
    }

    @Test("an unknown id property lists the properties present")
    func unknownProperty() {
        let text = message { _ = try RegionFile.read(path: Fixtures.path("regions/henan-counties.geojson"), idProperty: "code") }
        #expect(text.contains("has no property 'code' (properties present: adcode, name, city, province, level)"))
        let partial = message {
            _ = try parse(collection([boxFeature("{\"code\":\"1\"}", west: 0, east: 1, south: 0, north: 1),
                                      boxFeature("{\"name\":\"b\"}", west: 1, east: 2, south: 0, north: 1)]), idProperty: "code")
        }
        #expect(partial.contains("feature 1 has no property 'code' (its properties: name)"))
    }

    @Test("bad JSON, bad GeoJSON and bad geometry are refused with the place and what to do")
    func badInput() throws {
        let full = try Fixtures.text("regions/henan-counties.geojson")
        let truncated = message { _ = try parse(String(full.prefix(5000))) }
        #expect(truncated.contains("is not valid JSON (line 1, column") && truncated.contains("unexpected end of file"))
        let comma = message { _ = try parse("{\"type\": \"FeatureCollection\",\n  \"features\": [,]}") }
        #expect(comma.contains("test.geojson is not valid JSON (line 2, column 16): expected a value, found ','"))
        #expect(message { _ = try parse("[1, 2]") }.contains("is not a GeoJSON FeatureCollection (found an array)"))
        #expect(message { _ = try parse(collection([])) }.contains("has no features"))
        let unclosed = "{\"type\":\"Feature\",\"properties\":{\"adcode\":\"410102\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[1,1],[0,1]]]}}"
        let open = message { _ = try parse(collection([unclosed])) }
        #expect(open.contains("region 0 (id 410102): the outer ring of polygon 0 is not closed") && open.contains("repeat the first position at the end"))
        let noGeometry = "{\"type\":\"Feature\",\"properties\":{\"adcode\":\"1\"},\"geometry\":null}"
        #expect(message { _ = try parse(collection([noGeometry])) }.contains("feature 0 has no geometry"))
        let point = "{\"type\":\"Feature\",\"properties\":{\"adcode\":\"1\"},\"geometry\":{\"type\":\"Point\",\"coordinates\":[0,0]}}"
        #expect(message { _ = try parse(collection([point])) }.contains("feature 0 is a Point; regions must be Polygon or MultiPolygon"))
        let shape = "{\"type\":\"Feature\",\"properties\":{\"adcode\":\"1\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[0,0],[1,0]]}}"
        #expect(message { _ = try parse(collection([shape])) }.contains("the Polygon, ring 0, position 0 is the number 0.0, not a position [longitude, latitude]"))
        let twice = message {
            _ = try parse(collection([boxFeature("{\"adcode\":\"1\"}", west: 0, east: 1, south: 0, north: 1),
                                      boxFeature("{\"adcode\":1}", west: 1, east: 2, south: 0, north: 1)]))
        }
        #expect(twice.contains("features 0 and 1 have the same id 1"))
        #expect(message { _ = try RegionFile.read(path: "/nonexistent/r.geojson") }.contains("cannot read regions file /nonexistent/r.geojson: no such file"))
    }

    /// Two regions with awkward names, a trajectory set, and the three outputs.
    @Test("regions.csv, regions.geojson and outside_home.csv")
    func outputs() async throws {
        let text = collection([
            boxFeature("{\"adcode\":\"410102\",\"name\":\"中原区\",\"level\":\"county\"}", west: 0, east: 1, south: 0, north: 1),
            boxFeature("{\"adcode\":\"2\",\"name\":\"Kaifeng, \\\"east\\\"\",\"pscf\":\"old\"}", west: 1, east: 2, south: 0, north: 1),
        ])
        let file = try parse(text)
        let home = try parse(collection([boxFeature("{\"adcode\":\"410000\",\"name\":\"河南省\"}", west: 0, east: 1.5, south: 0, north: 1),
                                         boxFeature("{\"adcode\":\"420000\",\"name\":\"湖北省\"}", west: 1.5, east: 9, south: 0, north: 1)]))
        // Polluted (T1): 2 h in 中原区, 1 h in the east region (at lon 1.7, outside the home
        // province); clean (T2): 2 h in the east region. Enhancement of the east: (1/3)/(2/2).
        // With seed 1 some of the 10 resamples draw T2 twice: no polluted residence, every share
        // NaN, and the tie goes to id 2 (before 410102), so both ranks range over 1–2.
        let trajectories = [trajectory(1, [(0.5, 0.5), (0.5, 0.5), (0.5, 0.6), (0.5, 1.7)]), trajectory(2, [(0.5, 1.2), (0.5, 1.2), (0.5, 1.3)])]
        let result = try await RegionAttribution.compute(trajectories: trajectories, values: [90, 10],
                                                         settings: ReceptorGridSettings(criterion: .value(50)), criterionValue: 50,
                                                         regions: try file.index(), cells: [],
                                                         home: RegionHome(index: try home.index(), id: "410000"), resamples: 10)
        let csv = try RegionFiles.csv(result)
        #expect(csv == #"""
        rank,id,name,polluted_share,residence_h,polluted_residence_h,enhancement_ratio,pscf,wpscf,cwt,wcwt,fire_score,fire_count,n_endpoints,n_trajectories,rank_low,rank_high
        1,410102,中原区,0.666667,2,2,,,,,,,,2,1,1,2
        2,2,"Kaifeng, ""east""",0.333333,3,1,0.333333,,,,,,,3,2,1,2

        """#)
        #expect(RegionFiles.columns.joined(separator: ",") == csv.split(separator: "\n")[0].description)
        let homeCSV = try RegionFiles.outsideHomeCSV(try #require(result.home))
        #expect(homeCSV == """
        id,name,polluted_residence_h,polluted_share,is_home
        410000,河南省,2,0.666667,true
        420000,湖北省,1,0.333333,false

        """)
        #expect(abs((result.home?.outsideHomeShare ?? 0) - 1.0 / 3) < 1e-12)

        // regions.geojson: the input features, geometry as read, the statistics added.
        let dir = try TemporaryDirectory()
        let names = try RegionFiles.write(result, file: file, into: dir.path)
        #expect(names == ["regions.csv", "regions.geojson", "outside_home.csv"])
        #expect(try dir.contents() == ["outside_home.csv", "regions.csv", "regions.geojson"])
        #expect(try dir.read("regions.csv") == csv)
        #expect(try dir.read("outside_home.csv") == homeCSV)
        let written = try dir.read("regions.geojson")
        let output = try #require(try JSONSerialization.jsonObject(with: Data(written.utf8)) as? [String: Any])
        let input = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let outFeatures = try #require(output["features"] as? [[String: Any]]), inFeatures = try #require(input["features"] as? [[String: Any]])
        #expect(output["type"] as? String == "FeatureCollection" && outFeatures.count == 2)
        for (o, i) in zip(outFeatures, inFeatures) {
            #expect(NSDictionary(dictionary: try #require(o["geometry"] as? [String: Any])).isEqual(to: try #require(i["geometry"] as? [String: Any])))
        }
        let first = try #require(outFeatures[0]["properties"] as? [String: Any]), second = try #require(outFeatures[1]["properties"] as? [String: Any])
        #expect(first["name"] as? String == "中原区" && first["level"] as? String == "county" && first["adcode"] as? String == "410102")
        #expect(first["rank"] as? Int == 1 && first["id"] as? String == "410102" && (first["polluted_share"] as? Double).map { abs($0 - 0.666667) < 1e-9 } == true)
        #expect(first["enhancement_ratio"] is NSNull && first["fire_count"] is NSNull && first["rank_high"] as? Int == 2)
        #expect(second["name"] as? String == "Kaifeng, \"east\"" && second["pscf"] is NSNull && second["n_endpoints"] as? Int == 3)
        // The geometry text is copied byte for byte.
        #expect(written.contains("\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[0.0,0.0],[1.0,0.0],[1.0,1.0],[0.0,1.0],[0.0,0.0]]]}"))
        // The written GeoJSON reads back as regions with the same ids and names.
        let again = try RegionFile.parse(Array(written.utf8), name: "regions.geojson")
        #expect(again.regions.map(\.id) == ["410102", "2"] && again.regions.map(\.name) == ["中原区", "Kaifeng, \"east\""])

        // A result written against another file is refused; a missing folder writes nothing.
        let other = try parse(collection([boxFeature("{\"adcode\":\"9\"}", west: 0, east: 1, south: 0, north: 1)]))
        #expect(message { _ = try RegionFiles.geojson(result, file: other) }.contains("the result has 2 regions, the file 1 features"))
        #expect(message { try RegionFiles.write(result, file: file, into: dir.path("missing")) }.contains("does not exist"))
        #expect(try dir.contents() == ["outside_home.csv", "regions.csv", "regions.geojson"])
    }
}
