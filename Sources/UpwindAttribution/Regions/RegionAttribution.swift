import UpwindCore

/// Region and county statistics of matched back trajectories (see the *Regions* article in Upwind's documentation; issue 11 item 1):
/// residence, polluted residence and its share, the enhancement ratio, area-weighted
/// PSCF/WPSCF/CWT/WCWT, fire scores, a ranking with bootstrap rank intervals, and the share of
/// polluted residence outside a home region.
///
/// **Counted endpoints.** Exactly those the receptor grid counts (``ReceptorGrid/add(trajectory:value:)``,
/// the same checks run on each trajectory): endpoints of age 0 only with
/// ``ReceptorGridSettings/includeAgeZero``, only those at or below ``ReceptorGridSettings/maxHeight``,
/// and no endpoint of a trajectory whose value is ``ReceptorGridSettings/missingValue``. A
/// trajectory is polluted when the grid's `isPolluted` says so (value above the criterion value,
/// or at or above with ``ReceptorGridSettings/PollutedTest/atOrAbove``). Each endpoint is placed by
/// ``RegionIndex/locate(latitude:longitude:)`` (endpoints in segments mode are still counted as
/// endpoints here).
///
/// **Residence.** Each counted endpoint weighs its endpoint spacing in hours: |age_k − age_(k−1)|
/// for endpoint k ≥ 1, |age_1 − age_0| for the first, 1 h for a trajectory with a single endpoint
/// (so 1 h for hourly endpoints, 3 h for 3-hourly ones). With R_r the residence in region r,
/// P_r its polluted and C_r its clean part, and P, C the totals over all counted endpoints
/// (including those in no region): `polluted_share = P_r / P`, `enhancement_ratio =
/// (P_r / P) / (C_r / C)` (NaN when C_r = 0, or a total is 0).
///
/// **Grid scores.** For PSCF, WPSCF, CWT and WCWT the region's value is the average of the
/// given grid cells' field over the cells overlapping the region, each weighted by the area of
/// the cell inside the region (``Region/area(south:north:west:east:)``, cells of side
/// ``ReceptorGridSettings/resolution`` centred on their coordinates), over the cells where the
/// field is defined; NaN when there is none.
///
/// **Ranking.** Descending by the rank-by score, NaN last, ties by id (ids that are both whole
/// numbers compared as numbers, others by their UTF-8 bytes, numbers first).
///
/// **Bootstrap.** B resamples of the counted trajectories, each drawing N of the N counted
/// trajectories with replacement: resample b (0-based) takes draws b·N … b·N + N − 1 of the
/// `SplitMix64` stream of `seed`, draw k picking trajectory ⌊draw·N / 2⁶⁴⌋
/// (`SplitMix64.nextIndex(below:)`), so the result depends only on the data, B and the seed
/// (not on `maxConcurrency`). A trajectory drawn m times counts m times everywhere (its hours,
/// endpoints, trajectories, fire contributions; for grid scores its cell sums, with the grid's
/// fields and weights recomputed from the resampled sums, n̄ included, over the cells of the
/// resample). Each resample ranks the regions by the rank-by score as above; `rank_low` and
/// `rank_high` are the 5th and 95th percentiles of each region's B ranks by the nearest-rank
/// rule: the ⌈0.05·B⌉-th and ⌈0.95·B⌉-th smallest (the 10th and 190th of 200).
public enum RegionAttribution {
    /// Trajectories handled per task (fixed, so results do not depend on `maxConcurrency`).
    public static let chunkTrajectories = 512
    /// Bootstrap resamples per task.
    public static let chunkResamples = 8

