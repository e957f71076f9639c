import UpwindCore

/// Trajectory clustering (see the *Trajectory clustering* article in Upwind's documentation; issue 11 item 3): HYSPLIT's Ward agglomeration on the
/// total spatial variance, and k-medoids for the non-Euclidean distances.
///
/// ## Steps
/// 1. **Equal lengths** (``UnequalLengths``): truncate every trajectory to the shortest, or
///    drop those shorter than the modal length; the trajectories must share the start age and
///    the time step (``ClusterPreparation``). Only latitude and longitude are clustered.
/// 2. **Ward** (always; it gives the TSV curve): every endpoint is embedded as its 3-D
///    unit-sphere vector × 6371 km, so a trajectory of m endpoints is a point in R^3m and the
///    squared distance between two trajectories is the sum of squared chord lengths (km²)
///    between endpoints of equal age. HYSPLIT's TSV is then exactly Ward's error sum of
///    squares, and a merge raises it by n_a·n_b/(n_a + n_b)·‖μ_a − μ_b‖², which the
///    Lance–Williams formula updates exactly, so a nearest-neighbour chain finds the same
///    hierarchy as HYSPLIT's search over all pairs in O(n²) time instead of O(n³). Great-circle
///    D² would not do: it is not a squared Euclidean distance, and Lance–Williams and the
///    chain would no longer be exact. Chords are shorter than arcs by 0.12 % at 1,100 km and 0.5 % at 2,200 km
///    (cluster means are the 3-D centroids, i.e. inside the sphere).
/// 3. **k**: fixed, or (``ClusterCount/auto``) ``suggestedClusterCount(tsv:range:)`` on the
///    Ward TSV curve, for every distance (so one rule picks k however the trajectories are
///    then partitioned; the silhouette of a k-medoids partition is reported beside it).
/// 4. **Partition**: the Ward dendrogram cut at k (``ClusterDistance/ward``), or PAM k-medoids
///    on the chosen distance (``TrajectoryDistances``).
/// 5. **Means**: per common age, the members' unit vectors averaged and projected back onto
///    the sphere, and their mean height above ground.
///
/// ## Memory
/// Ward holds one condensed matrix of n(n − 1)/2 `Double`s (400 MB for n = 10,000; 1.6 GB for
/// 20,000) plus the embedded endpoints (n × 3m `Double`s, 17.5 MB for 10,000 × 73) and O(n)
/// bookkeeping; it is released before k-medoids builds its own matrix of the same size. Time
/// is O(n²·m) for the matrix (in parallel) and O(n²) for the chain.
public enum TrajectoryClustering {
    /// The TSV curve is reported for k = 1 … this many clusters (TrajStat's default maximum).
    public static let tsvCurveMaximumClusters = 30

    /// The most trajectories clustered at once: Ward's condensed matrix then holds 1.6 GB
    /// (n²/2 doubles), and the time grows as n². More are refused with
    /// ``ClusterError/tooManyTrajectories(count:maximum:)``.
    public static let maximumTrajectories = 20_000

    /// The numbers of clusters ``suggestedClusterCount(tsv:range:)`` chooses from by default.
    public static let suggestionRange: ClosedRange<Int> = 2...10

    /// Clusters trajectories.
    /// - Parameters:
    ///   - trajectories: the trajectories (back or forward, one time step); only latitude and
    ///     longitude are clustered, heights enter the means.
    ///   - k: the number of clusters, or `auto` (HYSPLIT's TSV suggestion).
    ///   - distance: Ward (HYSPLIT's TSV) or a k-medoids distance.
    ///   - unequal: how trajectories of different lengths are made equal.
    ///   - maxConcurrency: tasks computing distance matrices at once (the result does not depend on it).
    /// - Returns: the partition, the mean trajectories, the TSV curve and the counts.
    /// - Throws: ``ClusterError``: `invalidClusterCount` (k < 1), `noTrajectories`,
    ///   `tooShort`, `startAgeMismatch`, `timeStepMismatch`, `irregularTimeStep`,
    ///   `invalidEndpoint`, `tooFewTrajectories` (k above the number left), `cancelled`.
    public static func cluster(_ trajectories: [Trajectory], k: ClusterCount = .auto, distance: ClusterDistance = .ward,
                               unequal: UnequalLengths = .truncate, maxConcurrency: Int = 2) async throws(ClusterError) -> ClusterResult {
        if case .fixed(let n) = k, n < 1 { throw .invalidClusterCount(n) }
        guard trajectories.count <= maximumTrajectories else {
            throw .tooManyTrajectories(count: trajectories.count, maximum: maximumTrajectories)
        }
        let prepared = try PreparedTrajectories(trajectories, unequal: unequal)
        let n = prepared.count
        if case .fixed(let wanted) = k, wanted > n {
            throw .tooFewTrajectories(clusters: wanted, trajectories: n, dropped: prepared.preparation.droppedCount)
        }
        // Ward, for the curve (and the partition with the Ward distance).
        let (points, stride) = prepared.embedded(scale: TrajectoryDistances.earthRadiusKm)
        var costs = await WardLinkage.initialCosts(points: points, stride: stride, count: n, maxConcurrency: maxConcurrency)
        if Task.isCancelled { throw .cancelled }
        let dendrogram = try WardLinkage.dendrogram(&costs)
        costs = CondensedMatrix(count: 0)
        let curve = tsvCurve(dendrogram)
        let suggested = suggestedClusterCount(tsv: curve)
        let chosen: Int
        let rule: String
        switch k {
        case .fixed(let wanted):
            chosen = wanted
            rule = "fixed: \(wanted)"
        case .auto:
            chosen = min(suggested, n)
            rule = "auto: HYSPLIT's TSV elbow on the Ward curve of these trajectories, the k in \(suggestionRange.lowerBound)…\(suggestionRange.upperBound) just before the largest jump in %change of TSV (1 when the curve shows none)"
        }
        var labels: [Int]
        var medoids: [Int]?
        var medoidTotal: Double?
        var silhouette: Double?
        if distance == .ward {
            labels = dendrogram.assignments(clusters: chosen) ?? [Int](repeating: 1, count: n)
        } else {
            let matrix = await TrajectoryDistances.matrix(distance, of: prepared, maxConcurrency: maxConcurrency)
            if Task.isCancelled { throw .cancelled }
            let outcome = try KMedoids.cluster(matrix, k: chosen)
            labels = outcome.assignments
            medoids = outcome.medoids.map { prepared.preparation.usedIndices[$0] }
            medoidTotal = outcome.totalDistance
            silhouette = KMedoids.silhouette(matrix, assignments: labels, clusters: chosen)
        }
        var assignments = [Int?](repeating: nil, count: trajectories.count)
        for (t, index) in prepared.preparation.usedIndices.enumerated() { assignments[index] = labels[t] }
        return ClusterResult(distance: distance, requested: k, clusterCount: chosen, suggestedClusterCount: suggested, clusterCountRule: rule,
                             assignments: assignments, means: means(prepared, labels: labels, clusters: chosen), tsv: curve,
                             dendrogram: dendrogram, preparation: prepared.preparation, medoids: medoids,
                             medoidTotalDistance: medoidTotal, silhouette: silhouette)
    }

