import Testing
import UpwindCore
@testable import UpwindAttribution

/// The condensed matrix of |x_i − x_j|.
private func lineMatrix(_ x: [Double]) -> CondensedMatrix {
    var m = CondensedMatrix(count: x.count)
    for i in x.indices { for j in (i + 1)..<x.count { m.values[m.index(i, j)] = abs(x[i] - x[j]) } }
    return m
}

/// The smallest Σ distance to the nearest medoid over every k-subset (brute force).
private func optimum(_ d: CondensedMatrix, k: Int) -> Double {
    let n = d.count
    var best = Double.infinity
    func visit(_ start: Int, _ chosen: [Int]) {
        if chosen.count == k {
            let total = (0..<n).reduce(0.0) { s, j in s + (chosen.map { d[$0, j] }.min() ?? .infinity) }
            best = min(best, total)
            return
        }
        guard start < n else { return }
        for i in start..<n { visit(i + 1, chosen + [i]) }
    }
    visit(0, [])
    return best
}

/// PAM as published: BUILD, then SWAP evaluating every exchange by recomputing the total
/// (no bookkeeping), the best exchange made while it lowers the total by more than 10⁻¹⁰ of it.
private func plainPAM(_ d: CondensedMatrix, k: Int) -> (medoids: [Int], total: Double) {
    let n = d.count
    func cost(_ m: [Int]) -> Double { (0..<n).reduce(0.0) { s, j in s + (m.map { d[$0, j] }.min() ?? .infinity) } }
    let sums = (0..<n).map { i in (0..<n).reduce(0.0) { $0 + d[i, $1] } }
    var medoids = [(0..<n).min { sums[$0] != sums[$1] ? sums[$0] < sums[$1] : $0 < $1 } ?? 0]
    while medoids.count < k {
        let candidates = (0..<n).filter { !medoids.contains($0) }
        let gains = candidates.map { o in (0..<n).reduce(0.0) { s, j in s + max((medoids.map { d[$0, j] }.min() ?? 0) - d[o, j], 0) } }
        var best = 0
        for q in gains.indices where gains[q] > gains[best] { best = q }
        medoids.append(candidates[best])
    }
    while true {
        let total = cost(medoids)
        var bestDelta = 0.0, swap: (Int, Int)?
        for q in 0..<k {
            for o in 0..<n where !medoids.contains(o) {
                var trial = medoids
                trial[q] = o
                let delta = cost(trial) - total
                if delta < bestDelta { bestDelta = delta; swap = (q, o) }
            }
        }
        guard let (q, o) = swap, bestDelta < -1e-10 * total else { return (medoids, total) }
        medoids[q] = o
    }
}

@Suite("k-medoids (PAM)")
struct ClusterMedoidTests {
    @Test("points on a line with a known optimum: medoids 1, 11 and 30, total 4, equal to brute force")
    func knownOptimum() throws {
        let x: [Double] = [30, 0, 11, 1, 2, 12, 10]
        let d = lineMatrix(x)
        let o = try KMedoids.cluster(d, k: 3)
        #expect(o.totalDistance == 4 && optimum(d, k: 3) == 4)
        // Clusters by size: {0,1,2} (medoid 1) and {10,11,12} (medoid 11) have 3 members each and
        // go by their first member (position 1 holds 0, position 2 holds 11), then {30}.
        #expect(o.medoids.map { x[$0] } == [1, 11, 30])
        #expect(o.assignments == [3, 1, 2, 1, 1, 2, 2])
    }

    @Test("PAM's bookkeeping equals a plain PAM that recomputes the total for every swap; never below the brute-force optimum")
    func randomSets() throws {
        var random = ClusterTestRandom(seed: 11)
        var optimal = 0
        for trial in 0..<6 {
            let n = 9
            var d = CondensedMatrix(count: n)
            let p = (0..<n).map { _ in (random.next(), random.next()) }
            for i in 0..<n { for j in (i + 1)..<n { d.values[d.index(i, j)] = ((p[i].0 - p[j].0) * (p[i].0 - p[j].0) + (p[i].1 - p[j].1) * (p[i].1 - p[j].1)).squareRoot() } }
            for k in 1...3 {
                let o = try KMedoids.cluster(d, k: k)
                let plain = plainPAM(d, k: k)
                #expect(closeRelative(o.totalDistance, plain.total, relative: 1e-12) && Set(o.medoids) == Set(plain.medoids), "trial \(trial), k \(k)")
                let best = optimum(d, k: k)
                #expect(o.totalDistance >= best - 1e-12)
                if closeRelative(o.totalDistance, best, relative: 1e-12) { optimal += 1 }
                #expect(try KMedoids.cluster(d, k: k) == o)
            }
        }
        // PAM is a local search: here it misses the optimum once (trial 2, k = 2, as a plain PAM does too).
        #expect(optimal == 17)
    }

    @Test("silhouette by hand: two tight pairs far apart")
    func silhouette() {
        // 0, 1 | 10, 12: s(0) = (11 − 1)/11, s(1) = (10 − 1)/10, s(10) = (9.5 − 2)/9.5, s(12) = (11.5 − 2)/11.5.
        let d = lineMatrix([0, 1, 10, 12])
        let expected = (10.0 / 11 + 9.0 / 10 + 7.5 / 9.5 + 9.5 / 11.5) / 4
        #expect(abs(KMedoids.silhouette(d, assignments: [1, 1, 2, 2], clusters: 2) - expected) < 1e-15)
        #expect(KMedoids.silhouette(d, assignments: [1, 1, 1, 1], clusters: 1).isNaN)
    }

    @Test("three bundles by every k-medoids distance: the bundles exactly, k = 3 from auto, medoids among members")
    func bundles() async throws {
        let (trajectories, bundle) = threeBundles()
        for distance in [ClusterDistance.greatCircle, .euclideanDegrees, .angle] {
            let r = try await TrajectoryClustering.cluster(trajectories, k: .auto, distance: distance)
            #expect(r.clusterCount == 3 && r.suggestedClusterCount == 3, "\(distance)")
            #expect(r.assignments == bundle.map { Optional($0 + 1) }, "\(distance)")
            let medoids = try #require(r.medoids)
            #expect(medoids.count == 3 && medoids.enumerated().allSatisfy { bundle[$0.element] == $0.offset }, "\(distance)")
            #expect((r.silhouette ?? .nan) > 0.5, "\(distance)")
            // The Ward curve is reported whatever the distance.
            #expect(r.tsv.count == 15)
        }
    }
}
