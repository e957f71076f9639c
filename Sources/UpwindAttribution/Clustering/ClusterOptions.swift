/// How many clusters ``TrajectoryClustering/cluster(_:k:distance:unequal:maxConcurrency:)`` makes.
public enum ClusterCount: Sendable, Equatable, CustomStringConvertible {
    /// The number suggested by HYSPLIT's total-spatial-variance curve
    /// (``TrajectoryClustering/suggestedClusterCount(tsv:)``), whatever the distance: the Ward
    /// curve of the same prepared trajectories (methods.md §3.1, §3.5).
    case auto
    /// Exactly this many clusters (1 … the number of trajectories clustered).
    case fixed(Int)

    /// `auto` or the number.
    public var description: String {
        switch self {
        case .auto: return "auto"
        case .fixed(let k): return String(k)
        }
    }

    /// Parses `auto` or a whole number ≥ 1 (the CLI's `--k`); nil for anything else.
    public init?(parsing text: String) {
        let t = text.trimmingWhitespace.lowercased()
        if t == "auto" { self = .auto; return }
        guard let k = Int(t), k >= 1 else { return nil }
        self = .fixed(k)
    }
}

/// The dissimilarity trajectories are clustered by (methods.md §3.5). Every distance compares
/// endpoints of equal age pairwise and uses latitude and longitude only, as HYSPLIT does.
public enum ClusterDistance: String, Sendable, Equatable, CaseIterable, CustomStringConvertible {
    /// HYSPLIT's criterion: Ward agglomeration on the total spatial variance (TSV, km²), the sum
    /// over trajectories and endpoints of the squared distance from each endpoint to its
    /// cluster-mean endpoint. Distances are chords in the Euclidean embedding of each endpoint
    /// as its 3-D unit-sphere vector × the Earth's radius (6371 km), so that the nearest-neighbour
    /// chain with Lance–Williams updates is exact (great-circle D² is not a squared Euclidean
    /// distance). A chord is shorter than its arc by less than 0.5 % up to 1,100 km.
    case ward
    /// k-medoids (PAM) on the sum over endpoints of the great-circle (haversine) distance, km.
    case greatCircle
    /// k-medoids (PAM) on TrajStat's Euclidean distance in degrees, `sqrt(Σ (Δlon² + Δlat²))`
    /// with no cos φ (longitude differences taken the short way round, within ±180°).
    case euclideanDegrees
    /// k-medoids (PAM) on the Sirois & Bottenheim (1995) angle distance, radians (methods.md §3.4).
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
        let t = text.trimmingWhitespace.lowercased().replacingOccurrences(of: "-", with: "").replacingOccurrences(of: "_", with: "")
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

/// What to do with trajectories of different lengths: every clustering method needs equal
/// lengths (methods.md §3.5).
public enum UnequalLengths: String, Sendable, Equatable, CaseIterable, CustomStringConvertible {
    /// Truncate every trajectory to the common (shortest) length: no trajectory is lost, the
    /// clustered span is the shortest trajectory's.
    case truncate
    /// Drop the trajectories shorter than the **modal** length (the most common endpoint count;
    /// ties go to the longer), as openair keeps only modal-length trajectories; the few longer
    /// than the mode are truncated to it (openair would drop them too) and counted as truncated.
    /// HYSPLIT's "hours to cluster" likewise excludes trajectories that end early.
    case drop

    /// `truncate` or `drop`.
    public var description: String { rawValue }

    /// Parses `truncate` or `drop` (case-insensitive); nil for anything else.
    public init?(parsing text: String) {
        self.init(rawValue: text.trimmingWhitespace.lowercased())
    }
}

fileprivate extension String {
    /// The text without leading and trailing spaces, tabs and line ends (no Foundation here).
    var trimmingWhitespace: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[first...last])
    }

    /// The text with every occurrence of `target` replaced (no Foundation here).
    func replacingOccurrences(of target: Character, with replacement: String) -> String {
        var out = ""
        for c in self { if c == target { out += replacement } else { out.append(c) } }
        return out
    }
}