    /// Computes the region statistics, ranked.
    /// - Parameters:
    ///   - trajectories: matched back trajectories.
    ///   - values: each trajectory's receptor value (same order), the criterion's unit.
    ///   - settings: the receptor-grid settings (filters, polluted test, weights, resolution).
    ///   - criterionValue: the resolved criterion value.
    ///   - regions: the regions.
    ///   - cells: the receptor grid's cells (``ReceptorGrid/cells(in:)`` for these trajectories,
    ///     values, settings and criterion), for the grid scores; may be empty (the grid scores
    ///     are then NaN).
    ///   - fires: fire contributions and counts, or nil (fire scores NaN, counts empty).
    ///   - home: the joint-control view's regions and home id, or nil.
    ///   - rankBy: the score to rank by (default `polluted_share`).
    ///   - resamples: bootstrap resamples B (0 = none, at most 100,000).
    ///   - seed: the bootstrap's SplitMix64 seed.
    ///   - maxConcurrency: tasks at once (default 2; 1 = serial).
    /// - Returns: the result.
    /// - Throws: ``RegionError/countMismatch(trajectories:values:)``,
    ///   ``RegionError/invalidOption(option:value:requirement:)``,
    ///   ``RegionError/invalidFireContribution(index:reason:)``, ``RegionError/invalidFireCounts(reason:)``,
    ///   ``RegionError/unknownHomeRegion(id:available:count:)``, ``RegionError/grid(_:)`` for what the
    ///   receptor grid refuses (bad settings or criterion, a non-finite value, a bad endpoint, a
    ///   missing mixing depth; the first trajectory's error in order).
    public static func compute(trajectories: [Trajectory], values: [Double], settings: ReceptorGridSettings,
                               criterionValue: Double, regions: RegionIndex, cells: [ReceptorGridCell],
                               fires: RegionFires? = nil, home: RegionHome? = nil, rankBy: RegionScore = .pollutedShare,
                               resamples: Int = 0, seed: UInt64 = 1,
                               maxConcurrency: Int = 2) async throws(RegionError) -> RegionAttributionResult {
        guard trajectories.count == values.count else {
            throw .countMismatch(trajectories: trajectories.count, values: values.count)
        }
        guard (0...100_000).contains(resamples) else {
            throw .invalidOption(option: "bootstrap resamples", value: "\(resamples)", requirement: "a whole number from 0 to 100000")
        }
        let probe: ReceptorGrid
        do throws(ReceptorGridError) {
            probe = try ReceptorGrid(settings: settings, criterionValue: criterionValue)
        } catch {
            throw .grid(error)
        }
        let regionCount = regions.count
        if let fires { try check(fires, trajectories: trajectories.count, regions: regionCount) }
        var homeRegion: Int?
        if let home {
            guard let h = home.index.index(ofID: home.id) else {
                let ids = home.index.regions.map(\.id)
                throw .unknownHomeRegion(id: home.id, available: Array(ids.prefix(10)), count: ids.count)
            }
            homeRegion = h
        }
        let needCells = resamples > 0 && rankBy.isGridBased && !cells.isEmpty

        let pass = try await RegionPass.run(trajectories: trajectories, values: values, probe: probe, regions: regions,
                                            home: home?.index, fires: fires, needCells: needCells, maxConcurrency: maxConcurrency)
        let table = pass.table
        var totals = pass.totals
        let universe = pass.universe

        // Point estimate.
        var sums = RegionSums(regions: regionCount)
        table.accumulate(into: &sums, multiplicities: nil)
        totals.pollutedResidenceHours = sums.pollutedTotal
        totals.cleanResidenceHours = sums.cleanTotal
        totals.residenceHours = sums.pollutedTotal + sums.cleanTotal
        let areas = cellAreas(cells, resolution: settings.resolution, regions: regions, probe: probe, universe: universe)
        let pscf = RegionCellAverage.average(areas, regions: regionCount) { cells[Int($0.cell)].pscf }
        let wpscf = RegionCellAverage.average(areas, regions: regionCount) { cells[Int($0.cell)].wpscf }
        let cwt = RegionCellAverage.average(areas, regions: regionCount) { cells[Int($0.cell)].cwt }
        let wcwt = RegionCellAverage.average(areas, regions: regionCount) { cells[Int($0.cell)].wcwt }
        var rows: [RegionStatistics] = (0..<regionCount).map { r in
            let region = regions.regions[r]
            let polluted = sums.polluted[r], clean = sums.clean[r]
            return RegionStatistics(
                rank: 0, region: r, id: region.id, name: region.name,
                pollutedShare: share(polluted, sums.pollutedTotal), residenceHours: sums.residence[r],
                pollutedResidenceHours: polluted, cleanResidenceHours: clean,
                enhancementRatio: enhancement(polluted, sums.pollutedTotal, clean, sums.cleanTotal),
                pscf: pscf[r], wpscf: wpscf[r], cwt: cwt[r], wcwt: wcwt[r],
                fireScore: fires == nil ? .nan : sums.fire[r], fireCount: fires?.counts[r],
                nEndpoints: sums.endpoints[r], nTrajectories: sums.trajectories[r], rankLow: nil, rankHigh: nil)
        }
        let order = RegionRanking(regions: regions.regions)
        let ranked = order.order(rows.map { $0.value(of: rankBy) })
        for (position, r) in ranked.enumerated() { rows[r].rank = position + 1 }

        // Bootstrap.
        if resamples > 0 {
            let bootstrap = RegionBootstrapRun(table: table, settings: settings, areas: areas, rankBy: rankBy,
                                               fireCounts: fires?.counts, hasFires: fires != nil, ranking: order)
            let intervals = await bootstrap.intervals(resamples: resamples, seed: seed, maxConcurrency: maxConcurrency)
            for r in 0..<regionCount {
                rows[r].rankLow = intervals[r].low
                rows[r].rankHigh = intervals[r].high
            }
        }

        // Home view.
        var homeResult: RegionHomeResult?
        if let homeIndex = home?.index, let homeRegion {
            let homeRows = homeIndex.regions.enumerated().map { k, region in
                RegionHomeRow(region: k, id: region.id, name: region.name, pollutedResidenceHours: pass.homeHours[k],
                              pollutedShare: share(pass.homeHours[k], sums.pollutedTotal), isHome: k == homeRegion)
            }
            homeResult = RegionHomeResult(homeID: homeIndex.regions[homeRegion].id, homeRegion: homeRegion, rows: homeRows,
                                          pollutedResidenceOutsideAllHours: pass.homeOutside,
                                          outsideHomeShare: sums.pollutedTotal > 0 ? 1 - homeRows[homeRegion].pollutedShare : .nan)
        }
        return RegionAttributionResult(rows: ranked.map { rows[$0] }, home: homeResult, totals: totals, rankBy: rankBy,
                                       resamples: resamples, seed: seed, criterionValue: criterionValue)
    }

