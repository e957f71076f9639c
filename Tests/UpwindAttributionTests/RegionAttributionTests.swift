import Foundation
import Testing
import UpwindCore
@testable import UpwindAttribution

/// A backward trajectory through `points` ((latitude, longitude) degrees) with ages 0, −1, −2, …
/// hours unless given, heights 100 m AGL unless given.
func regionTrajectory(_ id: Int, _ points: [(Double, Double)], ages: [Double]? = nil, heights: [Double]? = nil) -> Trajectory {
    let t0 = UTCTime(year: 2024, month: 1, day: 1) + Int64(id * 3600)
    let endpoints = points.enumerated().map { k, p in
        let age = ages?[k] ?? -Double(k)
        return TrajectoryEndpoint(time: t0 + Int64(age * 3600), ageHours: age, latitude: p.0, longitude: p.1,
                                  heightAGL: heights?[k] ?? 100, pressureHPa: 1000)
    }
    return Trajectory(id: id, start: TrajectoryStart(site: "S", latitude: points[0].0, longitude: points[0].1, height: 100, time: t0),
                      isBackward: true, verticalMode: .data, endpoints: endpoints,
                      termination: Termination(reason: .completed, time: endpoints.last?.time ?? t0))
}

/// NaN-aware closeness.
func regionNear(_ a: Double, _ b: Double, _ tolerance: Double = 1e-12) -> Bool {
    (a.isNaN && b.isNaN) || abs(a - b) <= tolerance
}

/// The hand-computed case: West [0,1]×[0,1], East [1,2]×[0,1], North [0,2]×[1,2] (lon × lat);
/// four trajectories, criterion 50 (T1 80 and T3 60 polluted, T2 20 and T4 10 clean).
///
/// Counted endpoints (age 0 excluded), 1 h each: T1 W, W, E; T2 E, E, out; T3 W, out, out;
/// T4 W, out, out. P = 6 h, C = 6 h. West: R 4, P 3, C 1, share 0.5, enhancement
/// (3/6)/(1/6) = 3, 4 endpoints, 3 trajectories. East: R 3, P 1, C 2, share 1/6, enhancement
/// (1/6)/(2/6) = 0.5. North: nothing, share 0, enhancement NaN.
enum RegionCase {
    static let regions = [regionBox("W", west: 0, east: 1, south: 0, north: 1), regionBox("E", west: 1, east: 2, south: 0, north: 1),
                          regionBox("N", west: 0, east: 2, south: 1, north: 2)]
    static let trajectories = [
        regionTrajectory(1, [(0.5, 0.5), (0.5, 0.5), (0.5, 0.7), (0.5, 1.5)]),
        regionTrajectory(2, [(0.5, 1.5), (0.5, 1.5), (0.5, 1.6), (0.5, 5)]),
        regionTrajectory(3, [(0.5, 0.3), (0.5, 0.3), (0.5, 5), (3, 6)]),
        regionTrajectory(4, [(0.5, 0.2), (0.5, 0.2), (3, 3), (3, 4)]),
    ]
    static let values = [80.0, 20, 60, 10]
    static let settings = ReceptorGridSettings(resolution: 1, criterion: .value(50))
}

@Suite struct RegionAttributionTests {
    func compute(_ trajectories: [Trajectory] = RegionCase.trajectories, values: [Double] = RegionCase.values,
                 settings: ReceptorGridSettings = RegionCase.settings, regions: [Region] = RegionCase.regions,
                 cells: [ReceptorGridCell] = [], fires: RegionFires? = nil, home: RegionHome? = nil,
                 rankBy: RegionScore = .pollutedShare, resamples: Int = 0, seed: UInt64 = 1,
                 maxConcurrency: Int = 2) async throws -> RegionAttributionResult {
        try await RegionAttribution.compute(trajectories: trajectories, values: values, settings: settings, criterionValue: 50,
                                            regions: try RegionIndex(regions: regions), cells: cells, fires: fires, home: home,
                                            rankBy: rankBy, resamples: resamples, seed: seed, maxConcurrency: maxConcurrency)
    }

