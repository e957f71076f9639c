/// The dissimilarity trajectories are clustered by (see the *Trajectory clustering* article in Upwind's documentation). Every distance compares
/// endpoints of equal age pairwise and uses latitude and longitude only, as HYSPLIT does.
public enum ClusterDistance: String, Sendable, Equatable, CaseIterable, CustomStringConvertible {
    /// HYSPLIT's criterion: Ward agglomeration on the total spatial variance (TSV, km²), the sum
    /// over trajectories and endpoints of the squared distance from each endpoint to its
    /// cluster-mean endpoint. Distances are chords in the Euclidean embedding of each endpoint
    /// as its 3-D unit-sphere vector × the Earth's radius (6371 km), so that the nearest-neighbour
    /// chain with Lance–Williams updates is exact (great-circle D² is not a squared Euclidean
    /// distance). A chord is shorter than its arc by 0.12 % at 1,100 km and 0.5 % at 2,200 km.
    case ward
    /// k-medoids (PAM) on the sum over endpoints of the great-circle (haversine) distance, km.
    case greatCircle
    /// k-medoids (PAM) on TrajStat's Euclidean distance in degrees, `sqrt(Σ (Δlon² + Δlat²))`
    /// with no cos φ (longitude differences taken the short way round, within ±180°).
    case euclideanDegrees
    /// k-medoids (PAM) on the Sirois & Bottenheim (1995) angle distance, radians (see the *Trajectory clustering* article in Upwind's documentation).
    case angle

    /// The CLI spelling: `ward`, `greatcircle`, `euclidean-degrees`, `angle`.
    public var description: String {
        switch self {
        case .ward: return "ward"
        case .greatCircle: return "greatcircle"
        case .euclideanDegrees: return "euclidean-degrees"
        case .angle: return "angle"
        }
    }

    /// Parses the CLI spelling (``description``, case-insensitive; `great-circle` and
    /// `euclideandegrees` too); nil for anything else.
    public init?(parsing text: String) {
        let t = text.clusterOptionText(dropSeparators: true)
        switch t {
        case "ward", "tsv": self = .ward
        case "greatcircle": self = .greatCircle
        case "euclideandegrees", "euclidean": self = .euclideanDegrees
        case "angle": self = .angle
        default: return nil
        }
    }

    /// True for the distances clustered by k-medoids (PAM), false for Ward.
    public var isMedoidDistance: Bool { self != .ward }
}
