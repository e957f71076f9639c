/// What one trajectory's fire matches add to one region's fire score (issue 11 items 1–2): the
/// lead's fire matching computes these from fire points and endpoints; the region statistics
/// sum them per region (``RegionStatistics/fireScore``) and resample them with their trajectory
/// in the bootstrap.
public struct RegionFireContribution: Sendable, Equatable {
    /// The trajectory, 0-based in the trajectories given to ``RegionAttribution/compute(trajectories:values:settings:criterionValue:regions:cells:fires:home:rankBy:resamples:seed:maxConcurrency:)``.
    public var trajectory: Int
    /// The region, 0-based in ``RegionIndex/regions``.
    public var region: Int
    /// The score added (the fire-score formula's units, FRP-weighted), finite and ≥ 0.
    public var score: Double

    /// Creates a contribution.
    /// - Parameters:
    ///   - trajectory: 0-based trajectory index.
    ///   - region: 0-based region index.
    ///   - score: the score, finite, ≥ 0.
    public init(trajectory: Int, region: Int, score: Double) {
        self.trajectory = trajectory
        self.region = region
        self.score = score
    }
}

/// The fire inputs of the region statistics: trajectory contributions and per-region fire
/// counts (both computed by fire matching; carried into `fire_score` and `fire_count`).
public struct RegionFires: Sendable, Equatable {
    /// The contributions (any order; several per trajectory and region add up).
    public var contributions: [RegionFireContribution]
    /// Fires located in each region, one count per region of the index, in its order.
    public var counts: [Int]

    /// Creates the fire inputs.
    /// - Parameters:
    ///   - contributions: trajectory–region scores.
    ///   - counts: fires per region, in ``RegionIndex/regions`` order.
    public init(contributions: [RegionFireContribution], counts: [Int]) {
        self.contributions = contributions
        self.counts = counts
    }
}

/// The joint-control view (issue 11 item 1): a second set of regions (e.g. China's provinces)
/// and the id of the home region (e.g. Henan, `410000`).
public struct RegionHome: Sendable {
    /// The home-regions index.
    public var index: RegionIndex
    /// The id of the home region in it.
    public var id: String

    /// Creates the home view's inputs.
    /// - Parameters:
    ///   - index: the home regions.
    ///   - id: the home region's id.
    public init(index: RegionIndex, id: String) {
        self.index = index
        self.id = id
    }
}
