/// Every convention of a gridded receptor-model run (PSCF, CWT, residence time, Seibert field;
/// see the *Receptor models* article in Upwind's documentation), recorded with its result so that runs with equal settings merge exactly.
///
/// The defaults are Upwind's own (see the *Receptor models* article in Upwind's documentation; issue 10): 0.5° cells, criterion the 75th
/// percentile (R type 7) of the receptor values of the observations used, strictly greater is
/// polluted, residence normalised by trajectories (HYSPLIT RT=0), openair's weights, age-0
/// endpoints excluded, nearest-centre binning with ties to the north/east cell, no height limit,
/// endpoints only. ``preset(_:resolution:)`` sets every convention of openair or TrajStat;
/// change its properties afterwards to override parts of it.
///
/// ```swift
/// var settings = ReceptorGridSettings.preset(.openair)
/// settings.cwtWeights = try ReceptorGridSettings.parseWeights("none")
/// let grid = try await ReceptorGrid.build(trajectories: trajectories, values: values, settings: settings)
/// ```
public struct ReceptorGridSettings: Sendable, Equatable, Codable {
    /// When a trajectory is polluted (see the *Receptor models* article in Upwind's documentation): its receptor value against a value, or
    /// against a percentile resolved to a value before accumulating
    /// (``ReceptorGridSettings/resolveCriterion(trajectories:values:)``).
    /// Codable and printed as the CLI text: `p75`, `p90`, or a number.
    public enum Criterion: Sendable, Equatable, Codable, CustomStringConvertible {
        /// The given percentile, 0–100, of the receptor values (see ``PercentileConvention``).
        case percentile(Double)
        /// A fixed value, in the receptor values' unit.
        case value(Double)

        /// The CLI text: `p75`, `p90` (any `pP`), or the value.
        public var description: String {
            switch self {
            case .percentile(let p): return "p" + ReceptorGridSettings.format(p)
            case .value(let v): return ReceptorGridSettings.format(v)
            }
        }

        /// Decodes the CLI text.
        /// - Throws: ``ReceptorGridError/unparsable(setting:text:expected:)``.
        public init(from decoder: any Decoder) throws {
            self = try ReceptorGridSettings.parseCriterion(try decoder.singleValueContainer().decode(String.self))
        }