    @Test func pollutedShareAndEnhancementRatioMatchTheHandComputedCase() async throws {
        let result = try await compute()
        #expect(result.rows.map(\.id) == ["W", "E", "N"])
        #expect(result.rows.map(\.rank) == [1, 2, 3])
        let (w, e, n) = (result.rows[0], result.rows[1], result.rows[2])
        #expect(w.residenceHours == 4 && w.pollutedResidenceHours == 3 && w.cleanResidenceHours == 1)
        #expect(regionNear(w.pollutedShare, 0.5) && regionNear(w.enhancementRatio, 3))
        #expect(w.nEndpoints == 4 && w.nTrajectories == 3)
        #expect(e.residenceHours == 3 && e.pollutedResidenceHours == 1)
        #expect(regionNear(e.pollutedShare, 1.0 / 6) && regionNear(e.enhancementRatio, 0.5))
        #expect(e.nEndpoints == 3 && e.nTrajectories == 2)
        #expect(n.pollutedShare == 0 && n.enhancementRatio.isNaN && n.nEndpoints == 0 && n.nTrajectories == 0)
        // Without grid cells or fires those columns are undefined; without a bootstrap no interval.
        #expect(w.pscf.isNaN && w.wcwt.isNaN && w.fireScore.isNaN && w.fireCount == nil && w.rankLow == nil && w.rankHigh == nil)
        let t = result.totals
        #expect(t.trajectories == 4 && t.pollutedTrajectories == 2 && t.skippedTrajectories == 0)
        #expect(t.endpoints == 12 && t.endpointsOutside == 5)
        #expect(t.pollutedResidenceHours == 6 && t.cleanResidenceHours == 6 && t.residenceHours == 12)
        #expect(t.pollutedResidenceOutsideHours == 2)
        // Ranked by the enhancement ratio: NaN last.
        let byRatio = try await compute(rankBy: .enhancementRatio)
        #expect(byRatio.rows.map(\.id) == ["W", "E", "N"])
        // Ranked by trajectories: W 3, E 2, N 0.
        let byTrajectories = try await compute(rankBy: .nTrajectories)
        #expect(byTrajectories.rows.map(\.id) == ["W", "E", "N"])
        #expect(byTrajectories.rows.map(\.nTrajectories) == [3, 2, 0])
    }

    @Test func endpointsWeighTheirSpacingAndFollowTheGridFilters() async throws {
        // 3-hourly endpoints weigh 3 h each; the age-0 endpoint counts only with includeAgeZero
        // (weighing the first spacing); endpoints above the height limit do not count.
        let t = regionTrajectory(1, [(0.5, 0.5), (0.5, 0.5), (0.5, 1.5), (0.5, 1.5)], ages: [0, -3, -6, -9], heights: [10, 10, 2000, 10])
        var settings = RegionCase.settings
        var r = try await compute([t], values: [80], settings: settings)
        #expect(r.rows.first { $0.id == "W" }?.residenceHours == 3)
        #expect(r.rows.first { $0.id == "E" }?.residenceHours == 6)
        settings.includeAgeZero = true
        r = try await compute([t], values: [80], settings: settings)
        #expect(r.rows.first { $0.id == "W" }?.residenceHours == 6)
        settings.maxHeight = .metres(1500)
        r = try await compute([t], values: [80], settings: settings)
        #expect(r.rows.first { $0.id == "E" }?.residenceHours == 3)
        #expect(r.totals.endpoints == 3)
        // A trajectory whose value is the missing value is skipped.
        settings.missingValue = 0
        r = try await compute([t, t], values: [80, 0], settings: settings)
        #expect(r.totals.skippedTrajectories == 1 && r.totals.trajectories == 1)
    }

