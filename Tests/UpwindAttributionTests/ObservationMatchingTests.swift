import Testing
import UpwindAttribution
import UpwindCore

/// A backward trajectory starting (arriving) at `site`, `latitude`, `longitude`, `time`.
func trajectory(_ id: Int, site: String, latitude: Double = 34, longitude: Double = 113.62, time: UTCTime) -> Trajectory {
    Trajectory(id: id, start: TrajectoryStart(site: site, latitude: latitude, longitude: longitude, height: 500, time: time),
               isBackward: true, verticalMode: .data, endpoints: [],
               termination: Termination(reason: .completed, time: time + -72 * 3600))
}

/// Degrees of latitude spanning `metres` along a meridian on the sphere of radius `Earth.radius`.
func degreesNorth(_ metres: Double) -> Double { metres / Earth.radius * 180 / Double.pi }

@Suite("Matching trajectories to observations")
struct ObservationMatchingTests {
    @Test("by site name and arrival time: each unmatched trajectory is reported with its reason")
    func bySiteAndTime() throws {
        let set = try ObservationSet([obs("A", 0, 10), obs("A", 1, nil), obs("A", 2, 30), obs("B", 0, 7)])
        let trajectories = [
            trajectory(1, site: "A", time: hour(2)),
            trajectory(2, site: "A", time: hour(1)),          // missing value
            trajectory(3, site: "A", time: hour(5)),          // no observation then
            trajectory(4, site: "Z", time: hour(0)),          // unknown site
            trajectory(5, site: "B", time: hour(0)),
            trajectory(6, site: "A", time: hour(0) + 1800),   // half past: not equal to the second
            trajectory(7, site: "a", time: hour(0)),          // names are case-sensitive
        ]
        let result = set.match(trajectories)
        #expect(result.matched == [
            MatchedTrajectory(index: 0, site: "A", time: hour(2), value: 30),
            MatchedTrajectory(index: 4, site: "B", time: hour(0), value: 7),
        ])
        #expect(result.unmatched == [
            UnmatchedTrajectory(index: 1, site: "A", time: hour(1), reason: .missingValue),
            UnmatchedTrajectory(index: 2, site: "A", time: hour(5), reason: .noObservationAtTime),
            UnmatchedTrajectory(index: 3, site: "Z", time: hour(0), reason: .unknownSite),
            UnmatchedTrajectory(index: 5, site: "A", time: hour(0) + 1800, reason: .noObservationAtTime),
            UnmatchedTrajectory(index: 6, site: "a", time: hour(0), reason: .unknownSite),
        ])
        #expect(result.summary == "7 trajectories: 2 matched, 5 unmatched (1 observation missing (empty or NA); 2 no observation at the arrival time; 2 site not among the observation sites)")
        #expect(set.match([]).summary == "0 trajectories: 0 matched, 0 unmatched")
    }

    @Test("a named site (--site) applies to every trajectory whatever its own name")
    func assignedSite() throws {
        let set = try ObservationSet([obs("A", 0, 10), obs("B", 0, 7)])
        let result = set.match([trajectory(1, site: "S1", time: hour(0)), trajectory(2, site: "A", time: hour(0))], by: .site("B"))
        #expect(result.matched.map(\.value) == [7, 7])
        #expect(result.unmatched.isEmpty)
        #expect(set.match([trajectory(1, site: "A", time: hour(0))], by: .site("Q")).unmatched.map(\.reason) == [.unknownSite])
    }

    @Test("nearest site within 1 km: 0.9 km north matches, 1.2 km north is unmatched and says how far the nearest is")
    func nearestSite() throws {
        // A at 34.0 N, B at 35.0 N, both 113.62 E; tdump starts carry no usable site name.
        let set = try ObservationSet([obs("A", 0, 10), obs("B", 0, 7)])
        let near = trajectory(1, site: "S1", latitude: 34 + degreesNorth(900), time: hour(0))
        let far = trajectory(2, site: "S1", latitude: 34 + degreesNorth(1200), time: hour(0))
        let nearB = trajectory(3, site: "S1", latitude: 35 - degreesNorth(10), time: hour(0))
        let nearButNoTime = trajectory(4, site: "S1", latitude: 34, time: hour(3))
        let result = set.match([near, far, nearB, nearButNoTime], by: .nearestSiteWithin1km)
        #expect(result.matched.map(\.index) == [0, 2])
        #expect(result.matched.map(\.site) == ["A", "B"])
        #expect(result.matched.map(\.value) == [10, 7])
        let d0 = try #require(result.matched.first?.distanceMetres)
        #expect(abs(d0 - 900) < 1e-6)
        let d2 = try #require(result.matched.last?.distanceMetres)
        #expect(abs(d2 - 10) < 1e-6)
        #expect(result.unmatched.count == 2)
        let farRecord = try #require(result.unmatched.first)
        #expect(farRecord.index == 1 && farRecord.site == nil)
        guard case let .noSiteWithin(limit, nearest, distance) = farRecord.reason else {
            Issue.record("expected noSiteWithin, got \(farRecord.reason)")
            return
        }
        #expect(limit == 1000)
        #expect(nearest == "A")
        #expect(abs((distance ?? 0) - 1200) < 1e-6)
        #expect(farRecord.reason.description == "no observation site within 1000 m of its start (nearest: 'A' at 1200 m)")
        #expect(result.unmatched.last == UnmatchedTrajectory(index: 3, site: "A", time: hour(3), reason: .noObservationAtTime))
        // A wider radius takes the 1.2 km start too.
        #expect(set.match([far], by: .nearestSite(maximumDistanceMetres: 1500)).matched.map(\.site) == ["A"])
    }

    @Test("the nearest site is measured along the great circle (across the antimeridian)")
    func greatCircle() throws {
        let set = try ObservationSet([
            Observation(site: "East", latitude: 0, longitude: 179.995, time: hour(0), value: 1),
            Observation(site: "West", latitude: 0, longitude: -179.9999, time: hour(0), value: 2),
        ])
        // 0.0001° of longitude on the equator is 11.1 m; the start at 180° is nearest to West.
        let found = try #require(set.nearestSite(latitude: 0, longitude: 180))
        #expect(found.site.name == "West")
        #expect(abs(found.distanceMetres - Earth.radius * 0.0001 * Double.pi / 180) < 1e-6)
    }
}