        /// Encodes the CLI text.
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.singleValueContainer()
            try c.encode(description)
        }
    }

    /// Which values a percentile criterion is taken over (see the *Receptor models* article in Upwind's documentation; issue 10 item 3).
    public enum PercentileConvention: String, Sendable, Equatable, Codable, CaseIterable {
        /// R type-7 quantile over the receptor values of the observations used, one value per
        /// observation (an observation is a site and an arrival time, shared by the trajectories
        /// started at several heights). Upwind's default.
        case observations
        /// openair's: R type-7 quantile over all endpoint rows of the trajectories (each
        /// trajectory's value repeated once per endpoint it holds, age 0 included, whatever the
        /// height and age filters).
        case endpointRows = "endpoint-rows"
    }

    /// How a receptor value is compared with the criterion value.
    public enum PollutedTest: String, Sendable, Equatable, Codable, CaseIterable {
        /// Polluted when value > criterion (Upwind, openair; issue 10).
        case above
        /// Polluted when value ≥ criterion (TrajStat; see the *Receptor models* article in Upwind's documentation).
        case atOrAbove = "at-or-above"
    }

    /// HYSPLIT's four residence-time normalisations (`RT`; see the *Receptor models* article in Upwind's documentation), in percent. τ is the
    /// cell's time weight (endpoint count, or hours with ``segments``), N the trajectories added.
    public enum ResidenceNormalisation: String, Sendable, Equatable, Codable, CaseIterable {
        /// RT=0: `100 · (distinct trajectories in the cell) / N`. Upwind's default.
        case trajectories
        /// RT=1: `100 · τ / N` (can exceed 100).
        case endpointsPerTrajectory = "endpoints-per-trajectory"
        /// RT=2: `100 · τ / Στ` over all cells.
        case endpoints
        /// RT=3: `100 · τ / max τ` over all cells (openair's `frequency`).
        case max
    }

    /// Which cell an endpoint on a cell edge falls in (see the *Receptor models* article in Upwind's documentation). Cells are centred on
    /// multiples of the resolution r; the cell of a coordinate x (degrees) is the integer nearest
    /// to x/r, so edges lie at odd multiples of r/2.
    public enum Binning: String, Sendable, Equatable, Codable, CaseIterable {
        /// Upwind's: `floor(x/r + 0.5)` computed exactly, so a point on an edge goes to the
        /// cell north (latitude) or east (longitude) of it.
        case nearestCentre = "nearest-centre"
        /// openair's `round_any`: R's `round`, half to even (34.5 → 34, 35.5 → 36 in units of r).
        case halfToEven = "half-to-even"
    }

    /// A height above which endpoints are not counted (TrajStat's option; see the *Receptor models* article in Upwind's documentation).
    /// Codable and printed as the CLI text: metres, or `mixing-depth`.
    public enum HeightLimit: Sendable, Equatable, Codable, CustomStringConvertible {
        /// Endpoints with height AGL ≤ this many metres count.
        case metres(Double)
        /// Endpoints with height AGL ≤ their mixing depth (`EndpointDiagnostics.mixingDepthM`,
        /// m AGL) count; an endpoint without one is an error.
        case mixingDepth

        /// The CLI text: the metres, or `mixing-depth`.
        public var description: String {
            switch self {
            case .metres(let m): return ReceptorGridSettings.format(m)
            case .mixingDepth: return "mixing-depth"
            }
        }

        /// Decodes the CLI text.
        /// - Throws: ``ReceptorGridError/unparsable(setting:text:expected:)``.
        public init(from decoder: any Decoder) throws {
            self = try ReceptorGridSettings.parseMaxHeight(try decoder.singleValueContainer().decode(String.self))
        }

        /// Encodes the CLI text.
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.singleValueContainer()
            try c.encode(description)
        }
    }

    /// The tools whose conventions ``preset(_:resolution:)`` reproduces.
    public enum Preset: String, Sendable, Equatable, Codable, CaseIterable {
        /// openair 2.18 `trajLevel` (see the *Receptor models* article in Upwind's documentation).
        case openair
        /// TrajStat / MeteoInfo (see the *Receptor models* article in Upwind's documentation).
        case trajstat
    }

    /// Cell size in degrees of latitude and longitude (default 0.5); cells are centred on
    /// multiples of it. 360 must be a whole multiple of it.
    public var resolution: Double
    /// The pollution criterion (default `p75`).
    public var criterion: Criterion
    /// What a percentile criterion is taken over (default ``PercentileConvention/observations``).
    public var percentileConvention: PercentileConvention
    /// Strictly greater (default) or greater-or-equal.
    public var pollutedTest: PollutedTest
    /// A receptor value that means "missing" (TrajStat's `Missing`, 0): trajectories with exactly
    /// this value are skipped and counted in ``ReceptorGrid/skippedTrajectoryCount``. Default nil.
    public var missingValue: Double?
    /// Residence-time normalisation (default ``ResidenceNormalisation/trajectories``).
    public var residenceNormalisation: ResidenceNormalisation
    /// Weights of WPSCF (default ``GridWeights/openair``).
    public var pscfWeights: GridWeights
    /// Weights of WCWT (default ``GridWeights/openair``).
    public var cwtWeights: GridWeights
    /// Count endpoints of age 0 (the receptor itself; see the *Receptor models* article in Upwind's documentation). Default false.
    public var includeAgeZero: Bool
    /// Binning rule for points on cell edges (default ``Binning/nearestCentre``).
    public var binning: Binning
    /// Count only endpoints (and segment time) at or below this height. Default nil (no limit).
    public var maxHeight: HeightLimit?
    /// Rasterise the straight segment (in latitude–longitude) between consecutive endpoints and
    /// weight each cell by the hours spent in it, instead of counting endpoints (see the *Receptor models* article in Upwind's documentation).
    /// Default false. Segment time ignores ``includeAgeZero`` (the first hour is travel time like
    /// any other); endpoint counts still follow it.
    public var segments: Bool
    /// Count trajectories whose observation is missing (NA, or equal to ``missingValue``) in the
    /// endpoint count n, τ, the trajectory count and residence, but not in m, CWT or the Seibert
    /// field: openair counts every endpoint row, rows whose pollutant is NA included, while its
    /// `mean(pollutant)` leaves them out (see the *Receptor models* article in Upwind's documentation). Such a trajectory is added with the
    /// value NaN (``ReceptorGrid/add(trajectory:value:)``) and is never polluted. Default false
    /// (they are skipped and reported as unmatched); true in the openair preset.
    public var countsMissingValues: Bool

    /// Creates settings; every argument defaults to Upwind's convention.
    public init(resolution: Double = 0.5, criterion: Criterion = .percentile(75),
                percentileConvention: PercentileConvention = .observations, pollutedTest: PollutedTest = .above,
                missingValue: Double? = nil, residenceNormalisation: ResidenceNormalisation = .trajectories,
                pscfWeights: GridWeights = .openair, cwtWeights: GridWeights = .openair,
                includeAgeZero: Bool = false, binning: Binning = .nearestCentre,
                maxHeight: HeightLimit? = nil, segments: Bool = false, countsMissingValues: Bool = false) {
        self.resolution = resolution
        self.criterion = criterion
        self.percentileConvention = percentileConvention
        self.pollutedTest = pollutedTest
        self.missingValue = missingValue
        self.residenceNormalisation = residenceNormalisation
        self.pscfWeights = pscfWeights
        self.cwtWeights = cwtWeights
        self.includeAgeZero = includeAgeZero
        self.binning = binning
        self.maxHeight = maxHeight
        self.segments = segments
        self.countsMissingValues = countsMissingValues
    }

    /// Settings reproducing a tool's conventions (see the *Receptor models* article in Upwind's documentation); resolution is left to the
    /// caller because it is a choice of the analysis, not a convention.
    ///
    /// - openair (`trajLevel`): criterion `p90` over endpoint rows, strictly greater, age-0
    ///   endpoints counted, half-to-even binning, residence as `100·n/max n` (its `frequency`),
    ///   PSCF and CWT weights ``GridWeights/openair``, endpoints of trajectories whose value is
    ///   missing counted in n (``countsMissingValues``). openair's own default cell is 1°.
    /// - TrajStat: polluted when value ≥ criterion, value 0 is missing, every endpoint counted
    ///   (age 0 included), ``GridWeights/trajstat`` for PSCF and CWT. TrajStat takes a criterion
    ///   value from the user, so the criterion stays Upwind's `p75` unless set; its optional
    ///   2000 m height limit is off, as its checkbox is by default. TrajStat bins by
    ///   point-in-polygon on a user grid layer (first match wins), which has no tie rule to copy:
    ///   Upwind's binning is kept.
    /// - Parameters:
    ///   - preset: the tool.
    ///   - resolution: cell size, degrees (default 0.5).
    /// - Returns: the settings.
    public static func preset(_ preset: Preset, resolution: Double = 0.5) -> ReceptorGridSettings {
        switch preset {
        case .openair:
            return ReceptorGridSettings(resolution: resolution, criterion: .percentile(90), percentileConvention: .endpointRows,
                                        pollutedTest: .above, residenceNormalisation: .max, pscfWeights: .openair,
                                        cwtWeights: .openair, includeAgeZero: true, binning: .halfToEven,
                                        countsMissingValues: true)
        case .trajstat:
            return ReceptorGridSettings(resolution: resolution, pollutedTest: .atOrAbove, missingValue: 0,
                                        pscfWeights: .trajstat, cwtWeights: .trajstat, includeAgeZero: true)
        }
    }

    /// The number of cells around a circle of latitude, 360/``resolution``.
    var longitudeCells: Int { Int((360 / resolution).rounded()) }

    /// Checks every setting.
    /// - Throws: ``ReceptorGridError/invalidSetting(setting:value:requirement:)`` naming the first bad one.
    public func validate() throws(ReceptorGridError) {
        let r = resolution
        guard r.isFinite, r >= 0.001, r <= 180 else {
            throw .invalidSetting(setting: "resolution", value: "\(r)", requirement: "degrees between 0.001 and 180")
        }
        let cells = 360 / r
        guard abs(cells - cells.rounded()) <= 1e-9 * cells else {
            throw .invalidSetting(setting: "resolution", value: "\(r)", requirement: "360 must be a whole multiple of it (0.1, 0.25, 0.5, 1, …)")
        }
        switch criterion {
        case .percentile(let p):
            guard p.isFinite, p >= 0, p <= 100 else {
                throw .invalidSetting(setting: "criterion", value: criterion.description, requirement: "a percentile between 0 and 100")
            }
        case .value(let v):
            guard v.isFinite else {
                throw .invalidSetting(setting: "criterion", value: criterion.description, requirement: "a finite value")
            }
        }
        if let m = missingValue, !m.isFinite {
            throw .invalidSetting(setting: "missingValue", value: "\(m)", requirement: "a finite value or none")
        }
        try pscfWeights.validate(setting: "pscfWeights")
        try cwtWeights.validate(setting: "cwtWeights")
        if case .metres(let h) = maxHeight, !(h.isFinite && h >= 0) {
            throw .invalidSetting(setting: "maxHeight", value: "\(h)", requirement: "metres AGL ≥ 0")
        }
    }

    /// The first setting in which `self` and `other` differ, described with both values, or nil.
    func difference(from other: ReceptorGridSettings) -> String? {
        func text<T>(_ v: T?) -> String { v.map { "\($0)" } ?? "none" }
        let pairs: [(String, String, String)] = [
            ("resolution", "\(resolution)", "\(other.resolution)"),
            ("criterion", criterion.description, other.criterion.description),
            ("percentileConvention", percentileConvention.rawValue, other.percentileConvention.rawValue),
            ("pollutedTest", pollutedTest.rawValue, other.pollutedTest.rawValue),
            ("missingValue", text(missingValue), text(other.missingValue)),
            ("residenceNormalisation", residenceNormalisation.rawValue, other.residenceNormalisation.rawValue),
            ("pscfWeights", pscfWeights.description, other.pscfWeights.description),
            ("cwtWeights", cwtWeights.description, other.cwtWeights.description),
            ("includeAgeZero", "\(includeAgeZero)", "\(other.includeAgeZero)"),
            ("binning", binning.rawValue, other.binning.rawValue),
            ("maxHeight", text(maxHeight), text(other.maxHeight)),
            ("segments", "\(segments)", "\(other.segments)"),
            ("countsMissingValues", "\(countsMissingValues)", "\(other.countsMissingValues)"),
        ]
        for (name, a, b) in pairs where a != b { return "\(name) \(a) vs \(b)" }
        return self == other ? nil : "settings differ"
    }

    /// A number as the CLI writes it: whole numbers without a decimal point (`75`, `-3`), others
    /// in Swift's shortest round-trip form (`0.75`).
    static func format(_ x: Double) -> String {
        if x.isFinite, x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
        return "\(x)"
    }
}
