/// Partitioning around medoids (PAM; Kaufman & Rousseeuw 1990), as openair's `trajCluster`
/// uses through R's `cluster::pam` (see the *Trajectory clustering* article in Upwind's documentation): BUILD then SWAP, deterministic.
///
/// - BUILD: the first medoid minimises the sum of distances to all trajectories; each next one
///   is the trajectory that lowers the total distance to the nearest medoid most (ties: the
///   lowest position).
/// - SWAP: every (medoid, non-medoid) exchange is evaluated and the one that lowers the total
///   most is made, until none lowers it by more than 10⁻¹⁰ of the total (or after
///   ``maximumSwaps``). The k exchanges of one candidate are evaluated together in one pass
///   over the trajectories (Schubert & Rousseeuw's FastPAM1 bookkeeping), which finds the same
///   best exchange as PAM's k passes.
enum KMedoids {
    /// Upper bound on SWAP iterations (PAM normally needs a few).
    static let maximumSwaps = 1000

    /// A partition and its medoids.
    struct Outcome: Sendable, Equatable {
        /// Medoid positions (among the prepared trajectories), by cluster number (index 0 = cluster 1).
        var medoids: [Int]
        /// Cluster 1 … k per trajectory (nearest medoid; ties: the medoid of the lowest position).
        var assignments: [Int]
        /// Σ distance of each trajectory to its medoid (the distance's unit).
        var totalDistance: Double
        /// Exchanges made by SWAP.
        var swaps: Int
    }

    /// Row `o` of the matrix, all n values (0 at `o`).
    static func row(_ d: CondensedMatrix, _ o: Int, into out: inout [Double]) {
        let n = d.count
        d.values.withUnsafeBufferPointer { v in
            out.withUnsafeMutableBufferPointer { r in
                for j in 0..<o { r[j] = v[d.rowStarts[j] + o - j - 1] }
                r[o] = 0
                let start = d.rowStarts[o] - o - 1
                for j in (o + 1)..<n { r[j] = v[start + j] }
            }
        }
    }

    /// PAM with `k` medoids (1 ≤ k ≤ n).
    /// - Throws: ``ClusterError/cancelled``.
    static func cluster(_ d: CondensedMatrix, k: Int) throws(ClusterError) -> Outcome {
        let n = d.count
        var r = [Double](repeating: 0, count: n)
        // BUILD: the most central trajectory first.
        var sums = [Double](repeating: 0, count: n)
        for i in 0..<n {
            row(d, i, into: &r)
            var s = 0.0
            for j in 0..<n { s += r[j] }
            sums[i] = s
        }
        var first = 0
        for i in 1..<max(n, 1) where sums[i] < sums[first] { first = i }
        var medoids = [first]
        var isMedoid = [Bool](repeating: false, count: n)
        isMedoid[first] = true
        var nearest = [Double](repeating: 0, count: n)
        row(d, first, into: &r)
        for j in 0..<n { nearest[j] = r[j] }
        while medoids.count < k {
            if Task.isCancelled { throw .cancelled }
            var bestGain = -1.0, best = -1
            for o in 0..<n where !isMedoid[o] {
                row(d, o, into: &r)
                var gain = 0.0
                for j in 0..<n { gain += max(nearest[j] - r[j], 0) }
                if gain > bestGain { bestGain = gain; best = o }
            }
            medoids.append(best)
            isMedoid[best] = true
            row(d, best, into: &r)
            for j in 0..<n { nearest[j] = min(nearest[j], r[j]) }
        }
        // SWAP.
        var swaps = 0
        var owner = [Int](repeating: 0, count: n)
        var second = [Double](repeating: 0, count: n)
        var perMedoid = [Double](repeating: 0, count: k)
        while swaps < maximumSwaps {
            if Task.isCancelled { throw .cancelled }
            // Nearest and second-nearest medoid distances.
            for j in 0..<n { nearest[j] = .infinity; second[j] = .infinity }
            for (q, m) in medoids.enumerated() {
                row(d, m, into: &r)
                for j in 0..<n {
                    let v = r[j]
                    if v < nearest[j] {
                        second[j] = nearest[j]
                        nearest[j] = v
                        owner[j] = q
                    } else if v < second[j] {
                        second[j] = v
                    }
                }
            }
            var total = 0.0
            for j in 0..<n { total += nearest[j] }
            var bestDelta = 0.0, bestMedoid = -1, bestCandidate = -1
            for o in 0..<n where !isMedoid[o] {
                row(d, o, into: &r)
                var common = 0.0
                for q in 0..<k { perMedoid[q] = 0 }
                for j in 0..<n {
                    let v = r[j], dj = nearest[j]
                    let base = min(v - dj, 0)
                    common += base
                    perMedoid[owner[j]] += (min(v, second[j]) - dj) - base
                }
                for q in 0..<k {
                    let delta = common + perMedoid[q]
                    if delta < bestDelta { bestDelta = delta; bestMedoid = q; bestCandidate = o }
                }
            }
            guard bestMedoid >= 0, bestDelta < -1e-10 * total else { break }
            isMedoid[medoids[bestMedoid]] = false
            isMedoid[bestCandidate] = true
            medoids[bestMedoid] = bestCandidate
            swaps += 1
        }
        // Assign to the nearest medoid; ties to the lowest-positioned medoid.
        let byPosition = medoids.sorted()
        var label = [Int](repeating: 0, count: n)
        var total = 0.0
        for j in 0..<n { nearest[j] = .infinity }
        for m in byPosition {
            row(d, m, into: &r)
            for j in 0..<n where r[j] < nearest[j] {
                nearest[j] = r[j]
                label[j] = m
            }
        }
        // A medoid is in its own cluster even when another medoid is as near (duplicates).
        for m in medoids { label[m] = m }
        for j in 0..<n { total += nearest[j] }
        let numbers = ClusterNumbering.numbered(label)
        var ordered = [Int](repeating: 0, count: k)
        for (j, c) in numbers.enumerated() where label[j] == j { ordered[c - 1] = j }
        return Outcome(medoids: ordered, assignments: numbers, totalDistance: total, swaps: swaps)
    }

    /// The mean silhouette width (Rousseeuw 1987) of a partition under the matrix's distance:
    /// s(i) = (b − a)/max(a, b) with a the mean distance to the other members of i's cluster
    /// and b the smallest mean distance to another cluster's members; 0 for a member alone in
    /// its cluster. NaN for one cluster.
    static func silhouette(_ d: CondensedMatrix, assignments: [Int], clusters k: Int) -> Double {
        let n = d.count
        guard k >= 2, n >= 2 else { return .nan }
        var size = [Double](repeating: 0, count: k)
        for c in assignments { size[c - 1] += 1 }
        var r = [Double](repeating: 0, count: n)
        var sums = [Double](repeating: 0, count: k)
        var total = 0.0
        for i in 0..<n {
            row(d, i, into: &r)
            for q in 0..<k { sums[q] = 0 }
            for j in 0..<n { sums[assignments[j] - 1] += r[j] }
            let own = assignments[i] - 1
            guard size[own] > 1 else { continue }
            let a = sums[own] / (size[own] - 1)
            var b = Double.infinity
            for q in 0..<k where q != own && size[q] > 0 { b = min(b, sums[q] / size[q]) }
            let scale = max(a, b)
            if scale > 0 && scale.isFinite { total += (b - a) / scale }
        }
        return total / Double(n)
    }
}
