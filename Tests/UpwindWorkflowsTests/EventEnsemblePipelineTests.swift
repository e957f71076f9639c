import Foundation
import Testing
import Upwind
import UpwindTestSupport

/// `HotspotPipeline` with `ensemble: .events` on solid-body rotation at the equator, where every
/// answer follows from the flow: u = u0·cos φ (u0 = 2π·6371 km / 12 d), v = 0, the same on
/// every level. A member offset by one 5° grid row samples u0·cos 5°, so after 24 h it lags the
/// central member by u0·86400 s·(1 − cos 5°) = 12.694 km along the equator; members offset only
/// in x or z sample the central wind.
@Suite("Hotspot pipeline: the ensemble only for event hours")
struct EventEnsemblePipelineTests {
    static let day = UTCTime(year: 2025, month: 10, day: 12)

    /// Met, observations (site EQ at 0° N 140° E, 24 hours, 100 µg/m³ at 12–14 UTC, else 30),
    /// a fire and two boxes, in `dir`.
    static func inputs(_ dir: TemporaryDirectory) throws -> (met: [String], observations: String, fires: String, regions: String) {
        let field = try SyntheticMet.Field(model: .solidBodyRotation(SyntheticMet.SolidBodyRotation()),
                                           domain: SyntheticMet.Domain(south: -20, north: 20, west: 90, east: 150, resolution: 5),
                                           times: SyntheticMet.hourly(from: day + Int64(-86_400), count: 49))
        let met = try field.write(directory: dir.path, name: "sbr")
        var csv = "site,latitude,longitude,time,value\n"
        for h in 0..<24 { csv += "EQ,0,140,\((day + Int64(h * 3600)).iso8601),\((12...14).contains(h) ? 100 : 30)\n" }
        try csv.write(toFile: dir.path("obs.csv"), atomically: true, encoding: .utf8)
        // The central members of the event starts end (−24 h) at 110° E, those offset by a row at
        // 110.114° E: a fire at 109.85° E is 16.7 km from the former and 29.4 km from the latter.
        try """
        latitude,longitude,bright_ti4,scan,track,acq_date,acq_time,satellite,instrument,confidence,version,bright_ti5,frp,daynight
        0.0,109.85,320.0,0.4,0.4,2025-10-11,1200,N,VIIRS,h,2.0NRT,290.0,10.0,D

        """.write(toFile: dir.path("firms.csv"), atomically: true, encoding: .utf8)
        func box(_ id: String, _ west: Double, _ east: Double) -> String {
            "{\"type\":\"Feature\",\"properties\":{\"adcode\":\"\(id)\",\"name\":\"\(id)\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[\(west),-1],[\(east),-1],[\(east),1],[\(west),1],[\(west),-1]]]}}"
        }
        try "{\"type\":\"FeatureCollection\",\"features\":[\(box("W", 109.5, 110.05)),\(box("E", 110.05, 111))]}"
            .write(toFile: dir.path("boxes.geojson"), atomically: true, encoding: .utf8)
        return (met, dir.path("obs.csv"), dir.path("firms.csv"), dir.path("boxes.geojson"))
    }

    static func pipeline(_ i: (met: [String], observations: String, fires: String, regions: String), ensemble: EnsembleMode,
                         out: String) throws -> HotspotPipeline {
        HotspotPipeline(met: i.met, observationsPath: i.observations, rules: try HotspotRules(threshold: 75), heights: [500], hours: -24,
                        ensemble: ensemble, settings: ReceptorGridSettings(resolution: 1, criterion: .value(75)), outputFolder: out,
                        places: PlaceOptions(regionsPath: i.regions, firesPath: i.fires, bootstrap: 0), clusters: nil)
    }

