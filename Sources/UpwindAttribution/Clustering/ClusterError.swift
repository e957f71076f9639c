import UpwindCore

/// Why trajectories could not be clustered (``TrajectoryClustering``). Trajectory positions
/// (`trajectoryIndex`) are 0-based in the list given; `trajectoryID` is `Trajectory.id`.
/// Messages speak in library terms; the `upwind` CLI adds its flag names.
public enum ClusterError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No trajectories were given.
    case noTrajectories
    /// A cluster count below 1.
    case invalidClusterCount(Int)
    /// More clusters asked for than trajectories left to cluster (`dropped` of them were
    /// dropped as too short).
    case tooFewTrajectories(clusters: Int, trajectories: Int, dropped: Int)
    /// The common length is under 2 endpoints (the age-0 point and one more), so nothing can be
    /// compared: `endpoints` is that trajectory's count, `unequal` the rule in force.
    case tooShort(trajectoryIndex: Int, trajectoryID: Int, endpoints: Int, unequal: UnequalLengths)
    /// A trajectory's time step (h, between its first two endpoints) differs from the first
    /// used trajectory's: clustering compares endpoints of equal age.
    case timeStepMismatch(trajectoryIndex: Int, trajectoryID: Int, stepHours: Double, expectedHours: Double)
    /// A trajectory whose endpoints are not equally spaced in age: `endpoint` is the 0-based
    /// index of the endpoint after the irregular step.
    case irregularTimeStep(trajectoryIndex: Int, trajectoryID: Int, endpoint: Int, stepHours: Double, expectedHours: Double)
    /// A trajectory whose first endpoint's age (h) differs from the first used trajectory's.
    case startAgeMismatch(trajectoryIndex: Int, trajectoryID: Int, ageHours: Double, expectedHours: Double)
    /// An endpoint with a latitude or longitude that is not finite, or a latitude outside ±90°.
    case invalidEndpoint(trajectoryIndex: Int, trajectoryID: Int, endpoint: Int, reason: String)
    /// More trajectories than ``TrajectoryClustering/maximumTrajectories``: Ward's condensed
    /// matrix of n²/2 doubles would not fit in memory.
    case tooManyTrajectories(count: Int, maximum: Int)
    /// The surrounding task was cancelled.
    case cancelled

    /// One line: what is wrong and what to do.
    public var description: String {
        switch self {
        case .noTrajectories:
            return "no trajectories to cluster: give at least one trajectory"
        case .invalidClusterCount(let k):
            return "cannot make \(k) clusters: the number of clusters must be at least 1 (or auto)"
        case .tooFewTrajectories(let k, let n, let dropped):
            let note = dropped > 0 ? " (\(dropped) dropped as shorter than the modal length)" : ""
            return "cannot make \(k) clusters from \(n) trajector\(n == 1 ? "y" : "ies")\(note): ask for at most \(n) clusters, or give more trajectories"
        case .tooShort(let index, let id, let endpoints, let unequal):
            let hint = unequal == .truncate
                ? "drop the short trajectories (unequal lengths: drop) or leave this one out"
                : "give trajectories of at least 2 endpoints"
            return "trajectory \(id) (position \(index + 1)) has \(endpoints) endpoint\(endpoints == 1 ? "" : "s"), and clustering needs at least 2 common endpoints (age 0 and one more): \(hint)"
        case .timeStepMismatch(let index, let id, let step, let expected):
            return "trajectory \(id) (position \(index + 1)) has a time step of \(Self.hours(step)) h, the others \(Self.hours(expected)) h: clustering compares endpoints of equal age, so give trajectories of one output interval (and one direction)"
        case .irregularTimeStep(let index, let id, let endpoint, let step, let expected):
            return "trajectory \(id) (position \(index + 1)): the step to endpoint \(endpoint) is \(Self.hours(step)) h, not \(Self.hours(expected)) h: clustering needs equally spaced endpoints"
        case .startAgeMismatch(let index, let id, let age, let expected):
            return "trajectory \(id) (position \(index + 1)) starts at age \(Self.hours(age)) h, the others at \(Self.hours(expected)) h: give trajectories that start at their receptor (age 0)"
        case .invalidEndpoint(let index, let id, let endpoint, let reason):
            return "trajectory \(id) (position \(index + 1)), endpoint \(endpoint): \(reason)"
        case .tooManyTrajectories(let count, let maximum):
            let gb = Double(count) * Double(count - 1) / 2 * 8 / 1e9
            return "\(count) trajectories are too many to cluster at once (Ward would hold a \(JSONText.number(gb, decimals: 1)) GB distance matrix); cluster at most \(maximum), e.g. every k-th trajectory, one height or one season at a time"
        case .cancelled:
            return "clustering was cancelled"
        }
    }

    /// Hours as short text: at most 4 decimals, no trailing zeros.
    static func hours(_ h: Double) -> String {
        guard h.isFinite else { return "\(h)" }
        let scaled = (h * 10_000).rounded() / 10_000
        if scaled == scaled.rounded() && abs(scaled) < 1e15 { return String(Int(scaled)) }
        return "\(scaled)"
    }
}