    /// HYSPLIT's suggested number of clusters: the k just before the largest jump in %change
    /// of TSV. Going from k + 1 to k clusters changes TSV by ``TSVPoint/changePct``(k); the
    /// jump at k is `changePct(k − 1) − changePct(k)`, how much larger the %change of the next
    /// merge (k → k − 1) is than that of the merge that made k. The k in `range` with the
    /// largest positive jump is suggested (ties: the smaller k): merging on from there joins
    /// clusters that are not alike. 1 when no jump in range is defined and positive (fewer than
    /// 4 trajectories, identical trajectories, or a curve without a renewed rise).
    /// - Parameters:
    ///   - tsv: the curve (any order; points with NaN %change are skipped).
    ///   - range: the ks considered (default ``suggestionRange``, 2…10).
    /// - Returns: the suggested k.
    public static func suggestedClusterCount(tsv: [TSVPoint], range: ClosedRange<Int> = suggestionRange) -> Int {
        var change: [Int: Double] = [:]
        for p in tsv where p.changePct.isFinite { change[p.clusters] = p.changePct }
        var best = 1, bestJump = 0.0
        for k in range {
            guard let after = change[k - 1], let before = change[k] else { continue }
            let jump = after - before
            if jump > bestJump { bestJump = jump; best = k }
        }
        return best
    }

    /// The TSV curve for k = 1 … min(n, ``tsvCurveMaximumClusters``): TSV(k) is the sum of
    /// the merge costs of the first n − k merges (Ward's error sum of squares is exactly the
    /// sum of its merge costs; summed smallest first, and exactly 0 for identical trajectories).
    static func tsvCurve(_ dendrogram: WardDendrogram) -> [TSVPoint] {
        let n = dendrogram.leafCount
        let top = min(n, tsvCurveMaximumClusters)
        guard top >= 1 else { return [] }
        // tsv[k] for k = n, n − 1, … 1 as the merges accumulate; only k ≤ top + 1 kept.
        var tsv = [Double](repeating: .nan, count: top + 2)
        var sum = 0.0
        if n <= top + 1 { tsv[n] = 0 }
        for (s, m) in dendrogram.merges.enumerated() {
            sum += m.tsvIncreaseKm2
            let k = n - s - 1
            if k <= top + 1 { tsv[k] = sum }
        }
        return (1...top).map { k in
            let next = tsv[k + 1]
            let change = (next.isFinite && next > 0) ? 100 * (tsv[k] - next) / next : .nan
            return TSVPoint(clusters: k, tsvKm2: tsv[k], changePct: change)
        }
    }

    /// The mean trajectory of each cluster (see ``ClusterMeanPoint``).
    static func means(_ p: PreparedTrajectories, labels: [Int], clusters k: Int) -> [ClusterMeanTrajectory] {
        let m = p.length
        var vx = [Double](repeating: 0, count: k * m), vy = vx, vz = vx, h = vx
        var counts = [Int](repeating: 0, count: k)
        for (t, c) in labels.enumerated() {
            counts[c - 1] += 1
            for i in 0..<m {
                let u = Geodesy.unitVector(latitude: p.latitudes[t * m + i], longitude: p.longitudes[t * m + i])
                let q = (c - 1) * m + i
                vx[q] += u.x
                vy[q] += u.y
                vz[q] += u.z
                h[q] += p.heights[t * m + i]
            }
        }
        return (0..<k).map { c in
            let points = (0..<m).map { i -> ClusterMeanPoint in
                let q = c * m + i
                let v = Vec3(vx[q], vy[q], vz[q])
                let age = p.preparation.ages[i]
                guard counts[c] > 0, v.length > 1e-12 * Double(counts[c]) else {
                    return ClusterMeanPoint(ageHours: age, latitude: .nan, longitude: .nan, heightAGL: counts[c] > 0 ? h[q] / Double(counts[c]) : .nan)
                }
                let ll = Geodesy.latLon(v)
                return ClusterMeanPoint(ageHours: age, latitude: ll.latitude, longitude: ll.longitude, heightAGL: h[q] / Double(counts[c]))
            }
            return ClusterMeanTrajectory(cluster: c + 1, trajectoryCount: counts[c], points: points)
        }
    }
}
