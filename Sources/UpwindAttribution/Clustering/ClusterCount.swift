/// How many clusters ``TrajectoryClustering/cluster(_:k:distance:unequal:maxConcurrency:)`` makes.
public enum ClusterCount: Sendable, Equatable, CustomStringConvertible {
    /// The number suggested by HYSPLIT's total-spatial-variance curve
    /// (``TrajectoryClustering/suggestedClusterCount(tsv:range:)``), whatever the distance: the Ward
    /// curve of the same prepared trajectories (see the *Trajectory clustering* article in Upwind's documentation).
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
        let t = text.clusterOptionText()
        if t == "auto" { self = .auto; return }
        guard let k = Int(t), k >= 1 else { return nil }
        self = .fixed(k)
    }
}

extension String {
    /// Option text as the parsers compare it: without leading and trailing spaces, tabs and
    /// line ends, lower-cased, `-` and `_` removed when `dropSeparators` (no Foundation here).
    func clusterOptionText(dropSeparators: Bool = false) -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        let text = String(self[first...last]).lowercased()
        return dropSeparators ? String(text.filter { $0 != "-" && $0 != "_" }) : text
    }
}
