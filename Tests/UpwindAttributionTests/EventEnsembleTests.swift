import Foundation
import Testing
import UpwindCore
@testable import UpwindAttribution

/// `EventEnsemble`: spread, fire-matched share and top region of hotspot events' members, on a
/// constructed case whose answers follow from meridian arcs and hour counts.
@Suite("Event ensemble: spread, fire-matched share and top region per event")
struct EventEnsembleTests {
    static let t0 = UTCTime(year: 2025, month: 10, day: 12, hour: 6)

    /// A member of the start at `site`, `arrival`: ages 0, −12, −24 h from (34, 113) via (32, 111.5)
    /// to `end` (or only to −12 h when `short`), 100 m above ground.
    static func member(_ id: Int, _ member: Int, site: String, arrival: UTCTime, end: (Double, Double), short: Bool = false) -> Trajectory {
        let points = [(0.0, 34.0, 113.0), (-12, 32, 111.5), (-24, end.0, end.1)].prefix(short ? 2 : 3)
        let endpoints = points.map { p in
            TrajectoryEndpoint(time: arrival + Int64(p.0 * 3600), ageHours: p.0, latitude: p.1, longitude: p.2, heightAGL: 100, pressureHPa: 1000)
        }
        let start = TrajectoryStart(site: site, latitude: 34, longitude: 113, height: 500, time: arrival)
        return Trajectory(id: id, start: start, member: member, isBackward: true, verticalMode: .data, endpoints: Array(endpoints),
                          termination: Termination(reason: short ? .leftDomain : .completed, time: endpoints.last?.time ?? arrival))
    }

    /// Site A's event (t0 … t0 + 2 h) and site B's (no members); A's members of the start at
    /// t0 + 1 h end at −24 h at (30.0, 110.0) (central, 14), 0.1° north of it (1–13) and 0.2°
    /// south (15–26); member 27 stops at −12 h. The start at t0 + 6 h lies outside the event.
    static func fixture() -> (events: [HotspotEvent], members: [Trajectory]) {
        let events = [
            HotspotEvent(site: "A", number: 1, startTime: t0, endTime: t0 + 7200, hours: 3, peakValue: 120, meanValue: 100,
                         rules: [.threshold], criterion: "value>75"),
            HotspotEvent(site: "B", number: 1, startTime: t0, endTime: t0, hours: 1, peakValue: 90, meanValue: 90,
                         rules: [.threshold], criterion: "value>75"),
        ]
        let inside = t0 + 3600
        var members: [Trajectory] = []
        for m in 1...27 {
            let end = m == 14 ? (30.0, 110.0) : m < 14 ? (30.1, 110.0) : (29.8, 110.0)
            members.append(member(m, m, site: "A", arrival: inside, end: end, short: m == 27))
            // The later start (outside the event) far away: it must not count.
            members.append(member(100 + m, m, site: "A", arrival: t0 + 6 * 3600, end: (10, 60 + Double(m))))
        }
        // An ordinary trajectory (member 0) in the event: ignored.
        members.append(member(200, 0, site: "A", arrival: inside, end: (0, 0)))
        return (events, members)
    }

    @Test("spread = mean meridian arc of the 25 pairs reaching 24 h; 14 of 27 members meet the fire; the north box holds 168 of 636 counted hours")
    func constructedCase() async throws {
        let (events, members) = Self.fixture()
        // A fire at (30.1, 110.0) at the members' −24 h time: within 25 km of members 1–13 (0 km) and of the central (11.1 km), not of 15–26 (33.4 km).
        let fire = FirePoint(id: "f", latitude: 30.1, longitude: 110.0, time: Self.t0 + Int64(-23 * 3600), frpMW: 10, confidence: .high)
        let matcher = try FireMatcher(fires: [fire])
        let regions = try RegionIndex(regions: [
            regionBox("N", west: 109.5, east: 110.5, south: 29.9, north: 30.5),
            regionBox("S", west: 109.5, east: 110.5, south: 29.5, north: 29.9),
        ])
        let rows = try await EventEnsemble.compute(events: events, members: members, settings: ReceptorGridSettings(), fires: matcher, regions: regions)
        #expect(rows.count == 2)
        let a = rows[0]
        #expect(a.site == "A" && a.event == 1 && a.members == 27)
        // 13 pairs 0.1° apart and 12 pairs 0.2° apart along the meridian 110° E (member 27 never reaches 24 h).
        let arcKm: Double = Earth.radius / 1000 * Double.pi / 180
        let expected: Double = arcKm * (13 * 0.1 + 12 * 0.2) / 25
        #expect(a.spreadPairs == 25)
        #expect(abs(a.spreadKm - expected) < 1e-6, "\(a.spreadKm) km, expected \(expected)")
        #expect(a.fireMatchedShare == 14.0 / 27.0)
        // Counted residence: ages −12 and −24 (12 h each; age 0 is not counted): 26 × 24 h + 12 h = 636 h;
        // in N the central and members 1–13 at −24 h, 14 × 12 h = 168 h; in S members 15–26, 144 h.
        #expect(a.topRegion == 0 && a.topRegionID == "N")
        #expect(abs((a.topRegionShare ?? .nan) - 168.0 / 636.0) < 1e-12)
        // Site B: no member, so nothing is defined.
        let b = rows[1]
        #expect(b.members == 0 && b.spreadKm.isNaN && b.spreadPairs == 0)
        #expect(b.fireMatchedShare?.isNaN == true && b.topRegionID == nil && b.topRegionShare?.isNaN == true)
    }

    @Test("without fires or regions those columns are absent; endpoints above the height limit give no residence (NaN share)")
    func absentInputsAndHeightLimit() async throws {
        let (events, members) = Self.fixture()
        let plain = try await EventEnsemble.compute(events: events, members: members, settings: ReceptorGridSettings())
        #expect(plain[0].fireMatchedShare == nil && plain[0].topRegionShare == nil && plain[0].members == 27)
        var settings = ReceptorGridSettings()
        settings.maxHeight = .metres(50)
        let regions = try RegionIndex(regions: [regionBox("N", west: 109.5, east: 110.5, south: 29.9, north: 30.5)])
        let high = try await EventEnsemble.compute(events: events, members: members, settings: settings, regions: regions)
        #expect(high[0].topRegionID == nil && high[0].topRegionShare?.isNaN == true)
        // The spread does not depend on the height limit.
        #expect(high[0].spreadKm == plain[0].spreadKm)
        #expect(EventEnsemble.centralMember == 14)
    }
}
