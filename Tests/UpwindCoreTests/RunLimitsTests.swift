import Foundation
import Testing
@testable import UpwindCore

/// Issue 13: bounded requests and no traps on hostile numbers in the core (options, plans,
/// the sampler, times).
@Suite("Run limits and hostile numbers")
struct RunLimitsTests {
    static let t0 = UTCTime(year: 2024, month: 1, day: 1)

    func plan(from: UTCTime = t0, to: UTCTime, every: Int, sites: Int = 1, heights: Int = 1, explicit: Int = 0,
              ensemble: Bool? = nil, maxStarts: Int? = nil, hours: Int = -24) -> RunPlan {
        let siteList = (0..<sites).map { RunPlan.Site(site: "S\($0)", latitude: 30, longitude: 110) }
        let starts = (0..<explicit).map { RunPlan.Start(site: "E\($0)", latitude: 30, longitude: 110, height: 100, time: from) }
        var p = RunPlan(met: .init(files: ["x.nc"]), starts: explicit > 0 ? starts : nil,
                        generator: .init(sites: siteList, heights: (0..<heights).map { Double(100 * ($0 + 1)) }, from: from, to: to, everyHours: every),
                        hours: hours, ensemble: ensemble)
        p.maxStarts = maxStarts
        return p
    }

    @Test("the start count is arithmetic and equals the starts actually made (brute force)", arguments: [
        (0, 1, 1, 1, 0), (5, 1, 1, 1, 0), (5, 2, 2, 3, 0), (23, 6, 3, 2, 4), (24, 6, 1, 1, 1), (25, 6, 2, 1, 0), (100, 7, 3, 5, 2),
    ])
    func countMatchesExpansion(_ c: (hours: Int, every: Int, sites: Int, heights: Int, explicit: Int)) throws {
        let p = plan(to: Self.t0 + Int64(c.hours * 3600), every: c.every, sites: c.sites, heights: c.heights, explicit: c.explicit)
        let made = try p.expandedStarts()
        #expect(try p.startCount() == made.count)
        #expect(made.count == c.explicit + (c.hours / c.every + 1) * c.sites * c.heights)
        // The last generated time is the last multiple of the step not after `to`.
        #expect(made.last?.time == Self.t0 + Int64((c.hours / c.every) * c.every * 3600))
    }

    @Test("generator.everyHours = Int.max: one start time, no overflow")
    func everyHoursIntMax() throws {
        let p = plan(to: UTCTime(year: 9999, month: 12, day: 31, hour: 23), every: Int.max)
        #expect(try p.startCount() == 1)
        let starts = try p.expandedStarts()
        #expect(starts.count == 1 && starts[0].time == Self.t0)
    }

    @Test("generator.to = 9999-12-31T23:59:59Z is refused by counting (no 70 million starts made), naming count, limit and the key")
    func farFutureIsRefusedByCounting() throws {
        let to = try UTCTime(parsing: "9999-12-31T23:59:59Z")
        let p = plan(to: to, every: 1)
        let expectedTimes = Int((to - Self.t0) / 3600) + 1
        #expect(try p.startCount() == expectedTimes)
        let clock = ContinuousClock.now
        do {
            _ = try p.expandedStarts()
            Issue.record("expected a refusal")
        } catch let error as TrajectoryError {
            let text = error.description
            #expect(text.contains("\(expectedTimes) starts") && text.contains("10000000") && text.contains("maxStarts"), "\(text)")
            #expect(!text.contains("\n"))
        }
        #expect(ContinuousClock.now - clock < .seconds(1))
    }

    @Test("maxStarts counts starts × 27 with the ensemble and can be raised or lowered in the plan")
    func maxStartsAndEnsemble() throws {
        // 10 times × 2 sites × 3 heights = 60 starts.
        let to = Self.t0 + 9 * 3600
        #expect(try plan(to: to, every: 1, sites: 2, heights: 3, maxStarts: 60).checkLimits() == 60)
        #expect(throws: TrajectoryError.self) { try plan(to: to, every: 1, sites: 2, heights: 3, maxStarts: 59).checkLimits() }
        #expect(throws: TrajectoryError.self) { try plan(to: to, every: 1, sites: 2, heights: 3, ensemble: true, maxStarts: 60 * 27 - 1).expandedStarts() }
        #expect(try plan(to: to, every: 1, sites: 2, heights: 3, ensemble: true, maxStarts: 60 * 27).expandedStarts().count == 60)
        #expect(throws: TrajectoryError.self) { try plan(to: to, every: 1, maxStarts: 0).checkLimits() }
        // Sites × heights × times beyond Int: refused, not trapped.
        var huge = plan(to: UTCTime(year: 999_999, month: 1, day: 1), every: 1, sites: 1, heights: 1)
        huge.generator?.sites = Array(repeating: RunPlan.Site(site: "S", latitude: 0, longitude: 0), count: 1 << 20)
        huge.generator?.heights = Array(repeating: 100, count: 1 << 20)
        #expect(throws: TrajectoryError.self) { try huge.startCount() }
    }

    @Test("JSON: maxStarts round-trips and is optional")
    func maxStartsJSON() throws {
        var p = plan(to: Self.t0, every: 1)
        p.maxStarts = 123
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let text = String(decoding: try encoder.encode(p), as: UTF8.self)
        #expect(text.contains("\"maxStarts\":123"))
        let back = try JSONDecoder().decode(RunPlan.self, from: Data(text.utf8))
        #expect(back.maxStarts == 123)
        let without = text.replacingOccurrences(of: "\"maxStarts\":123,", with: "")
        #expect(!without.contains("maxStarts"))
        #expect(try JSONDecoder().decode(RunPlan.self, from: Data(without.utf8)).maxStarts == nil)
    }

