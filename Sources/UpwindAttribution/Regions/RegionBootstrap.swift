import UpwindCore

/// The bootstrap of the region ranking (see ``RegionAttribution`` for the scheme).
struct RegionBootstrapRun: Sendable {
    let table: RegionSampleTable
    let settings: ReceptorGridSettings
    let areas: [RegionCellArea]
    let rankBy: RegionScore
    let fireCounts: [Int]?
    let hasFires: Bool
    let ranking: RegionRanking

    /// The multiplicity of each counted trajectory in resample `b`.
    static func multiplicities(resample b: Int, count n: Int, seed: UInt64, into m: inout [Int32]) {
        for t in m.indices { m[t] = 0 }
        guard n > 0 else { return }
        var rng = SplitMix64(seed: seed, skipping: UInt64(b) &* UInt64(n))
        for _ in 0..<n { m[rng.nextIndex(below: n)] += 1 }
    }

    /// Each region's rank-by score in one resample.
    func scores(_ sums: RegionSums, cells: RegionCellSums?) -> [Double] {
        let n = table.regionCount
        switch rankBy {
        case .pollutedShare: return (0..<n).map { RegionAttribution.share(sums.polluted[$0], sums.pollutedTotal) }
        case .residenceHours: return sums.residence
        case .pollutedResidenceHours: return sums.polluted
        case .enhancementRatio:
            return (0..<n).map { RegionAttribution.enhancement(sums.polluted[$0], sums.pollutedTotal, sums.clean[$0], sums.cleanTotal) }
        case .pscf, .wpscf, .cwt, .wcwt:
            guard let cells else { return [Double](repeating: .nan, count: n) }
            let field = RegionCellFields(cells, settings: settings).field(rankBy)
            return RegionCellAverage.average(areas, regions: n) { $0.universe >= 0 ? field[Int($0.universe)] : .nan }
        case .fireScore: return hasFires ? sums.fire : [Double](repeating: .nan, count: n)
        case .fireCount: return fireCounts.map { $0.map(Double.init) } ?? [Double](repeating: .nan, count: n)
        case .nEndpoints: return sums.endpoints.map(Double.init)
        case .nTrajectories: return sums.trajectories.map(Double.init)
        }
    }

    /// Ranks (1-based) of every region in resamples `range`, resample-major.
    func ranks(_ range: Range<Int>, seed: UInt64) -> [Int32] {
        let n = table.regionCount
        var out = [Int32](repeating: 0, count: range.count * n)
        var m = [Int32](repeating: 0, count: table.count)
        var sums = RegionSums(regions: n)
        let gridBased = rankBy.isGridBased && !table.cellKeys.isEmpty
        var cells = RegionCellSums(cells: gridBased ? table.cellKeys.count : 0)
        for (row, b) in range.enumerated() {
            RegionBootstrapRun.multiplicities(resample: b, count: table.count, seed: seed, into: &m)
            table.accumulate(into: &sums, multiplicities: m, only: rankBy)
            if gridBased { table.accumulateCells(into: &cells, multiplicities: m) }
            let order = ranking.order(scores(sums, cells: gridBased ? cells : nil))
            for (position, r) in order.enumerated() { out[row * n + r] = Int32(position + 1) }
        }
        return out
    }

    /// Each region's 5th and 95th percentile rank (nearest-rank rule) over `resamples` resamples.
    func intervals(resamples: Int, seed: UInt64, maxConcurrency: Int) async -> [(low: Int, high: Int)] {
        let size = RegionAttribution.chunkResamples
        let chunks = stride(from: 0, to: resamples, by: size).map { $0..<min($0 + size, resamples) }
        let parts = await RegionParallel.map(chunks.count, maxConcurrency: maxConcurrency) { k in ranks(chunks[k], seed: seed) }
        let n = table.regionCount
        var all: [Int32] = []
        all.reserveCapacity(resamples * n)
        for p in parts { all.append(contentsOf: p) }
        let lowIndex = max((5 * resamples + 99) / 100 - 1, 0), highIndex = max((95 * resamples + 99) / 100 - 1, 0)
        var column = [Int32](repeating: 0, count: resamples)
        return (0..<n).map { r in
            for b in 0..<resamples { column[b] = all[b * n + r] }
            column.sort()
            return (Int(column[lowIndex]), Int(column[highIndex]))
        }
    }
}
