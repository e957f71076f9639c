/// One region's statistics, a row of `regions.csv` (issue 11 item 4). Residence is in hours
/// (each counted endpoint weighs its spacing, normally 1 h; ``RegionAttribution``); undefined
/// values are NaN, never 0.
public struct RegionStatistics: Sendable, Equatable {
    /// 1-based rank by the result's ``RegionAttributionResult/rankBy`` score.
    public var rank: Int
    /// The region's 0-based index in ``RegionIndex/regions``.
    public var region: Int
    /// The region id.
    public var id: String
    /// The region label.
    public var name: String
    /// `polluted_share`: ``pollutedResidenceHours`` over the polluted residence of every counted
    /// endpoint (inside any region or not), 0–1; NaN without polluted residence.
    public var pollutedShare: Double
    /// `residence_h`: hours counted endpoints of all trajectories spent in the region.
    public var residenceHours: Double
    /// `polluted_residence_h`: the part of ``residenceHours`` from polluted trajectories, h.
    public var pollutedResidenceHours: Double
    /// The part of ``residenceHours`` from clean (not polluted) trajectories, h.
    public var cleanResidenceHours: Double
    /// `enhancement_ratio`: (polluted residence here / all polluted residence) over (clean
    /// residence here / all clean residence), dimensionless; NaN when the region has no clean
    /// residence or either total is 0.
    public var enhancementRatio: Double
    /// `pscf`: the grid's PSCF averaged over the region, each cell weighted by its area inside
    /// the region (cells where PSCF is defined); NaN when no such cell overlaps the region.
    public var pscf: Double
    /// `wpscf`: the same for weighted PSCF.
    public var wpscf: Double
    /// `cwt`: the same for CWT, the receptor values' unit.
    public var cwt: Double
    /// `wcwt`: the same for weighted CWT, the receptor values' unit.
    public var wcwt: Double
    /// `fire_score`: the sum of the region's fire contributions; NaN without fire inputs.
    public var fireScore: Double
    /// `fire_count`: fires in the region; nil without fire inputs.
    public var fireCount: Int?
    /// `n_endpoints`: counted endpoints in the region.
    public var nEndpoints: Int
    /// `n_trajectories`: distinct trajectories with a counted endpoint in the region.
    public var nTrajectories: Int
    /// `rank_low`: the 5th percentile of the region's bootstrap ranks (the better end); nil
    /// without a bootstrap.
    public var rankLow: Int?
    /// `rank_high`: the 95th percentile of the region's bootstrap ranks; nil without a bootstrap.
    public var rankHigh: Int?

    /// The value of a score column (counts as numbers; `fire_count` NaN without fires).
    /// - Parameter score: the column.
    /// - Returns: its value.
    public func value(of score: RegionScore) -> Double {
        switch score {
        case .pollutedShare: return pollutedShare
        case .residenceHours: return residenceHours
        case .pollutedResidenceHours: return pollutedResidenceHours
        case .enhancementRatio: return enhancementRatio
        case .pscf: return pscf
        case .wpscf: return wpscf
        case .cwt: return cwt
        case .wcwt: return wcwt
        case .fireScore: return fireScore
        case .fireCount: return fireCount.map(Double.init) ?? .nan
        case .nEndpoints: return Double(nEndpoints)
        case .nTrajectories: return Double(nTrajectories)
        }
    }
}

/// One feature of the home-regions file, a row of `outside_home.csv`
/// (`id,name,polluted_residence_h,polluted_share,is_home`).
public struct RegionHomeRow: Sendable, Equatable {
    /// The feature's 0-based index in the home index.
    public var region: Int
    /// Its id.
    public var id: String
    /// Its label.
    public var name: String
    /// Hours counted endpoints of polluted trajectories spent in it.
    public var pollutedResidenceHours: Double
    /// Its share of all polluted residence (0–1); NaN without polluted residence.
    public var pollutedShare: Double
    /// True for the home region.
    public var isHome: Bool
}

/// The joint-control view: where polluted residence was, by home-file feature.
public struct RegionHomeResult: Sendable, Equatable {
    /// The home region's id.
    public var homeID: String
    /// Its 0-based index in the home index.
    public var homeRegion: Int
    /// One row per feature of the home file, in file order.
    public var rows: [RegionHomeRow]
    /// Polluted residence outside every feature of the home file, h.
    public var pollutedResidenceOutsideAllHours: Double
    /// The share of polluted residence spent outside the home region (1 − the home row's
    /// share; endpoints outside every feature count as outside), 0–1; NaN without polluted
    /// residence.
    public var outsideHomeShare: Double
}

/// Totals over every counted endpoint (the age and height filters of the receptor grid).
public struct RegionTotals: Sendable, Equatable {
    /// Trajectories counted (skipped ones not included).
    public var trajectories: Int
    /// Of those, polluted ones.
    public var pollutedTrajectories: Int
    /// Trajectories skipped because their value is the settings' missing value.
    public var skippedTrajectories: Int
    /// Endpoints counted.
    public var endpoints: Int
    /// Of those, endpoints in no region.
    public var endpointsOutside: Int
    /// Residence of all counted endpoints, h.
    public var residenceHours: Double
    /// Residence of counted endpoints of polluted trajectories, h (the denominator of the shares).
    public var pollutedResidenceHours: Double
    /// Residence of counted endpoints of clean trajectories, h.
    public var cleanResidenceHours: Double
    /// Polluted residence in no region, h.
    public var pollutedResidenceOutsideHours: Double
}

/// The region statistics (issue 11 item 1): the rows ranked, the home view and totals.
public struct RegionAttributionResult: Sendable, Equatable {
    /// One row per region, ranked (``RegionStatistics/rank`` 1, 2, …).
    public var rows: [RegionStatistics]
    /// The joint-control view, when a home region was given.
    public var home: RegionHomeResult?
    /// Totals over every counted endpoint.
    public var totals: RegionTotals
    /// The score the rows are ranked by.
    public var rankBy: RegionScore
    /// Bootstrap resamples drawn (0: no rank interval).
    public var resamples: Int
    /// The bootstrap's SplitMix64 seed.
    public var seed: UInt64
    /// The resolved criterion value (polluted = the grid's `isPolluted`), the values' unit.
    public var criterionValue: Double
}
