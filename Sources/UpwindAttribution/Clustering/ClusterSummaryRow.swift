/// One row of a cluster summary (`cluster_summary.csv`).
public struct ClusterSummaryRow: Sendable, Equatable {
    /// Cluster number, 1 … k.
    public var cluster: Int
    /// Trajectories in the cluster.
    public var count: Int
    /// The cluster's share of the clustered trajectories, %.
    public var sharePct: Double
    /// Mean receptor value of the cluster's trajectories that have one (the observations'
    /// unit); NaN when none has.
    public var meanValue: Double
    /// How many of the cluster's trajectories have a receptor value.
    public var valueCount: Int

    /// Creates a row.
    public init(cluster: Int, count: Int, sharePct: Double, meanValue: Double, valueCount: Int) {
        self.cluster = cluster
        self.count = count
        self.sharePct = sharePct
        self.meanValue = meanValue
        self.valueCount = valueCount
    }
}
