/// Ward agglomeration by a nearest-neighbour chain with Lance–Williams updates (Murtagh 1983;
/// Müllner 2011) on a condensed matrix of merge costs.
enum WardLinkage {
    /// Rows computed together against each other trajectory, so that its point is read from
    /// memory once per tile rather than once per row (16 × 73 endpoints × 3 × 8 bytes ≈ 28 KB
    /// stay in cache).
    static let tileRows = 16

    /// The initial matrix: for trajectories i < j, ½‖x_i − x_j‖², the TSV increase of merging
    /// two single trajectories, km² (`points` as from ``PreparedTrajectories/embedded(scale:)``).
    static func initialCosts(points: [Double], stride: Int, count n: Int, maxConcurrency: Int,
                             blockEntries: Int = CondensedMatrix.defaultBlockEntries) async -> CondensedMatrix {
        await CondensedMatrix.build(count: n, maxConcurrency: maxConcurrency, blockEntries: blockEntries) { rows, out in
            points.withUnsafeBufferPointer { p in
                guard let base = p.baseAddress else { return }
                let first = CondensedMatrix.rowStart(rows.lowerBound, count: n)
                var i0 = rows.lowerBound
                while i0 < rows.upperBound {
                    let i1 = min(i0 + tileRows, rows.upperBound)
                    // Row i's entry (i, j) is at rowStart(i) − first + j − i − 1.
                    var offsets = [Int](repeating: 0, count: i1 - i0)
                    for i in i0..<i1 { offsets[i - i0] = CondensedMatrix.rowStart(i, count: n) - first - i - 1 }
                    for j in (i0 + 1)..<max(i0 + 1, n) {
                        let b = base + j * stride
                        for i in i0..<min(i1, j) {
                            out[offsets[i - i0] + j] = 0.5 * squaredDistance(base + i * stride, b, count: stride)
                        }
                    }
                    i0 = i1
                }
            }
        }
    }

    /// Σ (a_k − b_k)² over `count` values, a multiple of 16 (sixteen lanes in four SIMD4 sums,
    /// so the additions are not one serial chain; the summation order is fixed).
    @inline(__always)
    static func squaredDistance(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, count: Int) -> Double {
        let ra = UnsafeRawPointer(a), rb = UnsafeRawPointer(b)
        var s0 = SIMD4<Double>(), s1 = SIMD4<Double>(), s2 = SIMD4<Double>(), s3 = SIMD4<Double>()
        var offset = 0
        let end = count * 8
        while offset < end {
            let d0 = ra.loadUnaligned(fromByteOffset: offset, as: SIMD4<Double>.self) - rb.loadUnaligned(fromByteOffset: offset, as: SIMD4<Double>.self)
            let d1 = ra.loadUnaligned(fromByteOffset: offset + 32, as: SIMD4<Double>.self) - rb.loadUnaligned(fromByteOffset: offset + 32, as: SIMD4<Double>.self)
            let d2 = ra.loadUnaligned(fromByteOffset: offset + 64, as: SIMD4<Double>.self) - rb.loadUnaligned(fromByteOffset: offset + 64, as: SIMD4<Double>.self)
            let d3 = ra.loadUnaligned(fromByteOffset: offset + 96, as: SIMD4<Double>.self) - rb.loadUnaligned(fromByteOffset: offset + 96, as: SIMD4<Double>.self)
            s0 += d0 * d0
            s1 += d1 * d1
            s2 += d2 * d2
            s3 += d3 * d3
            offset += 128
        }
        return ((s0 + s1) + (s2 + s3)).sum()
    }

