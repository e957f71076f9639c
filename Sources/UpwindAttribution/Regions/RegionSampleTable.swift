import UpwindCore

/// What each counted trajectory adds to each region (and, for the grid-based scores, to each
/// grid cell), stored sparse once so that the point estimate and every bootstrap resample are
/// weighted sums over trajectories with multiplicities (issue 11 item 1).
struct RegionSampleTable: Sendable {
    /// Counted trajectories (the bootstrap's population), in input order.
    var count = 0
    /// Each counted trajectory's 0-based index in the input.
    var trajectory: [Int32] = []
    var polluted: [Bool] = []
    var value: [Double] = []
    /// Hours of all its counted endpoints.
    var hours: [Double] = []
    /// Region entries of counted trajectory t: `regionOffsets[t] ..< regionOffsets[t + 1]`.
    var regionOffsets: [Int32] = [0]
    var entryRegion: [Int32] = []
    var entryHours: [Double] = []
    var entryEndpoints: [Int32] = []
    /// Fire entries of counted trajectory t.
    var fireOffsets: [Int32] = [0]
    var fireRegion: [Int32] = []
    var fireScore: [Double] = []
    /// Grid-cell entries of counted trajectory t (only when a grid-based score is resampled):
    /// universe cell and time weight τ.
    var cellOffsets: [Int32] = [0]
    var cellIndex: [Int32] = []
    var cellTau: [Double] = []
    /// Cells any counted trajectory reached (the resampled grid's cells), with their keys.
    var cellKeys: [Int64] = []
    var regionCount = 0
}

/// Per-region sums of one resample (or of the data).
struct RegionSums {
    var residence: [Double]
    var polluted: [Double]
    var clean: [Double]
    var endpoints: [Int]
    var trajectories: [Int]
    var fire: [Double]
    var pollutedTotal = 0.0
    var cleanTotal = 0.0

    init(regions: Int) {
        residence = Array(repeating: 0, count: regions)
        polluted = residence
        clean = residence
        fire = residence
        endpoints = Array(repeating: 0, count: regions)
        trajectories = endpoints
    }

    mutating func reset() {
        for r in residence.indices {
            residence[r] = 0
            polluted[r] = 0
            clean[r] = 0
            fire[r] = 0
            endpoints[r] = 0
            trajectories[r] = 0
        }
        pollutedTotal = 0
        cleanTotal = 0
    }
}

/// Per-cell sums of one resample, for the grid-based scores.
struct RegionCellSums {
    var tau: [Double]
    var tauPolluted: [Double]
    var sumC: [Double]
    var trajectories: [Int]

    init(cells: Int) {
        tau = Array(repeating: 0, count: cells)
        tauPolluted = tau
        sumC = tau
        trajectories = Array(repeating: 0, count: cells)
    }

    mutating func reset() {
        for c in tau.indices {
            tau[c] = 0
            tauPolluted[c] = 0
            sumC[c] = 0
            trajectories[c] = 0
        }
    }
}

extension RegionSampleTable {
    /// Adds every counted trajectory `multiplicities[t]` times (once each when nil): every sum,
    /// or with `score` only the sums that score needs (the bootstrap's fast path; the others
    /// stay 0).
    func accumulate(into sums: inout RegionSums, multiplicities: [Int32]?, only score: RegionScore? = nil) {
        sums.reset()
        var polluted = true, clean = true, residence = true, counts = true, fires = true
        if let score {
            polluted = [.pollutedShare, .pollutedResidenceHours, .enhancementRatio].contains(score)
            clean = score == .enhancementRatio
            residence = score == .residenceHours
            counts = score == .nEndpoints || score == .nTrajectories
            fires = score == .fireScore
            if !(polluted || clean || residence || counts || fires) { return }
        }
        for t in 0..<count {
            let m = multiplicities.map { Int($0[t]) } ?? 1
            guard m > 0 else { continue }
            let isPolluted = self.polluted[t]
            if !(residence || counts || fires) && (isPolluted ? !polluted : !clean) { continue }
            let w = Double(m)
            if isPolluted { sums.pollutedTotal += w * hours[t] } else { sums.cleanTotal += w * hours[t] }
            for k in Int(regionOffsets[t])..<Int(regionOffsets[t + 1]) {
                let r = Int(entryRegion[k])
                let h = w * entryHours[k]
                if residence { sums.residence[r] += h }
                if isPolluted { sums.polluted[r] += h } else { sums.clean[r] += h }
                if counts {
                    sums.endpoints[r] += m * Int(entryEndpoints[k])
                    sums.trajectories[r] += m
                }
            }
            if fires {
                for k in Int(fireOffsets[t])..<Int(fireOffsets[t + 1]) {
                    sums.fire[Int(fireRegion[k])] += w * fireScore[k]
                }
            }
        }
    }

