import Testing
import UpwindAttribution
import UpwindCore

/// 2024-01-15 at `hour` UTC (hours past 23 carry into the next days).
func hour(_ hour: Int) -> UTCTime { UTCTime(year: 2024, month: 1, day: 15, hour: hour) }

/// An observation at a fixed position per site name (A, B, C… get distinct positions).
func obs(_ site: String, _ h: Int, _ value: Double?, latitude: Double? = nil, longitude: Double = 113.62) -> Observation {
    let defaultLatitude = 34.0 + Double(site.unicodeScalars.first.map { Int($0.value) } ?? 65) - 65
    return Observation(site: site, latitude: latitude ?? defaultLatitude, longitude: longitude, time: hour(h), value: value)
}

@Suite("ObservationSet")
struct ObservationSetTests {
    @Test("looks up values by site and time, keeps missing readings, lists sites in first-seen order")
    func lookup() throws {
        let set = try ObservationSet([
            obs("B", 2, 30), obs("A", 1, 10), obs("A", 0, 5), obs("B", 0, nil), obs("A", 2, 12.5),
        ])
        #expect(set.count == 5)
        #expect(set.missingCount == 1)
        #expect(set.value(site: "A", time: hour(1)) == 10)
        #expect(set.value(site: "A", time: hour(2)) == 12.5)
        #expect(set.value(site: "A", time: hour(3)) == nil)
        #expect(set.value(site: "a", time: hour(1)) == nil)
        // A missing reading is an observation without a value, not an absent one.
        #expect(set.value(site: "B", time: hour(0)) == nil)
        #expect(set.observation(site: "B", time: hour(0)) != nil)
        #expect(set.observation(site: "B", time: hour(0))?.value == nil)
        #expect(set.observation(site: "B", time: hour(1)) == nil)
        #expect(set.sites == [ObservationSite(name: "B", latitude: 35, longitude: 113.62),
                              ObservationSite(name: "A", latitude: 34, longitude: 113.62)])
        #expect(set.site(named: "A")?.latitude == 34)
        #expect(set.site(named: "C") == nil)
        #expect(set.series(site: "A").map(\.time) == [hour(0), hour(1), hour(2)])
        #expect(set.series(site: "A").map(\.value) == [5, 10, 12.5])
        #expect(set.series(site: "nope").isEmpty)
        #expect(set.times == [hour(0), hour(1), hour(2)])
    }

    @Test("a second reading for the same site and time is refused, naming both")
    func duplicate() throws {
        let error = #expect(throws: ObservationSetError.self) {
            try ObservationSet([obs("A", 0, 1), obs("B", 0, 2), obs("A", 0, 3)])
        }
        #expect(error == .duplicate(site: "A", time: hour(0), first: 0, second: 2))
        #expect(error?.description == "observations 1 and 3 are both for site 'A' at 2024-01-15T00:00:00Z; keep one reading per site and hour")
        // The same time at another site, and another time at the same site, are fine.
        #expect(try ObservationSet([obs("A", 0, 1), obs("B", 0, 2), obs("A", 1, 3)]).count == 3)
    }

    @Test("a site whose coordinates change, an empty site, bad coordinates and NaN values are refused")
    func invalid() {
        #expect(throws: ObservationSetError.conflictingCoordinates(site: "A", first: 0, second: 1, firstLatitude: 34, firstLongitude: 113.62,
                                                                    secondLatitude: 34.01, secondLongitude: 113.62)) {
            try ObservationSet([obs("A", 0, 1), obs("A", 1, 1, latitude: 34.01)])
        }
        #expect(throws: ObservationSetError.emptySite(index: 1)) { try ObservationSet([obs("A", 0, 1), obs("", 0, 1)]) }
        #expect(throws: ObservationSetError.badCoordinates(index: 0, latitude: 91, longitude: 113.62)) {
            try ObservationSet([obs("A", 0, 1, latitude: 91)])
        }
        #expect(throws: ObservationSetError.badCoordinates(index: 0, latitude: 34, longitude: .infinity)) {
            try ObservationSet([obs("A", 0, 1, longitude: .infinity)])
        }
        #expect(throws: ObservationSetError.self) { try ObservationSet([obs("A", 0, .nan)]) }
    }

    @Test("an empty set is allowed and finds nothing")
    func emptySet() throws {
        let set = try ObservationSet([])
        #expect(set.isEmpty)
        #expect(set.sites.isEmpty)
        #expect(set.nearestSite(latitude: 0, longitude: 0) == nil)
    }
}
