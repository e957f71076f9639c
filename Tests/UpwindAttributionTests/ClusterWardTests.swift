import Testing
import UpwindCore
@testable import UpwindAttribution

@Suite("Ward clustering (HYSPLIT TSV)")
struct ClusterWardTests {
    @Test("three bundles of straight trajectories: 3 clusters exactly, suggested k = 3, numbered by size")
    func threeBundlesAuto() async throws {
        let (trajectories, bundle) = threeBundles()
        let r = try await TrajectoryClustering.cluster(trajectories, k: .auto, distance: .ward)
        #expect(r.suggestedClusterCount == 3)
        #expect(r.clusterCount == 3)
        // Bundles of 6, 5 and 4 are clusters 1, 2 and 3.
        #expect(r.assignments == bundle.map { Optional($0 + 1) })
        #expect(r.sizes == [6, 5, 4])
        #expect(r.tsv.count == 15 && r.tsv.map(\.clusters) == Array(1...15))
        #expect(r.tsv[14].tsvKm2 == 0 && r.tsv[14].changePct.isNaN)
        // The %change of the merge from 3 to 2 clusters dwarfs the one before it.
        #expect(r.tsv[1].changePct > 20 * r.tsv[2].changePct)
        // Cut any k from the same dendrogram: 2 clusters join two bundles, 15 is one per trajectory.
        let two = try #require(r.assignments(clusters: 2))
        #expect(Set(two.compactMap { $0 }) == [1, 2])
        #expect(Set(zip(bundle, two).map { "\($0)-\($1 ?? 0)" }).count == 3)
        #expect(try #require(r.assignments(clusters: 15)).compactMap { $0 }.sorted() == Array(1...15))
        #expect(r.assignments(clusters: 0) == nil && r.assignments(clusters: 16) == nil)
    }

    @Test("Ward ΔTSV at every merge equals the brute-force minimum over all pairs of the increase in Σ squared distances to cluster means")
    func bruteForce() async throws {
        var random = ClusterTestRandom(seed: 7)
        var trajectories: [Trajectory] = []
        for id in 1...13 {
            let points = (0..<4).map { _ in (30 + 10 * random.next(), 105 + 15 * random.next()) }
            trajectories.append(makeTrajectory(id, points))
        }
        let r = try await TrajectoryClustering.cluster(trajectories, k: .fixed(1))
        let x = trajectories.map(embed)
        var clusters: [Int: [Int]] = Dictionary(uniqueKeysWithValues: (0..<13).map { ($0, [$0]) })
        let merges = r.dendrogram.merges
        #expect(merges.count == 12)
        var cumulative = 0.0
        for (s, merge) in merges.enumerated() {
            var best = Double.infinity, pair = (-1, -1)
            let ids = clusters.keys.sorted()
            for (p, a) in ids.enumerated() {
                for b in ids[(p + 1)...] {
                    let sa = clusters[a] ?? [], sb = clusters[b] ?? []
                    let increase = errorSumOfSquares((sa + sb).map { x[$0] }) - errorSumOfSquares(sa.map { x[$0] }) - errorSumOfSquares(sb.map { x[$0] })
                    if increase < best { best = increase; pair = (a, b) }
                }
            }
            #expect(closeRelative(merge.tsvIncreaseKm2, best, relative: 1e-9), "merge \(s): \(merge.tsvIncreaseKm2) vs brute force \(best)")
            #expect(merge.first == pair.0 && merge.second == pair.1, "merge \(s)")
            let joined = (clusters[pair.0] ?? []) + (clusters[pair.1] ?? [])
            #expect(merge.size == joined.count)
            clusters[pair.0] = nil
            clusters[pair.1] = nil
            clusters[13 + s] = joined
            // The TSV curve at k = 13 − (s + 1) is the sum of the increases so far and the
            // direct Σ of squared distances to the cluster means.
            cumulative += best
            let k = 13 - (s + 1)
            let direct = clusters.values.reduce(0) { $0 + errorSumOfSquares($1.map { x[$0] }) }
            #expect(closeRelative(r.tsv[k - 1].tsvKm2, direct, relative: 1e-9) && closeRelative(direct, cumulative, relative: 1e-9))
        }
        // HYSPLIT's %change of TSV between consecutive k.
        #expect(r.tsv[12].tsvKm2 == 0 && r.tsv[12].changePct.isNaN && r.tsv[11].changePct.isNaN)
        for k in 1..<12 {
            let expected = 100 * (r.tsv[k - 1].tsvKm2 - r.tsv[k].tsvKm2) / r.tsv[k].tsvKm2
            #expect(closeRelative(r.tsv[k - 1].changePct, expected, relative: 1e-12))
        }
    }

