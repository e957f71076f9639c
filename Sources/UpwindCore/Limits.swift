/// Bounds on the work one request may ask for. Each is checked before any work starts (before
/// met is read or a start is integrated), with arithmetic that cannot overflow, and each
/// refusal is one line naming the value, the limit and how to raise it.
///
/// | limit | default | where it is set |
/// |---|---|---|
/// | run length | 87,660 h (10 years) | fixed: ``maxRunHours`` |
/// | output intervals per trajectory | 87,660 (10 years of hourly endpoints) | fixed: ``maxOutputIntervals`` |
/// | trajectories a plan expands to (starts × ensemble members) | 10,000,000 | `RunPlan.maxStarts` (the plan's options; the service's config) |
/// | ensemble members per start | 27 | fixed: HYSPLIT's met-offset ensemble |
///
/// A trajectory's endpoints are stored as it is integrated (never reserved for the whole
/// requested length), so a long request that ends early costs only what it used.
public enum RunLimits {
    /// The longest run, hours in either direction: 87,660 h = 10 years of 365.25 days.
    /// Longer requests are refused with ``TrajectoryError/invalidOption(option:value:requirement:)``
    /// (`hours`); split such a run into consecutive runs.
    public static let maxRunHours = 87_660

    /// The most output intervals (endpoints after the start) one trajectory may ask for:
    /// 87,660, ten years of hourly endpoints (a one-minute interval allows 1,461 h).
    public static let maxOutputIntervals = 87_660

    /// The default of `RunPlan.maxStarts`: at most 10,000,000 trajectories (starts × ensemble
    /// members) per plan.
    public static let defaultMaxStarts = 10_000_000

    /// The members of HYSPLIT's met-offset ensemble per start (see the *Trajectory integration* article in Upwind's documentation).
    public static let ensembleMembers = 27
}

/// Physical sanity bounds on grids read from files: checked before anything is allocated or
/// indexed from a header.
public enum GridLimits {
    /// The most points along one side of a horizontal grid: 100,000 (a 0.004° global grid).
    public static let maxPointsPerSide = 100_000

    /// The most values one horizontal plane may hold: 2³¹ − 1 (e.g. 46,340 × 46,340).
    public static let maxPointsPerPlane = Int(Int32.max)

    /// The most vertical levels: 10,000.
    public static let maxLevels = 10_000

    /// The smallest grid spacing accepted from a file, metres (10 m); a finer "grid" in a
    /// header (e.g. 1e-45 km) is a corrupt field, not a grid.
    public static let minSpacingM = 10.0

    /// The largest grid spacing accepted from a file, metres (one Earth circumference).
    public static let maxSpacingM = 40_075_000.0

    /// The smallest latitude-longitude spacing accepted from a file, degrees (1e-4°, about 11 m).
    public static let minSpacingDegrees = 1e-4
}
