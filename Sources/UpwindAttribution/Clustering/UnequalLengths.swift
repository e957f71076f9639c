/// What to do with trajectories of different lengths: every clustering method needs equal
/// lengths (see the *Trajectory clustering* article in Upwind's documentation).
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
        self.init(rawValue: text.clusterOptionText())
    }
}
