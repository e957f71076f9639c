/// A numeric column of `regions.csv` that regions can be ranked by (`--rank-by`, issue 11
/// item 4); the raw value is the column name. Ranking is descending, NaN last, ties by id
/// (``RegionAttribution``).
public enum RegionScore: String, Sendable, Equatable, Codable, CaseIterable {
    /// `polluted_share`: the region's share of all polluted residence (0–1). The default.
    case pollutedShare = "polluted_share"
    /// `residence_h`: hours endpoints of all trajectories spent in the region.
    case residenceHours = "residence_h"
    /// `polluted_residence_h`: hours endpoints of polluted trajectories spent in the region.
    case pollutedResidenceHours = "polluted_residence_h"
    /// `enhancement_ratio`: polluted residence share over clean residence share.
    case enhancementRatio = "enhancement_ratio"
    /// `pscf`: area-weighted PSCF of the grid cells over the region.
    case pscf
    /// `wpscf`: area-weighted weighted PSCF.
    case wpscf
    /// `cwt`: area-weighted CWT, the receptor values' unit.
    case cwt
    /// `wcwt`: area-weighted weighted CWT, the receptor values' unit.
    case wcwt
    /// `fire_score`: the sum of the fire contributions of the region.
    case fireScore = "fire_score"
    /// `fire_count`: fires in the region.
    case fireCount = "fire_count"
    /// `n_endpoints`: endpoints counted in the region.
    case nEndpoints = "n_endpoints"
    /// `n_trajectories`: distinct trajectories with an endpoint counted in the region.
    case nTrajectories = "n_trajectories"

    /// The `regions.csv` column name (the raw value).
    public var columnName: String { rawValue }

    /// True for the scores aggregated from the receptor grid's cells.
    public var isGridBased: Bool { self == .pscf || self == .wpscf || self == .cwt || self == .wcwt }

    /// The score named by a `regions.csv` column name.
    /// - Parameter text: the column name, e.g. `polluted_share`, `wcwt`.
    /// - Throws: ``RegionError/invalidOption(option:value:requirement:)`` listing the names.
    public init(parsing text: String) throws(RegionError) {
        guard let score = RegionScore(rawValue: text) else {
            throw .invalidOption(option: "rank-by score", value: text,
                                 requirement: "one of " + RegionScore.allCases.map(\.rawValue).joined(separator: ", "))
        }
        self = score
    }
}
