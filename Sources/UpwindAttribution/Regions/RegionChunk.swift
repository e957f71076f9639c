import UpwindCore

/// One chunk of trajectories passed over once: each counted trajectory's region entries (and
/// grid-cell entries when asked), totals, and the home view's polluted hours.
struct RegionChunk: Sendable {
    var trajectory: [Int32] = []
    var polluted: [Bool] = []
    var value: [Double] = []
    var hours: [Double] = []
    var regionOffsets: [Int32] = [0]
    var entryRegion: [Int32] = []
    var entryHours: [Double] = []
    var entryEndpoints: [Int32] = []
    var cellOffsets: [Int32] = [0]
    var cellKeys: [Int64] = []
    var cellTau: [Double] = []
    var skipped = 0
    var endpoints = 0
    var endpointsOutside = 0
    var pollutedOutside = 0.0
    var homeHours: [Double] = []
    var homeOutside = 0.0

    /// The hours endpoint `k` weighs: its spacing to the previous endpoint (the next one for the
    /// first), 1 h for a lone endpoint.
    @inline(__always) static func spacing(_ endpoints: [TrajectoryEndpoint], _ k: Int) -> Double {
        guard endpoints.count > 1 else { return 1 }
        return k == 0 ? abs(endpoints[1].ageHours - endpoints[0].ageHours) : abs(endpoints[k].ageHours - endpoints[k - 1].ageHours)
    }

    static func run(_ range: Range<Int>, trajectories: [Trajectory], values: [Double], probe: ReceptorGrid,
                    regions: RegionIndex, home: RegionIndex?, needCells: Bool) -> Result<RegionChunk, RegionError> {
        var out = RegionChunk()
        out.homeHours = [Double](repeating: 0, count: home?.count ?? 0)
        var keys: [Int64] = []
        var regionHours = [Double](repeating: 0, count: regions.count)
        var regionEndpoints = [Int32](repeating: 0, count: regions.count)
        var touched: [Int] = []
        var cellScratch: [Int64] = []
        let missing = probe.settings.missingValue
        let segments = probe.settings.segments
        for t in range {
            let trajectory = trajectories[t], value = values[t]
            guard value.isFinite else {
                return .failure(.grid(.invalidValue(trajectoryID: trajectory.id, site: trajectory.start.site, value: value)))
            }
            if let missing, value == missing {
                out.skipped += 1
                continue
            }
            do throws(ReceptorGridError) {
                try probe.check(trajectory, keys: &keys)
            } catch {
                return .failure(.grid(error))
            }
            let polluted = probe.isPolluted(value)
            let endpoints = trajectory.endpoints
            var total = 0.0
            for k in endpoints.indices where keys[k] != ReceptorGrid.skipKey {
                let e = endpoints[k]
                let h = spacing(endpoints, k)
                total += h
                out.endpoints += 1
                if let r = regions.locate(latitude: e.latitude, longitude: e.longitude) {
                    if regionEndpoints[r] == 0 { touched.append(r) }
                    regionHours[r] += h
                    regionEndpoints[r] += 1
                } else {
                    out.endpointsOutside += 1
                    if polluted { out.pollutedOutside += h }
                }
                if polluted, let home {
                    if let f = home.locate(latitude: e.latitude, longitude: e.longitude) {
                        out.homeHours[f] += h
                    } else {
                        out.homeOutside += h
                    }
                }
            }
            for r in touched {
                out.entryRegion.append(Int32(r))
                out.entryHours.append(regionHours[r])
                out.entryEndpoints.append(regionEndpoints[r])
                regionHours[r] = 0
                regionEndpoints[r] = 0
            }
            touched.removeAll(keepingCapacity: true)
            out.regionOffsets.append(Int32(out.entryRegion.count))
            out.trajectory.append(Int32(t))
            out.polluted.append(polluted)
            out.value.append(value)
            out.hours.append(total)
            if needCells {
                if segments {
                    // Segment time needs the grid's own rasterisation: grid this trajectory alone.
                    var single = probe
                    do throws(ReceptorGridError) {
                        try single.add(trajectory: trajectory, value: value)
                    } catch {
                        return .failure(.grid(error))
                    }
                    for s in single.sums {
                        out.cellKeys.append(s.key)
                        out.cellTau.append(s.tau)
                    }
                } else {
                    cellScratch.removeAll(keepingCapacity: true)
                    for key in keys where key != ReceptorGrid.skipKey { cellScratch.append(key) }
                    cellScratch.sort()
                    var k = 0
                    while k < cellScratch.count {
                        var n = 1
                        while k + n < cellScratch.count, cellScratch[k + n] == cellScratch[k] { n += 1 }
                        out.cellKeys.append(cellScratch[k])
                        out.cellTau.append(Double(n))
                        k += n
                    }
                }
                out.cellOffsets.append(Int32(out.cellKeys.count))
            }
        }
        return .success(out)
    }
}

/// The order of regions by a score: descending, NaN last, ties by id (whole-number ids as
/// numbers, before other ids, which compare by their UTF-8 bytes).
struct RegionRanking: Sendable {
    /// Each region's position in id order.
    let idRank: [Int]

    init(regions: [Region]) {
        let ids = regions.map(\.id)
        let numbers = ids.map { Int($0) }
        let sorted = regions.indices.sorted { a, b in
            switch (numbers[a], numbers[b]) {
            case let (x?, y?) where x != y: return x < y
            case (.some, nil): return true
            case (nil, .some): return false
            default:
                if ids[a] != ids[b] { return ids[a].utf8.lexicographicallyPrecedes(ids[b].utf8) }
                return a < b
            }
        }
        var rank = [Int](repeating: 0, count: regions.count)
        for (position, r) in sorted.enumerated() { rank[r] = position }
        idRank = rank
    }

    /// Region indices from first to last.
    func order(_ scores: [Double]) -> [Int] {
        scores.indices.sorted { a, b in
            let (x, y) = (scores[a], scores[b])
            if x.isNaN != y.isNaN { return !x.isNaN }
            if !x.isNaN, x != y { return x > y }
            return idRank[a] < idRank[b]
        }
    }
}
