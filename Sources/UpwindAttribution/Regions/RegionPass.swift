import UpwindCore

/// The pass over the trajectories: the sample table, totals and the home view's sums.
struct RegionPass: Sendable {
    var table: RegionSampleTable
    /// Totals without the residence sums (filled from the point estimate).
    var totals: RegionTotals
    var homeHours: [Double]
    var homeOutside: Double
    /// Grid-cell key → index among the resampled grid's cells.
    var universe: [Int64: Int32]

    /// Passes over the trajectories in fixed chunks (concurrently) and merges them in order.
    static func run(trajectories: [Trajectory], values: [Double], probe: ReceptorGrid, regions: RegionIndex, home: RegionIndex?,
                    fires: RegionFires?, needCells: Bool, maxConcurrency: Int) async throws(RegionError) -> RegionPass {
        // Pass over the trajectories in fixed chunks.
        let size = RegionAttribution.chunkTrajectories
        let chunks = stride(from: 0, to: trajectories.count, by: size).map { $0..<min($0 + size, trajectories.count) }
        let outputs = await RegionParallel.map(chunks.count, maxConcurrency: maxConcurrency) { k in
            RegionChunk.run(chunks[k], trajectories: trajectories, values: values, probe: probe, regions: regions,
                            home: home, needCells: needCells)
        }

        // Merge in order.
        var table = RegionSampleTable()
        table.regionCount = regions.count
        var totals = RegionTotals(trajectories: 0, pollutedTrajectories: 0, skippedTrajectories: 0, endpoints: 0, endpointsOutside: 0,
                                  residenceHours: 0, pollutedResidenceHours: 0, cleanResidenceHours: 0, pollutedResidenceOutsideHours: 0)
        var homeHours = [Double](repeating: 0, count: home?.count ?? 0), homeOutside = 0.0
        var universe: [Int64: Int32] = [:]
        for output in outputs {
            let chunk: RegionChunk
            switch output {
            case .success(let c): chunk = c
            case .failure(let e): throw e
            }
            totals.skippedTrajectories += chunk.skipped
            totals.endpoints += chunk.endpoints
            totals.endpointsOutside += chunk.endpointsOutside
            totals.pollutedResidenceOutsideHours += chunk.pollutedOutside
            for k in homeHours.indices { homeHours[k] += chunk.homeHours[k] }
            homeOutside += chunk.homeOutside
            let base = Int32(table.entryRegion.count)
            table.trajectory.append(contentsOf: chunk.trajectory)
            table.polluted.append(contentsOf: chunk.polluted)
            table.value.append(contentsOf: chunk.value)
            table.hours.append(contentsOf: chunk.hours)
            table.entryRegion.append(contentsOf: chunk.entryRegion)
            table.entryHours.append(contentsOf: chunk.entryHours)
            table.entryEndpoints.append(contentsOf: chunk.entryEndpoints)
            for offset in chunk.regionOffsets.dropFirst() { table.regionOffsets.append(base + offset) }
            if needCells {
                for t in chunk.trajectory.indices {
                    for k in Int(chunk.cellOffsets[t])..<Int(chunk.cellOffsets[t + 1]) {
                        let key = chunk.cellKeys[k]
                        let u: Int32
                        if let found = universe[key] {
                            u = found
                        } else {
                            u = Int32(table.cellKeys.count)
                            universe[key] = u
                            table.cellKeys.append(key)
                        }
                        table.cellIndex.append(u)
                        table.cellTau.append(chunk.cellTau[k])
                    }
                    table.cellOffsets.append(Int32(table.cellIndex.count))
                }
            }
        }
        table.count = table.trajectory.count
        if !needCells { table.cellOffsets = [Int32](repeating: 0, count: table.count + 1) }
        totals.trajectories = table.count
        totals.pollutedTrajectories = table.polluted.reduce(0) { $0 + ($1 ? 1 : 0) }

        // Fire entries per counted trajectory (contributions of skipped trajectories are dropped,
        // like their endpoints).
        if let fires {
            var counted = [Int32](repeating: -1, count: trajectories.count)
            for (k, t) in table.trajectory.enumerated() { counted[Int(t)] = Int32(k) }
            var perTrajectory = [Int32](repeating: 0, count: table.count + 1)
            for c in fires.contributions where counted[c.trajectory] >= 0 { perTrajectory[Int(counted[c.trajectory]) + 1] += 1 }
            for k in 0..<table.count { perTrajectory[k + 1] += perTrajectory[k] }
            var fill = perTrajectory
            let total = Int(perTrajectory[table.count])
            table.fireRegion = [Int32](repeating: 0, count: total)
            table.fireScore = [Double](repeating: 0, count: total)
            for c in fires.contributions where counted[c.trajectory] >= 0 {
                let t = Int(counted[c.trajectory])
                let slot = Int(fill[t])
                table.fireRegion[slot] = Int32(c.region)
                table.fireScore[slot] = c.score
                fill[t] += 1
            }
            table.fireOffsets = perTrajectory
        } else {
            table.fireOffsets = [Int32](repeating: 0, count: table.count + 1)
        }

        return RegionPass(table: table, totals: totals, homeHours: homeHours, homeOutside: homeOutside, universe: universe)
    }
}
