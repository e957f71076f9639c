/// One merge of Ward agglomeration: two clusters joined at the smallest increase in total
/// spatial variance (HYSPLIT's criterion; see the *Trajectory clustering* article in Upwind's documentation).
public struct ClusterMerge: Sendable, Equatable {
    /// The smaller of the two cluster ids joined. Ids 0 ..< n are the clustered trajectories
    /// (their positions among ``ClusterPreparation/usedIndices``); id n + s is the cluster made
    /// by merge s (0-based), as in SciPy's linkage matrix.
    public var first: Int
    /// The larger of the two cluster ids joined.
    public var second: Int
    /// The increase in total spatial variance, km²: n_a·n_b/(n_a + n_b)·‖μ_a − μ_b‖² over the
    /// embedded endpoints (Ward's merge cost).
    public var tsvIncreaseKm2: Double
    /// Trajectories in the cluster made.
    public var size: Int

    /// Creates a merge record.
    public init(first: Int, second: Int, tsvIncreaseKm2: Double, size: Int) {
        self.first = first
        self.second = second
        self.tsvIncreaseKm2 = tsvIncreaseKm2
        self.size = size
    }
}