    /// Runs the chain on `matrix` (consumed: its entries are overwritten by the updates) and
    /// returns the dendrogram. Ties: a nearest neighbour is the lowest-numbered one, except
    /// that the chain's previous element wins a tie (so the chain always ends).
    /// - Throws: ``ClusterError/cancelled``.
    static func dendrogram(_ matrix: inout CondensedMatrix) throws(ClusterError) -> WardDendrogram {
        let n = matrix.count
        guard n > 1 else { return WardDendrogram(leafCount: n, merges: []) }
        var raw: [(a: Int, b: Int, cost: Double)] = []
        raw.reserveCapacity(n - 1)
        var size = [Double](repeating: 1, count: n)
        var active = Array(0..<n)
        var chain: [Int] = []
        chain.reserveCapacity(64)
        let rs = matrix.rowStarts
        var cancelled = false
        matrix.values.withUnsafeMutableBufferPointer { d in
            @inline(__always) func at(_ i: Int, _ j: Int) -> Int { i < j ? rs[i] + j - i - 1 : rs[j] + i - j - 1 }
            // The first position in `active` holding a value ≥ x.
            @inline(__always) func position(_ x: Int) -> Int {
                var lo = 0, hi = active.count
                while lo < hi {
                    let mid = (lo + hi) >> 1
                    if active[mid] < x { lo = mid + 1 } else { hi = mid }
                }
                return lo
            }
            while raw.count < n - 1 {
                if raw.count & 255 == 0 && Task.isCancelled { cancelled = true; return }
                if chain.isEmpty { chain.append(active[0]) }
                var a = chain[chain.count - 1]
                var b = -1
                while true {
                    // Nearest active neighbour of a.
                    var best = Double.infinity, bestJ = -1
                    let pa = position(a)
                    for q in 0..<pa {
                        let j = active[q]
                        let v = d[rs[j] + a - j - 1]
                        if v < best { best = v; bestJ = j }
                    }
                    let row = rs[a] - a - 1
                    for q in (pa + 1)..<active.count {
                        let j = active[q]
                        let v = d[row + j]
                        if v < best { best = v; bestJ = j }
                    }
                    if chain.count >= 2 {
                        let previous = chain[chain.count - 2]
                        if d[at(a, previous)] <= best { bestJ = previous }
                    }
                    if chain.count >= 2 && bestJ == chain[chain.count - 2] {
                        b = bestJ
                        break
                    }
                    chain.append(bestJ)
                    a = bestJ
                }
                chain.removeLast(2)
                let cost = d[at(a, b)]
                raw.append((a, b, cost))
                let lo = min(a, b), hi = max(a, b)
                let na = size[a], nb = size[b]
                for k in active where k != a && k != b {
                    let nk = size[k]
                    let value = ((na + nk) * d[at(k, a)] + (nb + nk) * d[at(k, b)] - nk * cost) / (na + nb + nk)
                    d[at(k, lo)] = max(value, 0)
                }
                size[lo] = na + nb
                active.remove(at: position(hi))
            }
        }
        if cancelled { throw .cancelled }
        return ordered(raw, leafCount: n)
    }

    /// The chain's merges in hierarchy order: by increasing cost, but never before the merges
    /// that made their clusters (a rounding inversion of the Lance–Williams costs is ordered by
    /// its children's cost), ties in chain order; relabelled as ``ClusterMerge`` ids.
    static func ordered(_ raw: [(a: Int, b: Int, cost: Double)], leafCount n: Int) -> WardDendrogram {
        var creator = [Int](repeating: -1, count: n)   // the raw merge that made the cluster in each slot
        var key = [Double](repeating: 0, count: raw.count)
        for (s, m) in raw.enumerated() {
            var h = m.cost
            if creator[m.a] >= 0 { h = max(h, key[creator[m.a]]) }
            if creator[m.b] >= 0 { h = max(h, key[creator[m.b]]) }
            key[s] = h
            creator[min(m.a, m.b)] = s
            creator[max(m.a, m.b)] = -1
        }
        let order = raw.indices.sorted { key[$0] != key[$1] ? key[$0] < key[$1] : $0 < $1 }
        var parent = Array(0..<n)
        var label = Array(0..<n)
        var size = [Int](repeating: 1, count: n)
        func find(_ x: Int) -> Int {
            var r = x
            while parent[r] != r { r = parent[r] }
            var y = x
            while parent[y] != r { let next = parent[y]; parent[y] = r; y = next }
            return r
        }
        var merges: [ClusterMerge] = []
        merges.reserveCapacity(raw.count)
        for (s, index) in order.enumerated() {
            let m = raw[index]
            let ra = find(m.a), rb = find(m.b)
            let (la, lb) = (label[ra], label[rb])
            merges.append(ClusterMerge(first: min(la, lb), second: max(la, lb), tsvIncreaseKm2: m.cost, size: size[ra] + size[rb]))
            parent[ra] = rb
            size[rb] += size[ra]
            label[rb] = n + s
        }
        return WardDendrogram(leafCount: n, merges: merges)
    }
}
