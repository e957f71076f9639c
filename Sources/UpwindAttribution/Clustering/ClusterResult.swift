/// What ``TrajectoryClustering/cluster(_:k:distance:unequal:maxConcurrency:)`` found.
public struct ClusterResult: Sendable {
    /// The distance clustered by.
    public var distance: ClusterDistance
    /// The number of clusters asked for.
    public var requested: ClusterCount
    /// The number of clusters made, k.
    public var clusterCount: Int
    /// HYSPLIT's suggestion from the Ward TSV curve of the same trajectories
    /// (``TrajectoryClustering/suggestedClusterCount(tsv:range:)``), whatever the distance.
    public var suggestedClusterCount: Int
    /// How k was chosen, one line (recorded in `run.json`).
    public var clusterCountRule: String
    /// Cluster 1 … k of each trajectory given, in the order given; nil for a dropped one.
    /// Clusters are numbered by size, largest first (equal sizes: by their first trajectory).
    public var assignments: [Int?]
    /// The mean trajectory of each cluster, cluster 1 first.
    public var means: [ClusterMeanTrajectory]
    /// The Ward TSV curve for k = 1 … min(n, ``TrajectoryClustering/tsvCurveMaximumClusters``).
    public var tsv: [TSVPoint]
    /// The whole Ward hierarchy of the clustered trajectories (always computed: it gives the
    /// TSV curve), so any other k is one cut away (``assignments(clusters:)``).
    public var dendrogram: WardDendrogram
    /// How the trajectories were made equal in length, with counts.
    public var preparation: ClusterPreparation
    /// k-medoids only: each cluster's medoid as a 0-based position in the list given, cluster 1 first.
    public var medoids: [Int]?
    /// k-medoids only: Σ distance of each trajectory to its medoid (km for great-circle,
    /// degrees for Euclidean degrees, radians for the angle).
    public var medoidTotalDistance: Double?
    /// k-medoids only: the mean silhouette width of the partition under its distance (−1 … 1;
    /// NaN for one cluster), as extra information on k.
    public var silhouette: Double?

    /// Creates a result (normally made by ``TrajectoryClustering``).
    public init(distance: ClusterDistance, requested: ClusterCount, clusterCount: Int, suggestedClusterCount: Int, clusterCountRule: String,
                assignments: [Int?], means: [ClusterMeanTrajectory], tsv: [TSVPoint], dendrogram: WardDendrogram,
                preparation: ClusterPreparation, medoids: [Int]? = nil, medoidTotalDistance: Double? = nil, silhouette: Double? = nil) {
        self.distance = distance
        self.requested = requested
        self.clusterCount = clusterCount
        self.suggestedClusterCount = suggestedClusterCount
        self.clusterCountRule = clusterCountRule
        self.assignments = assignments
        self.means = means
        self.tsv = tsv
        self.dendrogram = dendrogram
        self.preparation = preparation
        self.medoids = medoids
        self.medoidTotalDistance = medoidTotalDistance
        self.silhouette = silhouette
    }

    /// Trajectories per cluster, cluster 1 first.
    public var sizes: [Int] { means.map(\.trajectoryCount) }

    /// The Ward partition into `k` clusters (a cut of ``dendrogram``, whatever ``distance``),
    /// per trajectory given (nil for a dropped one), numbered as ``assignments``; nil when k
    /// is not in 1 … the number clustered.
    public func assignments(clusters k: Int) -> [Int?]? {
        guard let cut = dendrogram.assignments(clusters: k) else { return nil }
        var out = [Int?](repeating: nil, count: preparation.inputCount)
        for (t, index) in preparation.usedIndices.enumerated() { out[index] = cut[t] }
        return out
    }

    /// One row per cluster: its size, its share of the clustered trajectories (%) and the mean
    /// of `values` over its members that have one.
    /// - Parameter values: a receptor value per trajectory given, in the order given (nil, NaN
    ///   or a missing entry: no value).
    public func summary(values: [Double?] = []) -> [ClusterSummaryRow] {
        let used = Double(preparation.usedCount)
        var sum = [Double](repeating: 0, count: clusterCount)
        var n = [Int](repeating: 0, count: clusterCount)
        for (i, c) in assignments.enumerated() {
            guard let c, i < values.count, let v = values[i], v.isFinite else { continue }
            sum[c - 1] += v
            n[c - 1] += 1
        }
        return means.map { m in
            let c = m.cluster - 1
            return ClusterSummaryRow(cluster: m.cluster, count: m.trajectoryCount, sharePct: 100 * Double(m.trajectoryCount) / used,
                                     meanValue: n[c] > 0 ? sum[c] / Double(n[c]) : .nan, valueCount: n[c])
        }
    }
}
