import UpwindCore

/// Why a receptor grid (``ReceptorGrid``) or its settings (``ReceptorGridSettings``) could not
/// be made, parsed, filled or merged. Messages speak in library terms (property names); the
/// `upwind` CLI adds its flag names where it reports them.
public enum ReceptorGridError: Error, CustomStringConvertible, Sendable, Equatable {
    /// A setting out of range: `setting` is the ``ReceptorGridSettings`` property, `value` what it
    /// was, `requirement` what it must be.
    case invalidSetting(setting: String, value: String, requirement: String)
    /// Text given to one of the parsers (``ReceptorGridSettings/parseWeights(_:)`` and friends)
    /// that is not of the form `expected`; `text` is the text as given.
    case unparsable(setting: String, text: String, expected: String)
    /// A percentile criterion was given where a resolved value is needed: resolve it first
    /// (``ReceptorGridSettings/resolveCriterion(trajectories:values:)``).
    case unresolvedCriterion(percentile: Double)
    /// A criterion value, or a quantile, that cannot be computed: no values to take it over.
    case noValues(what: String)
    /// A receptor value that is not a finite number (NaN or infinite); `trajectoryID` is the
    /// trajectory's `Trajectory.id`, `site` its start's site.
    case invalidValue(trajectoryID: Int, site: String, value: Double)
    /// Two trajectories of one observation (same site and arrival time) were given different
    /// receptor values.
    case conflictingObservationValues(site: String, time: UTCTime, first: Double, second: Double)
    /// `trajectories` and `values` of different lengths.
    case countMismatch(trajectories: Int, values: Int)
    /// An endpoint whose position or age is not finite, or whose latitude is outside ±90°
    /// (`index` is 0-based in `Trajectory.endpoints`).
    case invalidEndpoint(trajectoryID: Int, index: Int, reason: String)
    /// The height limit is the mixing depth and an endpoint has none
    /// (`EndpointDiagnostics.mixingDepthM` is nil or not finite).
    case missingMixingDepth(trajectoryID: Int, index: Int)
    /// ``ReceptorGrid/merge(_:)`` of grids whose settings or criterion value differ; `difference`
    /// names the first differing setting with both values.
    case incompatibleMerge(difference: String)

    /// The message: what is wrong and what to do.
    public var description: String {
        switch self {
        case .invalidSetting(let setting, let value, let requirement):
            return "invalid receptor-grid setting \(setting) = \(value): \(requirement)"
        case .unparsable(let setting, let text, let expected):
            return "cannot read \(setting) from \"\(text)\": expected \(expected)"
        case .unresolvedCriterion(let p):
            return "the criterion is the \(ReceptorGridSettings.format(p))th percentile: resolve it to a value (resolveCriterion) before gridding"
        case .noValues(let what):
            return "no values to compute \(what) from"
        case .invalidValue(let id, let site, let value):
            return "trajectory \(id) (site \(site)) has receptor value \(value); give a finite number or leave the trajectory out"
        case .conflictingObservationValues(let site, let time, let a, let b):
            return "the observation of site \(site) at \(time.iso8601) was given two values, \(a) and \(b)"
        case .countMismatch(let t, let v):
            return "\(t) trajectories but \(v) receptor values: give one value per trajectory"
        case .invalidEndpoint(let id, let index, let reason):
            return "trajectory \(id), endpoint \(index): \(reason)"
        case .missingMixingDepth(let id, let index):
            return "trajectory \(id), endpoint \(index) has no mixing depth, which the mixing-depth height limit needs; use a fixed height limit or trajectories with mixing-depth diagnostics"
        case .incompatibleMerge(let difference):
            return "cannot merge receptor grids with different settings: \(difference)"
        }
    }
}
