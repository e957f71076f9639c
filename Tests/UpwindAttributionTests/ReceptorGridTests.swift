import Testing
import UpwindCore
@testable import UpwindAttribution

// Hand-computed cases. The basic set (1° cells, criterion value 50, age 0 excluded):
//   T1 C=80 (polluted): (0.2,0.1)→(0,0)  (1.1,0.3)→(1,0)  (1.2,1.4)→(1,1)
//   T2 C=20 (clean):    (0.3,-0.2)→(0,0) (0.9,0.2)→(1,0)  (2.1,0.0)→(2,0)
//   T3 C=60 (polluted): (1.0,0.4)→(1,0)  (1.3,0.6)→(1,1)  (1.4,1.2)→(1,1)
// Cells: (0,0) n=2 m=1 N=2; (1,0) n=3 m=2 N=3; (1,1) n=3 m=3 N=2; (2,0) n=1 m=0 N=1. Σn = 9, n̄ = 2.25.
@Suite struct ReceptorGridTests {
    let settings = ReceptorGridSettings(resolution: 1, criterion: .value(50))

    @Test("PSCF = m/n, CWT = mean C, Seibert = geometric mean, on the hand-computed set")
    func pscfCwtSeibert() throws {
        let cells = try fill(settings, criterion: 50, basicTrajectories, basicValues).cells()
        #expect(cells.map { [$0.latitude, $0.longitude] } == [[0, 0], [1, 0], [1, 1], [2, 0]])
        let c00 = try #require(cell(cells, 0, 0)), c10 = try #require(cell(cells, 1, 0))
        let c11 = try #require(cell(cells, 1, 1)), c20 = try #require(cell(cells, 2, 0))
        #expect([c00.nEndpoints, c10.nEndpoints, c11.nEndpoints, c20.nEndpoints] == [2, 3, 3, 1])
        #expect([c00.nPolluted, c10.nPolluted, c11.nPolluted, c20.nPolluted] == [1, 2, 3, 0])
        #expect([c00.nTrajectories, c10.nTrajectories, c11.nTrajectories, c20.nTrajectories] == [2, 3, 2, 1])
        #expect(near(c00.pscf, 0.5) && near(c10.pscf, 2.0 / 3) && near(c11.pscf, 1) && near(c20.pscf, 0))
        #expect(near(c00.cwt, 50) && near(c10.cwt, 160.0 / 3) && near(c11.cwt, 200.0 / 3) && near(c20.cwt, 20))
        #expect(near(c00.seibert, 40, 1e-11))                         // √(80·20)
        #expect(near(c10.seibert, 96_000.0.cubeRoot, 1e-10))    // ∛(80·20·60)
        #expect(near(c11.seibert, 288_000.0.cubeRoot, 1e-10))   // ∛(80·60·60)
        #expect(near(c20.seibert, 20, 1e-12))
    }

    @Test("WPSCF with openair's relative tiers and WCWT with its absolute tiers")
    func weightedOpenair() throws {
        let cells = try fill(settings, criterion: 50, basicTrajectories, basicValues).cells()
        // n̄ = 2.25: n=2 → (1.125, 2.25] → 0.5; n=3 → (2.25, 4.5] → 0.75; n=1 → ≤ 1.125 → 0.15.
        #expect(cells.map(\.pscfWeight) == [0.5, 0.75, 0.75, 0.15])
        #expect(allNear(cells.map(\.wpscf), [0.25, 0.5, 0.75, 0]))
        // CWT: every n ≤ 10 → 0.05.
        #expect(cells.map(\.cwtWeight) == [0.05, 0.05, 0.05, 0.05])
        #expect(allNear(cells.map(\.wcwt), [2.5, 8.0 / 3, 10.0 / 3, 1]))
    }

    @Test("TrajStat weights: absolute 80/20/10 tiers, then ×0.5 for 1 < N ≤ 3 and ×0.2 for N ≤ 1 trajectories")
    func weightedTrajstat() throws {
        var s = settings
        s.pscfWeights = .trajstat
        s.cwtWeights = .none
        let cells = try fill(s, criterion: 50, basicTrajectories, basicValues).cells()
        // n ≤ 10 → 0.05; N = 2, 3, 2 → ×0.5; N = 1 → ×0.2.
        #expect(allNear(cells.map(\.pscfWeight), [0.025, 0.025, 0.025, 0.01]))
        #expect(cells.map(\.cwtWeight) == [1, 1, 1, 1])
        #expect(zip(cells.map(\.wcwt), cells.map(\.cwt)).allSatisfy { $0 == $1 })
    }

    @Test("custom relative and absolute weights from their CLI text")
    func customWeights() throws {
        var s = settings
        // relative to n̄ = 2.25: n > 2.25·1.2 = 2.7 → 1; n > 2.25·0.8 = 1.8 → 0.6; else 0.3.
        s.pscfWeights = try ReceptorGridSettings.parseWeights("relative:1.2,0.8:1,0.6,0.3")
        // absolute: n > 2 → 0.9; n > 1 → 0.4; else 0.1.
        s.cwtWeights = try ReceptorGridSettings.parseWeights("absolute:2,1:0.9,0.4,0.1")
        let cells = try fill(s, criterion: 50, basicTrajectories, basicValues).cells()
        #expect(cells.map(\.pscfWeight) == [0.6, 1, 1, 0.3])
        #expect(cells.map(\.cwtWeight) == [0.4, 0.9, 0.9, 0.1])
    }

