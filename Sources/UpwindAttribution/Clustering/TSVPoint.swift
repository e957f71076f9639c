/// One point of the total-spatial-variance curve (HYSPLIT's TSV plot; see the *Trajectory clustering* article in Upwind's documentation).
public struct TSVPoint: Sendable, Equatable {
    /// Number of clusters k.
    public var clusters: Int
    /// Total spatial variance of the Ward partition into k clusters, km²: Σ over trajectories
    /// and endpoints of the squared distance from each embedded endpoint to its cluster-mean
    /// endpoint (equal to the sum of the first n − k merge costs, which is how it is computed).
    public var tsvKm2: Double
    /// HYSPLIT's percent change of TSV at the merge that leaves k clusters:
    /// `100 · (TSV(k) − TSV(k + 1)) / TSV(k + 1)`. NaN when undefined: for k = n (no merge yet)
    /// and when TSV(k + 1) = 0 (identical trajectories).
    public var changePct: Double

    /// Creates a curve point.
    public init(clusters: Int, tsvKm2: Double, changePct: Double) {
        self.clusters = clusters
        self.tsvKm2 = tsvKm2
        self.changePct = changePct
    }
}