    @Test("3 event starts × 27 members; spread 18/26 × 12.694 km; 9 of 27 members meet the fire; box E holds 54 of 1944 member hours; the grid and trajectories.csv equal a run without ensemble")
    func eventHoursOnly() async throws {
        let dir = try TemporaryDirectory(prefix: "upwind-event-ensemble")
        let i = try Self.inputs(dir)
        let result = try await Self.pipeline(i, ensemble: .events, out: dir.path("events")).run()
        #expect(result.events.count == 1 && result.run.count == 24)
        let outcome = try #require(result.ensemble)
        #expect(outcome.eventStarts == 3 && outcome.members == 81 && outcome.run?.count == 81 && outcome.spreadAgeHours == 24)
        let row = try #require(outcome.rows.first)
        #expect(row.site == "EQ" && row.event == 1 && row.members == 81 && row.spreadPairs == 78)
        let u0 = SyntheticMet.SolidBodyRotation().u0
        let lag = u0 * 86_400 * (1 - cos(5 * Double.pi / 180)) / 1000
        #expect(abs(lag - 12.694) < 0.001)
        #expect(abs(row.spreadKm - 18 * lag / 26) < 0.005, "\(row.spreadKm) km, expected \(18 * lag / 26)")
        #expect(row.fireMatchedShare == 1.0 / 3.0)
        // Member hours: 81 members × 24 counted endpoints of 1 h; box E holds the −24 h endpoints of
        // the 18 row-offset members of each of the 3 starts, box W those of the 9 others.
        #expect(row.topRegionID == "E" && abs((row.topRegionShare ?? .nan) - 54.0 / 1944.0) < 1e-12)

        // The files: event_ensemble.csv, and the members numbered after the 24 ordinary trajectories.
        let text = try String(contentsOfFile: dir.path("events/event_ensemble.csv"), encoding: .utf8)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.first == "site,event,members,spread_km_24h,fire_matched_share,top_region_id,top_region_share")
        #expect(lines.count == 2 && lines[1].hasPrefix("EQ,1,81,\(String(format: "%.3f", row.spreadKm)),0.3333,E,0.0278"))
        let members = try TrajectoryInputs.read([dir.path("events/ensemble_trajectories.csv")]).map(\.trajectory)
        #expect(members.count == 81 && Set(members.map(\.id)) == Set(25...105))
        #expect(members.allSatisfy { (1...27).contains($0.member) && (12...14).contains(($0.start.time - Self.day) / 3600) })
        let ordinary = try TrajectoryInputs.read([dir.path("events/trajectories.csv")]).map(\.trajectory)
        #expect(ordinary.count == 24 && ordinary.allSatisfy { $0.member == 0 })
        for central in members where central.member == EventEnsemble.centralMember {
            let same = try #require(ordinary.first { $0.start.time == central.start.time })
            #expect(same.endpoints == central.endpoints, "the central member is the ordinary trajectory")
        }
        let json = try String(contentsOfFile: dir.path("events/run.json"), encoding: .utf8)
        #expect(json.contains("\"ensemble\": \"events\"") && json.contains("\"ensemble_event_members\": 81")
                && json.contains("\"ensemble_members_in_receptor_models\": false"))

        // Without the ensemble: the same grid, trajectories, regions and fires, byte for byte.
        let plain = try await Self.pipeline(i, ensemble: .none, out: dir.path("none")).run()
        #expect(plain.ensemble == nil && !FileManager.default.fileExists(atPath: dir.path("none/event_ensemble.csv")))
        for name in ["grid.csv", "trajectories.csv", "regions.csv", "fires.csv", "events.csv"] {
            #expect(try Data(contentsOf: URL(fileURLWithPath: dir.path("events/" + name))) == Data(contentsOf: URL(fileURLWithPath: dir.path("none/" + name))),
                    "\(name) differs")
        }
    }

    @Test("all: every start runs 27 members, all of them analysed; the event rows are those of the event mode")
    func allStarts() async throws {
        let dir = try TemporaryDirectory(prefix: "upwind-all-ensemble")
        let i = try Self.inputs(dir)
        let result = try await Self.pipeline(i, ensemble: .all, out: dir.path("all")).run()
        #expect(result.run.count == 24 * 27 && result.matches.matched.count == 24 * 27)
        let outcome = try #require(result.ensemble)
        #expect(outcome.eventStarts == 3 && outcome.members == 81 && outcome.run == nil)
        let row = try #require(outcome.rows.first)
        #expect(row.members == 81 && row.spreadPairs == 78 && row.fireMatchedShare == 1.0 / 3.0 && row.topRegionID == "E")
        #expect(!FileManager.default.fileExists(atPath: dir.path("all/ensemble_trajectories.csv")))
        #expect(result.outputs.contains("event_ensemble.csv"))
    }

    @Test("EnsembleMode parses none, all and events")
    func parsing() {
        #expect(EnsembleMode(parsing: "Events") == .events && EnsembleMode(parsing: " all ") == .all && EnsembleMode(parsing: "none") == EnsembleMode.none)
        #expect(EnsembleMode(parsing: "true") == nil && EnsembleMode(parsing: "") == nil)
    }
}