    @Test("run length: ±Int.max, Int.min and 1e9 hours are refused by the options check (no overflow); 87,660 h passes",
          arguments: [Int.max, Int.min, -Int.max, 1_000_000_000, 87_661, -87_661])
    func hoursLimit(_ hours: Int) {
        #expect(throws: TrajectoryError.invalidOption(option: "hours", value: "\(hours)",
                                                      requirement: "must be at most 87660 hours (10 years) in either direction; split a longer run into consecutive runs")) {
            try TrajectoryOptions(hours: hours).validate()
        }
    }

    @Test("output intervals: 87,660 h hourly passes; one-minute endpoints for 87,660 h are refused; 1,461 h at one minute passes")
    func outputIntervalLimit() throws {
        try TrajectoryOptions(hours: 87_660).validate()
        try TrajectoryOptions(hours: -87_660).validate()
        #expect(TrajectoryOptions(hours: -87_660).outputIntervalCount == 87_660)
        #expect(throws: TrajectoryError.self) { try TrajectoryOptions(hours: 87_660, outputIntervalMinutes: 1).validate() }
        try TrajectoryOptions(hours: 1_461, outputIntervalMinutes: 1).validate()
        #expect(throws: TrajectoryError.self) { try TrajectoryOptions(hours: 1_462, outputIntervalMinutes: 1).validate() }
        #expect(throws: TrajectoryError.self) { try TrajectoryOptions(hours: 24, outputIntervalMinutes: Int.min).validate() }
        #expect(throws: TrajectoryError.self) { try TrajectoryOptions(hours: 24, fixedStepMinutes: Int.min).validate() }
        #expect(throws: TrajectoryError.self) { try TrajectoryOptions(hours: 24, tratio: .nan).validate() }
        #expect(throws: TrajectoryError.self) { try TrajectoryOptions(hours: 24, topAGL: .nan).validate() }
        #expect(TrajectoryOptions(hours: Int.min).outputIntervalCount == 0)
    }

    /// A regional 1° grid, 20–40°N 100–120°E, 1000–500 hPa, uniform 10 m/s westerly, 12 hours of met.
    func regionalField() -> InMemoryWindField {
        let grid = LatLonGrid(longitudes: (0...20).map { 100 + Double($0) }, latitudes: (0...20).map { 20 + Double($0) }, isGlobal: false)
        return Analytic.field(grid: grid, levels: [1000, 850, 700, 500], hours: [0, 6, 12], wind: { _, _, _, _ in (10, 0, 0) })
    }

    @Test("a 10-year request that stops after 12 h of met stores 13 endpoints and never reserves 87,661")
    func storageGrowsAsIntegrated() throws {
        let engine = try TrajectoryEngine(field: regionalField(), options: TrajectoryOptions(hours: 87_660, verticalMode: .isobaric))
        let t = try engine.run([TrajectoryStart(site: "A", latitude: 30, longitude: 105, height: 500, time: Analytic.t0)]).trajectories[0]
        #expect(t.termination.reason == .outOfMetTime)
        #expect(t.endpoints.count == 13)
        #expect(t.endpoints.capacity < 1_000)
    }

    @Test("starts at longitude ±1e308 or at huge fractional indices are skipped as off the grid, not trapped",
          arguments: [(0.0, 1e308), (0.0, -1e308), (30.0, .greatestFiniteMagnitude), (30.0, 1e19), (30.0, 9.3e18)])
    func hugeCoordinates(_ c: (lat: Double, lon: Double)) throws {
        let engine = try TrajectoryEngine(field: regionalField(), options: TrajectoryOptions(hours: 3, verticalMode: .isobaric, skipInvalidStarts: true))
        let run = try engine.run([TrajectoryStart(site: "X", latitude: c.lat, longitude: c.lon, height: 500, time: Analytic.t0),
                                  TrajectoryStart(site: "A", latitude: 30, longitude: 105, height: 500, time: Analytic.t0)])
        #expect(run.skipped.count == 1 && run.skipped[0].reason == "outside the met grid")
        #expect(run.trajectories.count == 1 && run.trajectories[0].termination.reason == .completed)
        // The sampler directly: far-off fractional indices are off the grid.
        for x in [1e308, -1e308, 9.3e18, -9.3e18, Double(1 << 41)] {
            #expect(throws: SampleFailure.self) { try engine.sampler.stencil(x: x, y: 3) }
            #expect(throws: SampleFailure.self) { try engine.sampler.stencil(x: 3, y: x) }
        }
        #expect(engine.sampler.spacing(x: .nan, y: 1e308) > 0)
    }

    @Test("ISO 8601 years beyond ±999,999 are refused with the reason, not an overflow trap")
    func hugeYears() {
        for text in ["999999999999999-01-01T00:00:00Z", "-99999999999999-01-01", "1000000-01-01"] {
            #expect(throws: UTCTimeParseError.self) { try UTCTime(parsing: text) }
        }
        #expect((try? UTCTime(parsing: "999999-12-31T23:59:59Z")) != nil)
    }

    @Test("Int(rangeChecked:) converts in range and gives nil for NaN, ±∞ and out-of-range values")
    func rangeChecked() {
        #expect(Int(rangeChecked: 3.7) == 3 && Int(rangeChecked: -3.7) == -3)
        #expect(Int(rangeChecked: .nan) == nil && Int(rangeChecked: .infinity) == nil && Int(rangeChecked: -.infinity) == nil)
        #expect(Int(rangeChecked: 9.3e18) == nil && Int(rangeChecked: -9.3e18) == nil && Int(rangeChecked: 1e308) == nil)
        #expect(Int32(rangeChecked: 3e9) == nil && Int32(rangeChecked: -2147483648.5) == -2147483648)
    }
}