    @Test func gridScoresAreAreaWeightedOverTheCellsWhereTheyAreDefined() async throws {
        func cell(_ lat: Double, _ lon: Double, pscf: Double, cwt: Double) -> ReceptorGridCell {
            ReceptorGridCell(latitude: lat, longitude: lon, nEndpoints: 1, nPolluted: 0, nTrajectories: 1, timeWeight: 1, residence: 1,
                             pscf: pscf, pscfWeight: 1, wpscf: pscf / 2, cwt: cwt, cwtWeight: 1, wcwt: cwt, seibert: .nan)
        }
        // A region lon 0…1 × lat −0.5…0.5 and 1° cells centred on whole degrees: the cells at
        // (0, 0) and (0, 1) each have half their area inside it (equal halves, by symmetry); the
        // cell at (1, 0) only touches it along a line.
        let strip = regionBox("strip", west: 0, east: 1, south: -0.5, north: 0.5)
        let cells = [cell(0, 0, pscf: 0.2, cwt: 40), cell(0, 1, pscf: 0.6, cwt: .nan), cell(1, 0, pscf: 0.9, cwt: 90)]
        let r = try await compute(regions: [strip], cells: cells)
        #expect(regionNear(r.rows[0].pscf, 0.4) && regionNear(r.rows[0].wpscf, 0.2))
        #expect(regionNear(r.rows[0].cwt, 40) && regionNear(r.rows[0].wcwt, 40))
        // A region lon 0…1 × lat 0…1: four quarter cells; the northern quarters are larger by
        // cos φ, exactly (sin 1° − sin 0.5°) against sin 0.5°. PSCF 0 in the south, 1 in the north.
        let square = regionBox("sq", west: 0, east: 1, south: 0, north: 1)
        let quarters = [cell(0, 0, pscf: 0, cwt: 10), cell(0, 1, pscf: 0, cwt: 10), cell(1, 0, pscf: 1, cwt: 30), cell(1, 1, pscf: 1, cwt: 30)]
        let q = try await compute(regions: [square], cells: quarters)
        let d = Double.pi / 180
        let north = sin(1 * d) - sin(0.5 * d), south = sin(0.5 * d)
        #expect(regionNear(q.rows[0].pscf, north / (north + south)))
        #expect(regionNear(q.rows[0].cwt, (10 * south + 30 * north) / (north + south), 1e-10))
        #expect(abs(q.rows[0].pscf - 0.5) > 1e-6)
        // No cell overlapping: NaN.
        let far = try await compute(regions: [regionBox("far", west: 50, east: 51, south: 0, north: 1)], cells: quarters)
        #expect(far.rows[0].pscf.isNaN && far.rows[0].cwt.isNaN)
    }

    @Test func tiesGoByIdWholeNumbersFirstAndAsNumbers() async throws {
        // No trajectory reaches these regions: every share is 0, so the order is the id order.
        let ids = ["b", "10", "9", "a", "0410"]
        let regions = ids.enumerated().map { k, id in regionBox(id, west: 100 + Double(k), east: 101 + Double(k), south: 0, north: 1) }
        let r = try await compute(regions: regions)
        #expect(r.rows.map(\.id) == ["9", "10", "0410", "a", "b"])
        #expect(r.rows.map(\.rank) == [1, 2, 3, 4, 5])
    }

    @Test func fireScoresSumTheContributionsAndCountsAreCarried() async throws {
        let fires = RegionFires(contributions: [RegionFireContribution(trajectory: 0, region: 1, score: 5),
                                                RegionFireContribution(trajectory: 2, region: 0, score: 1),
                                                RegionFireContribution(trajectory: 1, region: 1, score: 2)],
                                counts: [1, 2, 0])
        let r = try await compute(fires: fires, rankBy: .fireScore)
        #expect(r.rows.map(\.id) == ["E", "W", "N"])
        #expect(r.rows.map(\.fireScore) == [7, 1, 0])
        #expect(r.rows.map(\.fireCount) == [2, 1, 0])
        let byCount = try await compute(fires: fires, rankBy: .fireCount)
        #expect(byCount.rows.map(\.id) == ["E", "W", "N"])
    }