    /// part / total, NaN when the total is not positive.
    static func share(_ part: Double, _ total: Double) -> Double { total > 0 ? part / total : .nan }

    /// (P_r / P) / (C_r / C), NaN when C_r, P or C is 0.
    static func enhancement(_ polluted: Double, _ pollutedTotal: Double, _ clean: Double, _ cleanTotal: Double) -> Double {
        guard clean > 0, pollutedTotal > 0, cleanTotal > 0 else { return .nan }
        return (polluted / pollutedTotal) / (clean / cleanTotal)
    }

    /// Checks fire inputs against the trajectories and regions.
    static func check(_ fires: RegionFires, trajectories: Int, regions: Int) throws(RegionError) {
        guard fires.counts.count == regions else {
            throw .invalidFireCounts(reason: "\(fires.counts.count) counts for \(regions) regions; give one count per region, in the index's order")
        }
        if let k = fires.counts.firstIndex(where: { $0 < 0 }) {
            throw .invalidFireCounts(reason: "region \(k) has a negative count \(fires.counts[k])")
        }
        for (k, c) in fires.contributions.enumerated() {
            guard (0..<trajectories).contains(c.trajectory) else {
                throw .invalidFireContribution(index: k, reason: "trajectory \(c.trajectory) is not among the \(trajectories) trajectories (0-based)")
            }
            guard (0..<regions).contains(c.region) else {
                throw .invalidFireContribution(index: k, reason: "region \(c.region) is not among the \(regions) regions (0-based)")
            }
            guard c.score.isFinite, c.score >= 0 else {
                throw .invalidFireContribution(index: k, reason: "score \(c.score) is not a finite number ≥ 0")
            }
        }
    }

    /// The area of each given cell inside each region it overlaps (cells of side `resolution`
    /// centred on their coordinates), with the cell's index in the resampled grid when present.
    static func cellAreas(_ cells: [ReceptorGridCell], resolution: Double, regions: RegionIndex, probe: ReceptorGrid,
                          universe: [Int64: Int32]) -> [RegionCellArea] {
        guard !cells.isEmpty else { return [] }
        var lattice: [Int64: Int] = [:]
        lattice.reserveCapacity(cells.count)
        for (c, cell) in cells.enumerated() {
            lattice[probe.key(latitude: cell.latitude, longitude: cell.longitude)] = c
        }
        let half = resolution / 2
        var out: [RegionCellArea] = []
        for (r, region) in regions.regions.enumerated() {
            let box = region.boundingBox
            let i0 = Int((box.south / resolution).rounded(.down)) - 1, i1 = Int((box.north / resolution).rounded(.up)) + 1
            let j0 = Int((box.west / resolution).rounded(.down)) - 1, j1 = Int((box.east / resolution).rounded(.up)) + 1
            for i in i0...i1 {
                for j in j0...j1 {
                    let lat = Double(i) * resolution, lon = Double(j) * resolution
                    guard let c = lattice[probe.key(latitude: lat, longitude: lon)] else { continue }
                    let cell = cells[c]
                    // The cell's own centre (a wrapped longitude may differ from lon by 360°).
                    guard abs(cell.latitude - lat) < half, abs(cell.longitude - lon) < half else { continue }
                    let a = region.area(south: lat - half, north: lat + half, west: lon - half, east: lon + half)
                    guard a > 0 else { continue }
                    let key = probe.key(latitude: cell.latitude, longitude: cell.longitude)
                    out.append(RegionCellArea(cell: Int32(c), universe: universe[key] ?? -1, region: Int32(r), area: a))
                }
            }
        }
        return out
    }
}

/// Runs work items on a task group, at most `maxConcurrency` at once, results in item order.
enum RegionParallel {
    static func map<T: Sendable>(_ count: Int, maxConcurrency: Int, _ body: @escaping @Sendable (Int) -> T) async -> [T] {
        if maxConcurrency <= 1 || count < 2 { return (0..<count).map(body) }
        let pairs = await withTaskGroup(of: (Int, T).self) { group in
            var out: [(Int, T)] = []
            out.reserveCapacity(count)
            var next = 0
            while next < min(maxConcurrency, count) {
                let k = next
                group.addTask { (k, body(k)) }
                next += 1
            }
            while let done = await group.next() {
                out.append(done)
                if next < count {
                    let k = next
                    group.addTask { (k, body(k)) }
                    next += 1
                }
            }
            return out
        }
        return pairs.sorted { $0.0 < $1.0 }.map(\.1)
    }
}