    /// The grid cells' sums with every counted trajectory added `multiplicities[t]` times (a
    /// bootstrap copy counts as a trajectory of its own).
    func accumulateCells(into sums: inout RegionCellSums, multiplicities: [Int32]?) {
        sums.reset()
        for t in 0..<count {
            let m = multiplicities.map { Int($0[t]) } ?? 1
            guard m > 0 else { continue }
            let w = Double(m)
            let c0 = value[t], isPolluted = polluted[t]
            for k in Int(cellOffsets[t])..<Int(cellOffsets[t + 1]) {
                let c = Int(cellIndex[k])
                let tau = w * cellTau[k]
                sums.tau[c] += tau
                if isPolluted { sums.tauPolluted[c] += tau }
                sums.sumC[c] += c0 * tau
                sums.trajectories[c] += m
            }
        }
    }
}

/// Fields of the resampled grid's cells, as ``ReceptorGrid/cells(in:)`` computes them.
struct RegionCellFields {
    var pscf: [Double]
    var wpscf: [Double]
    var cwt: [Double]
    var wcwt: [Double]

    /// The fields from cell sums under `settings` (n̄ the mean τ over cells with τ > 0).
    init(_ s: RegionCellSums, settings: ReceptorGridSettings) {
        var total = 0.0, timed = 0
        for tau in s.tau where tau > 0 {
            total += tau
            timed += 1
        }
        let mean = timed > 0 ? total / Double(timed) : .nan
        let n = s.tau.count
        pscf = Array(repeating: .nan, count: n)
        wpscf = pscf
        cwt = pscf
        wcwt = pscf
        for c in 0..<n where s.tau[c] > 0 {
            let p = s.tauPolluted[c] / s.tau[c], w = s.sumC[c] / s.tau[c]
            pscf[c] = p
            cwt[c] = w
            wpscf[c] = settings.pscfWeights.weight(for: .pscf, count: s.tau[c], meanCount: mean, trajectories: s.trajectories[c]) * p
            wcwt[c] = settings.cwtWeights.weight(for: .cwt, count: s.tau[c], meanCount: mean, trajectories: s.trajectories[c]) * w
        }
    }

    func field(_ score: RegionScore) -> [Double] {
        switch score {
        case .pscf: return pscf
        case .wpscf: return wpscf
        case .cwt: return cwt
        default: return wcwt
        }
    }
}

/// The area of one grid cell inside one region.
struct RegionCellArea: Sendable {
    /// The cell's index in the cells given.
    var cell: Int32
    /// Its index among the resampled grid's cells (``RegionSampleTable/cellKeys``), −1 if none.
    var universe: Int32
    var region: Int32
    /// km².
    var area: Double
}

enum RegionCellAverage {
    /// Per region, Σ A·f / Σ A over the cells where f is finite; NaN when there is none.
    static func average(_ pairs: [RegionCellArea], regions: Int, field: (RegionCellArea) -> Double) -> [Double] {
        var sum = [Double](repeating: 0, count: regions), weight = sum
        for p in pairs {
            let f = field(p)
            guard f.isFinite else { continue }
            sum[Int(p.region)] += p.area * f
            weight[Int(p.region)] += p.area
        }
        return (0..<regions).map { weight[$0] > 0 ? sum[$0] / weight[$0] : .nan }
    }
}