    /// Expected residence per normalisation for cells (0,0), (1,0), (1,1), (2,0): N = 3, Σn = 9, max n = 3.
    static let residenceCases: [(ReceptorGridSettings.ResidenceNormalisation, [Double])] = [
        (.trajectories, [200.0 / 3, 100, 200.0 / 3, 100.0 / 3]),     // 100·N_traj/3
        (.endpointsPerTrajectory, [200.0 / 3, 100, 100, 100.0 / 3]),  // 100·n/3
        (.endpoints, [200.0 / 9, 100.0 / 3, 100.0 / 3, 100.0 / 9]),   // 100·n/9
        (.max, [200.0 / 3, 100, 100, 100.0 / 3]),                     // 100·n/max n
    ]

    @Test("residence time under HYSPLIT's four normalisations, percent", arguments: ReceptorGridTests.residenceCases)
    func residence(norm: ReceptorGridSettings.ResidenceNormalisation, expected: [Double]) throws {
        var s = settings
        s.residenceNormalisation = norm
        let cells = try fill(s, criterion: 50, basicTrajectories, basicValues).cells()
        #expect(allNear(cells.map(\.residence), expected))
    }

    @Test("max normalisation differs from endpoints-per-trajectory when N ≠ max n")
    func residenceMaxVersusPerTrajectory() throws {
        var s = settings
        s.residenceNormalisation = .max
        // One more trajectory far away: N = 4, max n stays 3.
        let extra = makeTrajectory(4, [(0, 0), (30.1, 30.1)])
        let cells = try fill(s, criterion: 50, basicTrajectories + [extra], basicValues + [10]).cells()
        #expect(near(try #require(cell(cells, 0, 0)).residence, 200.0 / 3))
        s.residenceNormalisation = .endpointsPerTrajectory
        let perTrajectory = try fill(s, criterion: 50, basicTrajectories + [extra], basicValues + [10]).cells()
        #expect(near(try #require(cell(perTrajectory, 0, 0)).residence, 50))
    }

    @Test("age-0 endpoints are excluded by default and counted when asked")
    func ageZero() throws {
        var s = settings
        s.includeAgeZero = true
        let cells = try fill(s, criterion: 50, basicTrajectories, basicValues).cells()
        let c00 = try #require(cell(cells, 0, 0))
        // The three receptor endpoints join (0,0): n = 5, m = 2 + 1 (T1 twice, T3 once).
        #expect(c00.nEndpoints == 5 && c00.nPolluted == 3 && c00.nTrajectories == 3)
        #expect(near(c00.pscf, 0.6) && near(c00.cwt, 260.0 / 5))
        let without = try fill(settings, criterion: 50, basicTrajectories, basicValues)
        #expect(without.endpointCount == 9)
    }

    @Test("polluted is strictly above the criterion; TrajStat's test is at or above")
    func pollutedTest() throws {
        var g = try ReceptorGrid(settings: settings, criterionValue: 60)
        #expect(!g.isPolluted(60) && g.isPolluted(60.000001))
        for (t, v) in zip(basicTrajectories, basicValues) { try g.add(trajectory: t, value: v) }
        #expect(g.pollutedTrajectoryCount == 1)
        var s = settings
        s.pollutedTest = .atOrAbove
        let h = try fill(s, criterion: 60, basicTrajectories, basicValues)
        #expect(h.pollutedTrajectoryCount == 2 && h.isPolluted(60))
    }

    @Test("a trajectory whose value is the missing value is skipped and counted")
    func missingValue() throws {
        var s = settings
        s.missingValue = 20
        let g = try fill(s, criterion: 50, basicTrajectories, basicValues)
        #expect(g.trajectoryCount == 2 && g.skippedTrajectoryCount == 1)
        #expect(cell(g.cells(), 2, 0) == nil)   // T2's cell (2,0) is empty
    }

    @Test("undefined fields are NaN, not 0: Seibert with non-positive values, and an empty grid has no cells")
    func nanNotZero() throws {
        let cells = try fill(settings, criterion: 50, [basicTrajectories[1]], [0]).cells()
        #expect(cells.count == 3)
        #expect(cells.allSatisfy { $0.seibert.isNaN && $0.cwt == 0 && $0.pscf == 0 })
        let empty = try ReceptorGrid(settings: settings, criterionValue: 50)
        #expect(empty.isEmpty && empty.cells().isEmpty)
    }

    @Test("bad input: non-finite value and endpoint, unresolved percentile, bad settings")
    func badInput() throws {
        var g = try ReceptorGrid(settings: settings, criterionValue: 50)
        #expect(throws: ReceptorGridError.invalidValue(trajectoryID: 1, site: "A", value: .infinity)) {
            try g.add(trajectory: basicTrajectories[0], value: .infinity)
        }
        let bad = makeTrajectory(7, [(0, 0), (91, 0)])
        #expect(throws: ReceptorGridError.invalidEndpoint(trajectoryID: 7, index: 1,
                                                         reason: "position 91.0, 0.0 is not a latitude within ±90 and a longitude within ±100000")) {
            try g.add(trajectory: bad, value: 1)
        }
        #expect(g.trajectoryCount == 0 && g.isEmpty)
        #expect(throws: ReceptorGridError.unresolvedCriterion(percentile: 75)) {
            _ = try ReceptorGrid(settings: ReceptorGridSettings())
        }
        #expect(throws: ReceptorGridError.self) {
            _ = try ReceptorGrid(settings: ReceptorGridSettings(resolution: 0.7), criterionValue: 1)
        }
        #expect(throws: ReceptorGridError.invalidSetting(setting: "criterionValue", value: "nan", requirement: "a finite value")) {
            _ = try ReceptorGrid(settings: settings, criterionValue: .nan)
        }
    }
}

extension Double {
    /// The real cube root (test helper for geometric means of three values).
    var cubeRoot: Double { Math.pow(self, 1.0 / 3) }
}
