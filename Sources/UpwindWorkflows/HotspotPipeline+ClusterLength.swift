import UpwindCore
import UpwindFormats

extension HotspotPipeline {
    /// How the pipeline makes its trajectories equal in length before clustering (every
    /// clustering method, HYSPLIT's cluster tool too, needs equal lengths; see the *Trajectory
    /// clustering* article in Upwind's documentation).
    ///
    /// Back trajectories that leave a regional met grid stop early. Truncating every trajectory
    /// to the shortest one (`UnequalLengths.truncate`) would let a handful of early stops cut
    /// thousands of trajectories to a few hours; keeping only the modal length
    /// (`UnequalLengths.drop`) may drop most of a run. The pipeline instead takes as the
    /// common length the **longest age that at least 90 % of the trajectories reach**
    /// (``HotspotPipeline/clusteredReachShare``), drops the shorter ones (counted) and truncates
    /// the rest to it, as an analyst choosing HYSPLIT's "hours to cluster" would:
    /// with the n lengths (endpoint counts) sorted in descending order s₁ ≥ s₂ ≥ … ≥ sₙ, the
    /// common length is s_k with k = ⌈0.9·n⌉, so that at least 90 % of the trajectories have
    /// s_k endpoints or more and fewer than 90 % have more.
    public struct ClusterLength: Sendable, Equatable {
        /// Trajectories considered (the run's).
        public var inputCount: Int
        /// Endpoints per clustered trajectory, the age-0 point included (0 without trajectories).
        public var endpoints: Int
        /// The common age, h: the |age| of the last common endpoint (NaN without trajectories).
        public var ageHours: Double
        /// The share of trajectories that had to reach it (0.9).
        public var reachShare: Double
        /// 0-based positions of the trajectories kept (those with at least ``endpoints``
        /// endpoints), ascending.
        public var kept: [Int]
        /// Kept trajectories longer than the common length, truncated to it.
        public var truncatedCount: Int

        /// Trajectories dropped as shorter than the common length.
        public var droppedShortCount: Int { inputCount - kept.count }

        /// The rule in words, for `run.json`.
        public var rule: String {
            "the longest age at least \(JSONText.number(100 * reachShare)) % of the trajectories reach; shorter trajectories dropped, longer ones truncated to it"
        }

        /// `over 48 h (12 shorter trajectories dropped, 3012 truncated)`.
        public var summary: String {
            "over \(JSONText.number(ageHours)) h (\(droppedShortCount) shorter trajectories dropped, \(truncatedCount) truncated)"
        }

        /// What `run.json` records: `clustered_length_rule`, `clustered_age_h`,
        /// `clustered_dropped_short`, `clustered_truncated`.
        public var record: [(String, JSONValue)] {
            [("clustered_length_rule", .string(rule)),
             ("clustered_age_h", ageHours.isFinite ? .number(ageHours) : .null),
             ("clustered_dropped_short", .number(Double(droppedShortCount))),
             ("clustered_truncated", .number(Double(truncatedCount)))]
        }
    }

    /// The common clustering length of `trajectories` (see ``ClusterLength``).
    /// - Parameters:
    ///   - trajectories: the trajectories (hourly endpoints from age 0, as the engine writes them).
    ///   - share: the share that must reach the common length, in (0, 1] (default 0.9); values
    ///     outside are clamped to it.
    /// - Returns: the common length, the positions kept and the counts.
    public static func clusterLength(_ trajectories: [Trajectory], reaching share: Double = clusteredReachShare) -> ClusterLength {
        let p = share.isFinite ? min(max(share, 1e-9), 1) : 1
        let lengths = trajectories.map(\.endpoints.count)
        guard !lengths.isEmpty else {
            return ClusterLength(inputCount: 0, endpoints: 0, ageHours: .nan, reachShare: p, kept: [], truncatedCount: 0)
        }
        let sorted = lengths.sorted(by: >)
        // k = ⌈p·n⌉ (tolerating the rounding of p·n, e.g. 0.9 × 10 = 9.000000000000002).
        let k = min(max(Int((p * Double(sorted.count) - 1e-9).rounded(.up)), 1), sorted.count)
        let m = sorted[k - 1]
        let kept = lengths.indices.filter { lengths[$0] >= m }
        let age = kept.first.flatMap { i in m > 0 ? abs(trajectories[i].endpoints[m - 1].ageHours) : nil } ?? .nan
        return ClusterLength(inputCount: lengths.count, endpoints: m, ageHours: age, reachShare: p, kept: kept,
                             truncatedCount: kept.filter { lengths[$0] > m }.count)
    }
}