    @Test func homeViewGivesTheShareOutsideTheHomeRegion() async throws {
        // Home H = lon 0…1.5, X = lon 1.5…10 (lat 0…1). Polluted endpoints: T1 (0.5, 0.5) H,
        // (0.5, 0.7) H, (0.5, 1.5) on the H|X edge → X (east of it); T3 (0.5, 0.3) H, (0.5, 5) X,
        // (3, 6) in neither. P = 6 h: H 3 (0.5), X 2 (1/3), outside both 1; outside home 0.5.
        let homeIndex = try RegionIndex(regions: [regionBox("X", west: 1.5, east: 10, south: 0, north: 1),
                                                  regionBox("H", west: 0, east: 1.5, south: 0, north: 1)])
        let r = try await compute(home: RegionHome(index: homeIndex, id: "H"))
        let home = try #require(r.home)
        #expect(home.homeID == "H" && home.homeRegion == 1)
        #expect(home.rows.map(\.id) == ["X", "H"] && home.rows.map(\.isHome) == [false, true])
        #expect(home.rows.map(\.pollutedResidenceHours) == [2, 3])
        #expect(regionNear(home.rows[0].pollutedShare, 1.0 / 3) && regionNear(home.rows[1].pollutedShare, 0.5))
        #expect(home.pollutedResidenceOutsideAllHours == 1)
        #expect(regionNear(home.outsideHomeShare, 0.5))
        // An unknown home id: the error lists valid ids.
        await #expect {
            _ = try await compute(home: RegionHome(index: homeIndex, id: "410000"))
        } throws: { error in
            "\(error)".contains("home region 410000 is not among the home regions; valid ids: X, H")
        }
    }

    @Test func bootstrapWhereOneRegionAlwaysWins() async throws {
        // Every trajectory is polluted and spends 2 h in A and 1 h in B: A has the larger share
        // in every resample.
        let a = regionBox("2", west: 0, east: 1, south: 0, north: 1), b = regionBox("1", west: 1, east: 2, south: 0, north: 1)
        let trajectories = (1...7).map { regionTrajectory($0, [(0.5, 0.5), (0.5, 0.5), (0.5, 0.6), (0.5, 1.5), (0.5, 3)]) }
        let r = try await compute(trajectories, values: (1...7).map { 50 + Double($0) }, regions: [a, b], resamples: 200, seed: 1)
        #expect(r.rows.map(\.id) == ["2", "1"])
        #expect(r.rows[0].rankLow == 1 && r.rows[0].rankHigh == 1)
        #expect(r.rows[1].rankLow == 2 && r.rows[1].rankHigh == 2)
        #expect(r.resamples == 200 && r.seed == 1)
    }

    @Test func bootstrapRankIntervalsFollowTheDocumentedScheme() async throws {
        // T1 only in A, T2 only in B, both polluted, 1 h each. A resample draws T1 m times and
        // T2 2 − m times: A ranks first unless m = 0 (a tie at m = 1 goes to the smaller id, A).
        let a = regionBox("a", west: 0, east: 1, south: 0, north: 1), b = regionBox("b", west: 1, east: 2, south: 0, north: 1)
        let trajectories = [regionTrajectory(1, [(0.5, 0.5), (0.5, 0.5)]), regionTrajectory(2, [(0.5, 1.5), (0.5, 1.5)])]
        let resamples = 40, seed: UInt64 = 12_345
        let r = try await compute(trajectories, values: [60, 70], regions: [a, b], resamples: resamples, seed: seed)
        // The scheme, recomputed from one sequential SplitMix64 stream: index = ⌊draw·2 / 2⁶⁴⌋
        // = the draw's top bit.
        var rng = SplitMix64(seed: seed)
        var ranksA: [Int] = [], ranksB: [Int] = []
        for _ in 0..<resamples {
            var m = 0
            for _ in 0..<2 where rng.next() >> 63 == 0 { m += 1 }
            ranksA.append(m >= 1 ? 1 : 2)
            ranksB.append(m >= 1 ? 2 : 1)
        }
        // Nearest rank: the ⌈0.05·40⌉ = 2nd and ⌈0.95·40⌉ = 38th smallest.
        let (la, ha) = (ranksA.sorted()[1], ranksA.sorted()[37]), (lb, hb) = (ranksB.sorted()[1], ranksB.sorted()[37])
        let rowA = try #require(r.rows.first { $0.id == "a" }), rowB = try #require(r.rows.first { $0.id == "b" })
        #expect(rowA.rankLow == la && rowA.rankHigh == ha && rowB.rankLow == lb && rowB.rankHigh == hb)
        #expect(ranksA.contains(2) && ranksA.filter { $0 == 2 }.count >= 2, "the seed gives both outcomes")
        #expect((la, ha, lb, hb) == (1, 2, 1, 2))
    }

    @Test func resultsDoNotDependOnConcurrency() async throws {
        var rng = SplitMix64(seed: 3)
        var trajectories: [Trajectory] = [], values: [Double] = []
        for id in 1...1300 {
            var lat = rng.uniform(0, 2), lon = rng.uniform(0, 2)
            var points: [(Double, Double)] = []
            for _ in 0..<8 {
                points.append((lat, lon))
                lat += rng.uniform(-0.3, 0.3)
                lon += rng.uniform(-0.3, 0.3)
            }
            trajectories.append(regionTrajectory(id, points))
            values.append(rng.uniform(0, 100))
        }
        let grid = try await ReceptorGrid.build(trajectories: trajectories, values: values, settings: RegionCase.settings, criterionValue: 50)
        for score in [RegionScore.pollutedShare, .wcwt] {
            let one = try await compute(trajectories, values: values, cells: grid.cells(), rankBy: score, resamples: 20, seed: 9, maxConcurrency: 1)
            let two = try await compute(trajectories, values: values, cells: grid.cells(), rankBy: score, resamples: 20, seed: 9, maxConcurrency: 2)
            #expect(one.rows.map(\.id) == two.rows.map(\.id))
            for (x, y) in zip(one.rows, two.rows) {
                #expect(x.rankLow == y.rankLow && x.rankHigh == y.rankHigh)
                for s in RegionScore.allCases { #expect(x.value(of: s).bitPattern == y.value(of: s).bitPattern) }
                let (low, high) = (try #require(x.rankLow), try #require(x.rankHigh))
                #expect(low >= 1 && low <= high && high <= 3)
            }
            #expect(one.rows.allSatisfy { $0.wcwt.isFinite })
        }
    }

    /// The bootstrap recomputes the grid from each resample; with every trajectory once it must
    /// reproduce the receptor grid's own fields, in endpoint and in segment mode.
    @Test(arguments: [false, true])
    func resampledGridWithUnitMultiplicitiesEqualsTheReceptorGrid(segments: Bool) async throws {
        var settings = ReceptorGridSettings(resolution: 0.5, criterion: .value(50), cwtWeights: .trajstat)
        settings.segments = segments
        var rng = SplitMix64(seed: 5)
        var trajectories: [Trajectory] = [], values: [Double] = []
        for id in 1...300 {
            var lat = rng.uniform(0, 2), lon = rng.uniform(0, 2)
            var points: [(Double, Double)] = []
            for _ in 0..<10 {
                points.append((lat, lon))
                lat += rng.uniform(-0.4, 0.4)
                lon += rng.uniform(-0.4, 0.4)
            }
            trajectories.append(regionTrajectory(id, points))
            values.append(rng.uniform(0, 100))
        }
        let grid = try await ReceptorGrid.build(trajectories: trajectories, values: values, settings: settings, criterionValue: 50)
        let probe = try ReceptorGrid(settings: settings, criterionValue: 50)
        let pass = try await RegionPass.run(trajectories: trajectories, values: values, probe: probe,
                                            regions: try RegionIndex(regions: RegionCase.regions), home: nil, fires: nil,
                                            needCells: true, maxConcurrency: 2)
        var sums = RegionCellSums(cells: pass.table.cellKeys.count)
        pass.table.accumulateCells(into: &sums, multiplicities: nil)
        let fields = RegionCellFields(sums, settings: settings)
        let cells = grid.cells()
        #expect(cells.count == pass.table.cellKeys.count)
        for cell in cells {
            let u = try #require(pass.universe[probe.key(latitude: cell.latitude, longitude: cell.longitude)])
            for (mine, theirs) in [(fields.pscf[Int(u)], cell.pscf), (fields.wpscf[Int(u)], cell.wpscf),
                                   (fields.cwt[Int(u)], cell.cwt), (fields.wcwt[Int(u)], cell.wcwt)] {
                #expect(regionNear(mine, theirs, 1e-9 * max(1, abs(theirs))), "cell \(cell.latitude), \(cell.longitude)")
            }
        }
    }

    /// The bootstrap sums only what the rank-by score needs; every score must come out the same
    /// as from the full sums.
    @Test func bootstrapFastPathGivesTheFullScores() async throws {
        var rng = SplitMix64(seed: 8)
        var trajectories: [Trajectory] = [], values: [Double] = []
        for id in 1...200 {
            var lat = rng.uniform(0, 2), lon = rng.uniform(0, 2)
            var points: [(Double, Double)] = []
            for _ in 0..<6 {
                points.append((lat, lon))
                lat += rng.uniform(-0.3, 0.3)
                lon += rng.uniform(-0.3, 0.3)
            }
            trajectories.append(regionTrajectory(id, points))
            values.append(rng.uniform(0, 100))
        }
        let fires = RegionFires(contributions: (0..<50).map { RegionFireContribution(trajectory: $0 * 3, region: $0 % 3, score: Double($0)) },
                                counts: [4, 5, 6])
        let probe = try ReceptorGrid(settings: RegionCase.settings, criterionValue: 50)
        let index = try RegionIndex(regions: RegionCase.regions)
        let pass = try await RegionPass.run(trajectories: trajectories, values: values, probe: probe, regions: index, home: nil,
                                            fires: fires, needCells: false, maxConcurrency: 1)
        var m = [Int32](repeating: 0, count: pass.table.count)
        RegionBootstrapRun.multiplicities(resample: 3, count: pass.table.count, seed: 4, into: &m)
        #expect(m.reduce(0, +) == Int32(pass.table.count))
        var full = RegionSums(regions: 3), fast = RegionSums(regions: 3)
        pass.table.accumulate(into: &full, multiplicities: m)
        for score in RegionScore.allCases where !score.isGridBased {
            let run = RegionBootstrapRun(table: pass.table, settings: RegionCase.settings, areas: [], rankBy: score, fireCounts: fires.counts,
                                         hasFires: true, ranking: RegionRanking(regions: RegionCase.regions))
            pass.table.accumulate(into: &fast, multiplicities: m, only: score)
            let (a, b) = (run.scores(full, cells: nil), run.scores(fast, cells: nil))
            #expect(zip(a, b).allSatisfy { $0.bitPattern == $1.bitPattern }, "\(score): \(a) vs \(b)")
            #expect(a.contains { $0 != 0 && $0.isFinite }, "\(score) is not trivially zero")
        }
    }

    @Test func badInputsAreRefusedWithWhatToDo() async throws {
        await #expect { _ = try await compute(values: [1, 2]) } throws: { "\($0)".contains("4 trajectories but 2 receptor values") }
        await #expect { _ = try await compute(resamples: -1) } throws: { "\($0)".contains("bootstrap resamples -1") }
        let badTrajectory = RegionFires(contributions: [RegionFireContribution(trajectory: 9, region: 0, score: 1)], counts: [0, 0, 0])
        await #expect { _ = try await compute(fires: badTrajectory) } throws: { "\($0)".contains("fire contribution 0: trajectory 9") }
        let badCounts = RegionFires(contributions: [], counts: [1])
        await #expect { _ = try await compute(fires: badCounts) } throws: { "\($0)".contains("1 counts for 3 regions") }
        await #expect { _ = try await compute(values: [1, .nan, 3, 4]) } throws: { "\($0)".contains("receptor value nan") }
        #expect(throws: RegionError.self) { try RegionScore(parsing: "rank") }
        #expect {
            _ = try RegionScore(parsing: "share")
        } throws: { error in
            "\(error)".contains("polluted_share, residence_h, polluted_residence_h, enhancement_ratio, pscf, wpscf, cwt, wcwt, fire_score, fire_count, n_endpoints, n_trajectories")
        }
        #expect(try RegionScore(parsing: "wcwt") == .wcwt)
    }
}
