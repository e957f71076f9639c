import Foundation
import Testing
import UpwindCore
@testable import UpwindAttribution

@Suite struct ReceptorGridConventionTests {
    // MARK: - Criterion

    @Test("p75 over observations with ties at the percentile: strictly greater leaves the ties clean")
    func percentileTies() throws {
        let ts = (1...5).map { makeTrajectory($0, [(0, 0), (0.1, 0.1)]) }
        let values = [10.0, 20, 20, 20, 30]
        let settings = ReceptorGridSettings(resolution: 1)
        // index = 1 + 4·0.75 = 4 → x₄ = 20.
        let c = try settings.resolveCriterion(trajectories: ts, values: values)
        #expect(c == 20)
        #expect(try fill(settings, criterion: c, ts, values).pollutedTrajectoryCount == 1)
        var atOrAbove = settings
        atOrAbove.pollutedTest = .atOrAbove
        #expect(try fill(atOrAbove, criterion: c, ts, values).pollutedTrajectoryCount == 4)
    }

    @Test("the observations convention counts an observation once, however many heights it was traced from")
    func observationsOnce() throws {
        let t = testEpoch + 7200
        let ts = [makeTrajectory(1, site: "A", time: t, [(0, 0)]), makeTrajectory(2, site: "A", time: t, [(0, 0)]),
                  makeTrajectory(3, site: "A", [(0, 0)])]
        // {20, 40}: index 1.75 → 20 + 0.75·20 = 35 (over {20, 20, 40} it would be 30).
        #expect(try ReceptorGridSettings().resolveCriterion(trajectories: ts, values: [20, 20, 40]) == 35)
        #expect(try ReceptorGridSettings().resolveCriterion(observationValues: [20, 40]) == 35)
        #expect(throws: ReceptorGridError.conflictingObservationValues(site: "A", time: t, first: 20, second: 21)) {
            _ = try ReceptorGridSettings().resolveCriterion(trajectories: ts, values: [20, 21, 40])
        }
    }

    @Test("openair's convention takes the percentile over endpoint rows")
    func endpointRows() throws {
        let ts = [makeTrajectory(1, [(0, 0), (1, 1), (2, 2), (3, 3)]), makeTrajectory(2, [(0, 0), (1, 1)]),
                  makeTrajectory(3, [(0, 0)])]
        let values = [10.0, 30, 50]
        var s = ReceptorGridSettings(criterion: .percentile(90), percentileConvention: .endpointRows)
        // Rows 10,10,10,10,30,30,50: index = 1 + 6·0.9 = 6.4 → 0.6·30 + 0.4·50 = 38.
        #expect(near(try s.resolveCriterion(trajectories: ts, values: values), 38, 1e-12))
        s.criterion = .percentile(75)     // index 5.5 between two 30s: exactly 30
        #expect(try s.resolveCriterion(trajectories: ts, values: values) == 30)
        s.percentileConvention = .observations
        s.criterion = .percentile(90)     // {10, 30, 50}: index 2.8 → 30 + 0.8·20 = 46
        #expect(near(try s.resolveCriterion(trajectories: ts, values: values), 46, 1e-12))
        s.percentileConvention = .endpointRows
        #expect(throws: ReceptorGridError.self) { _ = try s.resolveCriterion(observationValues: values) }
        s.criterion = .value(12.5)
        #expect(try s.resolveCriterion(trajectories: ts, values: values) == 12.5)
        #expect(throws: ReceptorGridError.countMismatch(trajectories: 3, values: 2)) {
            _ = try s.resolveCriterion(trajectories: ts, values: [1, 2])
        }
    }

    @Test("openair counts endpoints of trajectories with a missing value in n, not in m or CWT; the percentile leaves them out")
    func missingValuesCounted() throws {
        // Three trajectories through the cell at (1, 1) after a receptor endpoint at (0, 0); the third has no value.
        let ts = [makeTrajectory(1, [(0, 0), (1, 1), (1.1, 1.1)]), makeTrajectory(2, [(0, 0), (1, 1)]),
                  makeTrajectory(3, [(0, 0), (0.9, 0.9), (1, 1.2)])]
        let values = [50.0, 10, .nan]
        var s = ReceptorGridSettings(resolution: 1, criterion: .percentile(50), countsMissingValues: true)
        // The median of {50, 10} (NaN left out, as na.rm = TRUE): 30.
        let c = try s.resolveCriterion(trajectories: ts, values: values)
        #expect(c == 30)
        let g = try fill(s, criterion: c, ts, values)
        #expect(g.trajectoryCount == 3 && g.missingValueTrajectoryCount == 1 && g.pollutedTrajectoryCount == 1)
        let one = try #require(cell(g.cells(), 1, 1))
        // n = 2 + 1 + 2 = 5, m = 2 (trajectory 1), PSCF = 2/5; CWT = (50·2 + 10·1) / 3 = 36.67 (NaN rows left out).
        #expect(one.nEndpoints == 5 && one.nPolluted == 2 && one.nTrajectories == 3)
        #expect(near(one.pscf, 0.4) && near(one.cwt, 110.0 / 3, 1e-12))
        // Seibert: log-mean over the 3 endpoints with a value: 2^((2·log₂50 + log₂10)/3).
        #expect(near(one.seibert, Foundation.pow(50 * 50 * 10, 1.0 / 3), 1e-9))
        // Without the setting a NaN value is refused, and the openair preset switches it on.
        s.countsMissingValues = false
        #expect(throws: ReceptorGridError.self) { _ = try fill(s, criterion: c, ts, values) }
        #expect(ReceptorGridSettings.preset(.openair).countsMissingValues)
        // A missing-only cell has n but no CWT (NaN, never 0).
        let lone = try fill(ReceptorGridSettings(resolution: 1, countsMissingValues: true), criterion: 30,
                            [makeTrajectory(4, [(0, 0), (5, 5)])], [.nan])
        let five = try #require(cell(lone.cells(), 5, 5))
        #expect(five.nEndpoints == 1 && five.pscf == 0 && five.cwt.isNaN && five.seibert.isNaN)
    }

    // MARK: - Binning

    /// Endpoints exactly on cell edges (0.5° cells, edges at odd multiples of 0.25°) after a receptor endpoint.
    let edgePoints: [(Double, Double)] = [(45.1, 45.1), (0.25, 10), (0.75, 20), (-0.25, 30), (-0.75, 40),
                                          (5, 179.75), (5, 179.25), (5, -180), (5, -179.75)]

    @Test("points on cell edges: Upwind's nearest centre sends ties north and east")
    func edgesUpwind() throws {
        let cells = try fill(ReceptorGridSettings(resolution: 0.5), criterion: 1, [makeTrajectory(1, edgePoints)], [2]).cells()
        let centres = cells.map { [$0.latitude, $0.longitude] }
        #expect(centres == [[-0.5, 40], [0, 30], [0.5, 10], [1, 20], [5, -180], [5, -179.5], [5, 179.5]])
        #expect(try #require(cell(cells, 5, -180)).nEndpoints == 2)     // 179.75 (tie east, wrapped) and −180
    }

    @Test("points on cell edges: openair's round half to even")
    func edgesHalfEven() throws {
        let s = ReceptorGridSettings(resolution: 0.5, binning: .halfToEven)
        let cells = try fill(s, criterion: 1, [makeTrajectory(1, edgePoints)], [2]).cells()
        #expect(cells.map { [$0.latitude, $0.longitude] } == [[-1, 40], [0, 10], [0, 30], [1, 20], [5, -180], [5, 179]])
        #expect(try #require(cell(cells, 5, -180)).nEndpoints == 3)     // 179.75, −180, −179.75
    }

    // MARK: - Height filter

    @Test("fixed height limit counts endpoints at or below it")
    func heightFixed() throws {
        let t = makeTrajectory(9, [(0, 0), (0.1, 0.1), (1.1, 0.1), (2.1, 0.1)], heights: [100, 600, 1200, 400])
        var s = ReceptorGridSettings(resolution: 1, maxHeight: .metres(500))
        #expect(try fill(s, criterion: 1, [t], [2]).cells().map { [$0.latitude, $0.longitude] } == [[2, 0]])
        s.maxHeight = .metres(600)
        #expect(try fill(s, criterion: 1, [t], [2]).cells().map(\.latitude) == [0, 2])
    }

    @Test("mixing-depth limit counts endpoints at or below their own mixing depth; a missing one is an error")
    func heightMixingDepth() throws {
        let t = makeTrajectory(9, [(0, 0), (0.1, 0.1), (1.1, 0.1), (2.1, 0.1)], heights: [100, 600, 1200, 400],
                               mixing: [1000, 800, 1000, 300])
        let s = ReceptorGridSettings(resolution: 1, maxHeight: .mixingDepth)
        #expect(try fill(s, criterion: 1, [t], [2]).cells().map { [$0.latitude, $0.longitude] } == [[0, 0]])
        let holed = makeTrajectory(9, [(0, 0), (0.1, 0.1), (1.1, 0.1), (2.1, 0.1)], heights: [100, 600, 1200, 400],
                                   mixing: [1000, nil, 1000, 300])
        var g = try ReceptorGrid(settings: s, criterionValue: 1)
        #expect(throws: ReceptorGridError.missingMixingDepth(trajectoryID: 9, index: 1)) {
            try g.add(trajectory: holed, value: 2)
        }
        #expect(g.isEmpty && g.trajectoryCount == 0)
    }

    // MARK: - Segments

    @Test("segments split their time between cells in proportion to the length inside each")
    func segments() throws {
        // T1 (80, polluted): (0,0.25) →1 h→ (0,1.25) →2 h→ (1,1.25). Edge lon 0.5 at s = 0.25; edge lat 0.5 at s = 0.5.
        //   (0,0): 0.25 h; (0,1): 0.75 + 1 h; (1,1): 1 h.
        // T2 (10, clean): (0,0.25) →1 h→ (0,0.75): edge at s = 0.5: 0.5 h in (0,0) and in (0,1).
        let t1 = makeTrajectory(1, [(0, 0.25), (0, 1.25), (1, 1.25)], ages: [0, -1, -3])
        let t2 = makeTrajectory(2, [(0, 0.25), (0, 0.75)])
        let s = ReceptorGridSettings(resolution: 1, residenceNormalisation: .endpointsPerTrajectory, segments: true)
        let cells = try fill(s, criterion: 50, [t1, t2], [80, 10]).cells()
        #expect(cells.map { [$0.latitude, $0.longitude] } == [[0, 0], [0, 1], [1, 1]])
        #expect(cells.map(\.timeWeight) == [0.75, 2.25, 1])
        #expect(cells.map(\.nEndpoints) == [0, 2, 1])       // endpoints still counted (age 0 excluded)
        #expect(cells.map(\.nPolluted) == [0, 1, 1])
        #expect(cells.map(\.nTrajectories) == [2, 2, 1])
        #expect(near(cells[0].pscf, 1.0 / 3) && near(cells[1].pscf, 7.0 / 9) && cells[2].pscf == 1)
        #expect(near(cells[0].cwt, 25 / 0.75) && near(cells[1].cwt, 145 / 2.25) && cells[2].cwt == 80)
        #expect(cells.map(\.residence) == [37.5, 112.5, 50])  // 100 τ / N, N = 2
    }

    @Test("segments under a height limit keep only the part below it (interpolated linearly)")
    func segmentsHeight() throws {
        let s = ReceptorGridSettings(resolution: 1, maxHeight: .metres(500), segments: true)
        // Climbing 0 → 1000 m: s ≤ 0.5 counts; the lon-0.5 edge is at s = 0.25.
        let up = makeTrajectory(1, [(0, 0.25), (0, 1.25)], heights: [0, 1000])
        let climbing = try fill(s, criterion: 50, [up], [80]).cells()
        #expect(climbing.map(\.timeWeight) == [0.25, 0.25] && climbing.map(\.nEndpoints) == [0, 0])
        // Descending 1000 → 0 m: s ≥ 0.5 counts, all in (0,1), whose endpoint (0 m) counts too.
        let down = makeTrajectory(1, [(0, 0.25), (0, 1.25)], heights: [1000, 0])
        let descending = try fill(s, criterion: 50, [down], [80]).cells()
        #expect(descending.map { [$0.latitude, $0.longitude] } == [[0, 1]])
        #expect(descending.map(\.timeWeight) == [0.5] && descending.map(\.nEndpoints) == [1])
        // Under the mixing depth: h − depth goes −400 → +400 m, so s ≤ 0.5 counts.
        let md = ReceptorGridSettings(resolution: 1, maxHeight: .mixingDepth, segments: true)
        let lowering = makeTrajectory(1, [(0, 0.25), (0, 1.25)], heights: [600, 600], mixing: [1000, 200])
        #expect(try fill(md, criterion: 50, [lowering], [80]).cells().map(\.timeWeight) == [0.25, 0.25])
    }

    @Test("a segment across the antimeridian goes the short way and splits at the edge")
    func segmentsAntimeridian() throws {
        let s = ReceptorGridSettings(resolution: 1, segments: true)
        let t = makeTrajectory(1, [(0, 179.4), (0, -179.6)])
        let cells = try fill(s, criterion: 50, [t], [80]).cells()
        #expect(cells.map(\.longitude) == [-180, 179])
        #expect(near(cells[0].timeWeight, 0.9, 1e-12) && near(cells[1].timeWeight, 0.1, 1e-12))
    }

    // MARK: - Merging

    /// 1,200 trajectories of 12 endpoints in 30–40N, 110–120E, values powers of two (and 0), so
    /// every sum (C, log₂ C) is a whole number and exact in any order.
    static let many: ([Trajectory], [Double]) = {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> Double {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(state >> 11) / Double(1 << 53)
        }
        var ts: [Trajectory] = [], vs: [Double] = []
        for id in 1...1200 {
            let points = (0..<12).map { _ in (30 + 10 * next(), 110 + 10 * next()) }
            ts.append(makeTrajectory(id, site: "S\(id % 3)", points))
            let k = Int(next() * 9)
            vs.append(k == 8 ? 0 : Double(1 << k))
        }
        return (ts, vs)
    }()

    @Test("merging the grids of two halves gives the grid of the whole, bit for bit")
    func mergeHalves() throws {
        let (ts, vs) = Self.many
        let s = ReceptorGridSettings(resolution: 0.5, includeAgeZero: true)
        let whole = try fill(s, criterion: 16, ts, vs)
        let a = try fill(s, criterion: 16, Array(ts[..<600]), Array(vs[..<600]))
        let b = try fill(s, criterion: 16, Array(ts[600...]), Array(vs[600...]))
        let merged = try ReceptorGrid.merged(a, b)
        #expect(merged == whole)
        #expect(whole.trajectoryCount == 1200 && whole.endpointCount == 14_400)
        #expect(sameBits(merged.cells(), whole.cells()))
        #expect(!sameBits(a.cells(), whole.cells()))
    }

    @Test("build in parallel chunks equals the serial grid, with and without segments")
    func buildParallel() async throws {
        let (ts, vs) = Self.many
        let s = ReceptorGridSettings(resolution: 0.5, criterion: .value(16))
        let whole = try fill(s, criterion: 16, ts, vs)
        let serial = try await ReceptorGrid.build(trajectories: ts, values: vs, settings: s, maxConcurrency: 1)
        let parallel = try await ReceptorGrid.build(trajectories: ts, values: vs, settings: s, maxConcurrency: 3)
        #expect(serial == whole && parallel == whole)
        var seg = s
        seg.segments = true
        let segSerial = try await ReceptorGrid.build(trajectories: ts, values: vs, settings: seg, maxConcurrency: 1)
        let segParallel = try await ReceptorGrid.build(trajectories: ts, values: vs, settings: seg, maxConcurrency: 2)
        #expect(segSerial == segParallel && sameBits(segSerial.cells(), segParallel.cells()))
        // p75 resolved inside build: sites S0–S2 at 1,200 distinct hours, one observation each.
        let resolved = try await ReceptorGrid.build(trajectories: ts, values: vs, settings: ReceptorGridSettings())
        #expect(resolved.criterionValue == (try ReceptorGridSettings().resolveCriterion(observationValues: vs)))
    }

    @Test("merge refuses different settings or criterion values and leaves the grid unchanged")
    func mergeRefuses() throws {
        let (ts, vs) = Self.many
        let s = ReceptorGridSettings(resolution: 0.5)
        var a = try fill(s, criterion: 16, Array(ts[..<10]), Array(vs[..<10]))
        let before = a
        let coarse = try fill(ReceptorGridSettings(resolution: 1), criterion: 16, Array(ts[10..<20]), Array(vs[10..<20]))
        #expect(throws: ReceptorGridError.incompatibleMerge(difference: "resolution 0.5 vs 1.0")) { try a.merge(coarse) }
        let other = try fill(s, criterion: 17, Array(ts[10..<20]), Array(vs[10..<20]))
        #expect(throws: ReceptorGridError.incompatibleMerge(difference: "criterionValue 16.0 vs 17.0")) { try a.merge(other) }
        var weights = s
        weights.cwtWeights = .trajstat
        let w = try fill(weights, criterion: 16, Array(ts[10..<20]), Array(vs[10..<20]))
        #expect(throws: ReceptorGridError.incompatibleMerge(difference: "cwtWeights openair vs trajstat")) { try a.merge(w) }
        #expect(a == before)
    }

    // MARK: - Bounds

    @Test("a bounds clip changes what is returned, not the weights or normalisations")
    func boundsClip() throws {
        let s = ReceptorGridSettings(resolution: 1, residenceNormalisation: .max)
        let g = try fill(s, criterion: 50, basicTrajectories, basicValues)
        let clipped = g.cells(in: try GridBounds(parsing: "0.5,2,-1,0.5"))
        #expect(clipped.map { [$0.latitude, $0.longitude] } == [[1, 0], [2, 0]])
        #expect(sameBits(clipped, g.cells().filter { $0.latitude >= 0.5 && $0.longitude <= 0.5 }))
        #expect(clipped.map(\.pscfWeight) == [0.75, 0.15])      // n̄ = 2.25 over all four cells
        #expect(near(clipped[1].residence, 100.0 / 3))        // max n = 3 over all cells
    }

    @Test("bounds parse negative values and may cross the antimeridian")
    func boundsParse() throws {
        let b = try GridBounds(parsing: "-10,-5,-20,-15")
        #expect(b.latitudeMin == -10 && b.longitudeMax == -15 && b.description == "-10,-5,-20,-15")
        let across = try GridBounds(parsing: "-10, 10, 170, -170")
        #expect(across.contains(latitude: 0, longitude: 175) && across.contains(latitude: 0, longitude: -175))
        #expect(!across.contains(latitude: 0, longitude: 0) && !across.contains(latitude: 11, longitude: 175))
        #expect(throws: ReceptorGridError.unparsable(setting: "bounds", text: "1,2,3",
                                                     expected: "LAT0,LAT1,LON0,LON1 (four numbers, degrees)")) {
            _ = try GridBounds(parsing: "1,2,3")
        }
        #expect(throws: ReceptorGridError.self) { _ = try GridBounds(parsing: "10,-10,0,1") }
    }

    // MARK: - openair preset

    @Test("openair preset on a set with ties at P90 and endpoints on cell edges, by its documented rules")
    func openairPreset() throws {
        // Rows: T1 10 ×10, T5 20 ×4, T2 30 ×3, T3 30 ×2, T4 50 ×2 = 21; P90 index = 1 + 20·0.9 = 19 → x₁₉ = 30.
        let far = [(Double, Double)](repeating: (10.2, 10.2), count: 9)
        let ts = [makeTrajectory(1, [(0, 0)] + far),
                  makeTrajectory(5, [(0, 0), (0.5, 0.5), (1.5, -0.5), (2.5, 2.5)]),
                  makeTrajectory(2, [(0, 0), (0.5, 1.5), (-0.5, 2.5)]),
                  makeTrajectory(3, [(0, 0), (1.5, 1.5)]),
                  makeTrajectory(4, [(0, 0), (2.5, 2.5)])]
        let values = [10.0, 20, 30, 30, 50]
        let s = ReceptorGridSettings.preset(.openair, resolution: 1)
        let c = try s.resolveCriterion(trajectories: ts, values: values)
        #expect(c == 30)
        let g = try fill(s, criterion: c, ts, values)
        #expect(g.pollutedTrajectoryCount == 1)                  // the 30s tie with P90: not polluted
        let cells = g.cells()
        // Half to even: 0.5 → 0, 1.5 → 2, 2.5 → 2, −0.5 → 0; age 0 counted.
        #expect(cells.map { [$0.latitude, $0.longitude] } == [[0, 0], [0, 2], [2, 0], [2, 2], [10, 10]])
        #expect(cells.map(\.nEndpoints) == [6, 2, 1, 3, 9])
        #expect(cells.map(\.nPolluted) == [1, 0, 0, 1, 0])
        #expect(cells.map(\.nTrajectories) == [5, 1, 1, 3, 1])
        #expect(allNear(cells.map(\.pscf), [1.0 / 6, 0, 0, 1.0 / 3, 0]))
        let cwt: [Double] = [160.0 / 6, 30, 20, 100.0 / 3, 10]
        #expect(allNear(cells.map(\.cwt), cwt))
        // n̄ = 21/5 = 4.2: 6 → (4.2, 8.4] → 0.75; 2 → ≤ 2.1 → 0.15; 1 → 0.15; 3 → (2.1, 4.2] → 0.5; 9 → 1.
        #expect(cells.map(\.pscfWeight) == [0.75, 0.15, 0.15, 0.5, 1])
        #expect(allNear(cells.map(\.wpscf), [0.125, 0, 0, 1.0 / 6, 0]))
        #expect(cells.map(\.cwtWeight) == [0.05, 0.05, 0.05, 0.05, 0.05])
        // frequency = 100·n / max n, max n = 9.
        let frequency: [Double] = [600.0 / 9, 200.0 / 9, 100.0 / 9, 300.0 / 9, 100]
        #expect(allNear(cells.map(\.residence), frequency))
    }

    @Test("presets set every convention of their tool")
    func presets() {
        let o = ReceptorGridSettings.preset(.openair)
        #expect(o.criterion == .percentile(90) && o.percentileConvention == .endpointRows && o.pollutedTest == .above)
        #expect(o.includeAgeZero && o.binning == .halfToEven && o.residenceNormalisation == .max)
        #expect(o.pscfWeights == .openair && o.cwtWeights == .openair && o.resolution == 0.5 && !o.segments)
        let t = ReceptorGridSettings.preset(.trajstat, resolution: 1)
        #expect(t.pollutedTest == .atOrAbove && t.missingValue == 0 && t.pscfWeights == .trajstat && t.cwtWeights == .trajstat)
        #expect(t.includeAgeZero && t.binning == .nearestCentre && t.resolution == 1)
        let d = ReceptorGridSettings()
        #expect(d.criterion == .percentile(75) && d.percentileConvention == .observations && !d.includeAgeZero)
        #expect(d.residenceNormalisation == .trajectories && d.pscfWeights == .openair && d.resolution == 0.5)
    }

    // MARK: - Weights

    @Test("weight tiers at their boundaries: openair, TrajStat, custom, none")
    func weightTiers() throws {
        func w(_ g: GridWeights, _ f: GridWeights.Field, _ n: Double, mean: Double = 10, traj: Int = 5) -> Double {
            g.weight(for: f, count: n, meanCount: mean, trajectories: traj)
        }
        #expect([20.5, 20, 10.5, 10, 5.5, 5].map { w(.openair, .pscf, $0) } == [1, 0.75, 0.75, 0.5, 0.5, 0.15])
        #expect([81, 80, 21, 20, 11, 10].map { w(.openair, .cwt, $0) } == [1, 0.7, 0.7, 0.42, 0.42, 0.05])
        #expect([81, 80, 20, 10].map { w(.trajstat, .pscf, $0, traj: 4) } == [1, 0.7, 0.42, 0.05])
        #expect(w(.trajstat, .cwt, 81, traj: 3) == 0.5 && w(.trajstat, .pscf, 81, traj: 2) == 0.5)
        #expect(near(w(.trajstat, .pscf, 15, traj: 1), 0.084))
        #expect(w(.none, .pscf, 1) == 1 && w(.none, .cwt, 1000) == 1)
        let polissar = try ReceptorGridSettings.parseWeights("relative:3,1.5,1:1,0.7,0.4,0.2")
        #expect([31, 30, 15.5, 15, 10.5, 10].map { w(polissar, .pscf, $0) } == [1, 0.7, 0.7, 0.4, 0.4, 0.2])
    }

    // MARK: - Parsing and Codable

    @Test("weights text parses, prints back and names bad text")
    func parseWeights() throws {
        #expect(try ReceptorGridSettings.parseWeights("relative:1,0.75,0.5:1,0.75,0.5,0.15")
                == .relative(thresholds: [1, 0.75, 0.5], weights: [1, 0.75, 0.5, 0.15]))
        #expect(try ReceptorGridSettings.parseWeights(" OpenAir ") == .openair)
        #expect(try ReceptorGridSettings.parseWeights("trajstat") == .trajstat && (try ReceptorGridSettings.parseWeights("none")) == .none)
        let abs = try ReceptorGridSettings.parseWeights("absolute:80,20,10:1,0.7,0.42,0.05")
        #expect(abs.description == "absolute:80,20,10:1,0.7,0.42,0.05")
        let bad = #expect(throws: ReceptorGridError.self) { _ = try ReceptorGridSettings.parseWeights("relative:1,x:1,2,3") }
        #expect(bad?.description.contains("\"relative:1,x:1,2,3\"") == true && bad?.description.contains("\"x\"") == true)
        #expect(throws: ReceptorGridError.unparsable(setting: "weights", text: "fancy",
                                                     expected: "openair, trajstat, none, relative:T1,T2,…:W0,W1,… or absolute:T1,T2,…:W0,W1,…")) {
            _ = try ReceptorGridSettings.parseWeights("fancy")
        }
        #expect(throws: ReceptorGridError.invalidSetting(setting: "weights", value: "relative:1,2:1,1,1",
                                                         requirement: "thresholds must be strictly decreasing (highest first)")) {
            _ = try ReceptorGridSettings.parseWeights("relative:1,2:1,1,1")
        }
        #expect(throws: ReceptorGridError.self) { _ = try ReceptorGridSettings.parseWeights("absolute:3,2:1,1") }
    }

    @Test("criterion, height, normalisation and preset text")
    func parseOthers() throws {
        #expect(try ReceptorGridSettings.parseCriterion("p75") == .percentile(75))
        #expect(try ReceptorGridSettings.parseCriterion("P90") == .percentile(90))
        #expect(try ReceptorGridSettings.parseCriterion("-3.5") == .value(-3.5))
        #expect(try ReceptorGridSettings.parseCriterion("75") == .value(75))
        #expect(throws: ReceptorGridError.unparsable(setting: "criterion", text: "p101",
                                                     expected: "p75, p90 (a percentile 0–100 after p) or a value")) {
            _ = try ReceptorGridSettings.parseCriterion("p101")
        }
        #expect(throws: ReceptorGridError.unparsable(setting: "criterion", text: "high", expected: "p75, p90 or a finite value")) {
            _ = try ReceptorGridSettings.parseCriterion("high")
        }
        #expect(try ReceptorGridSettings.parseMaxHeight("1500") == .metres(1500))
        #expect(try ReceptorGridSettings.parseMaxHeight("mixing-depth") == .mixingDepth)
        #expect(throws: ReceptorGridError.self) { _ = try ReceptorGridSettings.parseMaxHeight("-5") }
        #expect(try ReceptorGridSettings.parseResidenceNormalisation("endpoints-per-trajectory") == .endpointsPerTrajectory)
        #expect(throws: ReceptorGridError.self) { _ = try ReceptorGridSettings.parseResidenceNormalisation("rt1") }
        #expect(try ReceptorGridSettings.parsePreset("trajstat") == .trajstat)
    }

    @Test("settings encode their options as the CLI writes them and decode back")
    func codable() throws {
        var s = ReceptorGridSettings.preset(.openair, resolution: 0.25)
        s.cwtWeights = .absolute(thresholds: [40, 10], weights: [1, 0.5, 0.1])
        s.maxHeight = .mixingDepth
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let json = String(decoding: try encoder.encode(s), as: UTF8.self)
        #expect(json.contains("\"criterion\":\"p90\"") && json.contains("\"cwtWeights\":\"absolute:40,10:1,0.5,0.1\""))
        #expect(json.contains("\"maxHeight\":\"mixing-depth\"") && json.contains("\"binning\":\"half-to-even\""))
        #expect(try JSONDecoder().decode(ReceptorGridSettings.self, from: Data(json.utf8)) == s)
        let bad = json.replacingOccurrences(of: "\"p90\"", with: "\"p900\"")
        #expect(throws: (any Error).self) { _ = try JSONDecoder().decode(ReceptorGridSettings.self, from: Data(bad.utf8)) }
    }
}