    @Test("the suggestion rule on a hand-made curve: the k before the largest jump in %change, within 2…10")
    func suggestionRule() {
        // change(k) for k = 1 … 12 (k = 12: none).
        let change: [Double] = [60, 400, 35, 30, 90, 25, 20, 22, 18, 300, 800, .nan]
        let curve = change.enumerated().map { TSVPoint(clusters: $0.offset + 1, tsvKm2: 1, changePct: $0.element) }
        // Jumps change(k−1) − change(k): k=2: 60−400<0, k=3: 400−35 = 365, k=6: 90−25 = 65, k=10: 18−300 < 0.
        #expect(TrajectoryClustering.suggestedClusterCount(tsv: curve) == 3)
        #expect(TrajectoryClustering.suggestedClusterCount(tsv: curve, range: 4...10) == 6)
        // The early merges' huge %changes (k = 11) lie outside the range.
        #expect(TrajectoryClustering.suggestedClusterCount(tsv: curve, range: 2...12) == 3)
        // %change that only falls as merging goes on (rises with k): no positive jump, so 1.
        let flat = (1...8).map { TSVPoint(clusters: $0, tsvKm2: 1, changePct: Double(10 + $0)) }
        #expect(TrajectoryClustering.suggestedClusterCount(tsv: flat) == 1)
        #expect(TrajectoryClustering.suggestedClusterCount(tsv: []) == 1)
    }

    @Test("identical trajectories: TSV 0 everywhere, %change undefined (NaN), suggestion 1")
    func identical() async throws {
        let t = (1...5).map { makeTrajectory($0, [(35, 114), (35.5, 113), (36, 112)]) }
        let r = try await TrajectoryClustering.cluster(t)
        #expect(r.tsv.allSatisfy { $0.tsvKm2 == 0 && $0.changePct.isNaN })
        #expect(r.suggestedClusterCount == 1 && r.clusterCount == 1 && r.assignments == [1, 1, 1, 1, 1])
    }

    @Test("cluster means: 3-D mean of unit vectors projected back, mean height; ages of the common axis")
    func means() async throws {
        // Two trajectories mirrored about the equator, and about 180° E: the mean runs along the
        // equator at the mean longitude across the antimeridian.
        let a = makeTrajectory(1, [(0, 179.5), (10, 179), (20, 178)], heights: [100, 300, 500])
        let b = makeTrajectory(2, [(0, -179.5), (-10, -179), (-20, -178)], heights: [200, 500, 900])
        let r = try await TrajectoryClustering.cluster([a, b], k: .fixed(1))
        let m = try #require(r.means.first)
        #expect(m.cluster == 1 && m.trajectoryCount == 2 && m.points.map(\.ageHours) == [0, -1, -2])
        for p in m.points {
            #expect(abs(p.latitude) < 1e-9 && abs(abs(p.longitude) - 180) < 1e-9, "\(p)")
        }
        #expect(m.points.map(\.heightAGL) == [150, 400, 700])
        // Two points 20° apart on one meridian: the mean is the midpoint.
        let c = makeTrajectory(3, [(0, 10), (10, 10)]), d = makeTrajectory(4, [(0, 10), (30, 10)])
        let r2 = try await TrajectoryClustering.cluster([c, d], k: .fixed(1))
        #expect(abs((r2.means.first?.points[1].latitude ?? .nan) - 20) < 1e-9)
    }

    @Test("the condensed matrix is bitwise the same for any concurrency and block size")
    func concurrency() async {
        var random = ClusterTestRandom(seed: 3)
        let values = (0..<(40 * 8)).map { _ in 100 * random.next() }
        let serial = await CondensedMatrix.build(count: 40, maxConcurrency: 1) { i, out in
            for j in (i + 1)..<40 { out[j - i - 1] = values[i * 8 + j % 8] * Double(j) }
        }
        for (cores, block) in [(2, 7), (3, 50), (2, 1 << 20)] {
            let parallel = await CondensedMatrix.build(count: 40, maxConcurrency: cores, blockEntries: block) { i, out in
                for j in (i + 1)..<40 { out[j - i - 1] = values[i * 8 + j % 8] * Double(j) }
            }
            #expect(parallel.values.map(\.bitPattern) == serial.values.map(\.bitPattern))
        }
        #expect(serial[3, 17] == values[3 * 8 + 17 % 8] * 17 && serial[17, 3] == serial[3, 17] && serial[5, 5] == 0)
    }

    @Test("Ward's initial costs, computed in tiles of rows across blocks, equal ½‖x_i − x_j‖² for every pair, bitwise")
    func tiledCosts() async throws {
        var random = ClusterTestRandom(seed: 5)
        let trajectories = (1...37).map { id in makeTrajectory(id, (0..<3).map { _ in (20 + 30 * random.next(), 90 + 40 * random.next()) }) }
        let prepared = try PreparedTrajectories(trajectories, unequal: .truncate)
        let (points, stride) = prepared.embedded(scale: 6371)
        #expect(stride == 16)
        var expected: [UInt64] = []
        points.withUnsafeBufferPointer { p in
            guard let base = p.baseAddress else { return }
            for i in 0..<37 { for j in (i + 1)..<37 { expected.append((0.5 * WardLinkage.squaredDistance(base + i * stride, base + j * stride, count: stride)).bitPattern) } }
        }
        for (cores, block) in [(1, 1 << 20), (2, 5), (3, 40), (2, 200)] {
            let m = await WardLinkage.initialCosts(points: points, stride: stride, count: 37, maxConcurrency: cores, blockEntries: block)
            #expect(m.values.map(\.bitPattern) == expected, "\(cores) cores, blocks of \(block)")
        }
        // And ½‖x_i − x_j‖² is the brute-force ½ Σ over endpoints of squared chords (km²).
        let x = trajectories.map(embed)
        let direct = 0.5 * zip(x[3], x[30]).reduce(0.0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
        #expect(closeRelative(Double(bitPattern: expected[CondensedMatrix(count: 37).index(3, 30)]), direct, relative: 1e-12))
    }
}
