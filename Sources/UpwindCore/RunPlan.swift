/// A batch of trajectories as one JSON document: the same plan runs from
/// `upwind trajectories --plan PLAN.json`, `upwind batch` and the HTTP service.
///
/// ```json
/// {"met": {"files": ["era5/2024-01-*.nc"]},
///  "generator": {"sites": [{"site": "ZZ", "latitude": 34.75, "longitude": 113.65}],
///                "heights": [100, 500, 1000], "from": "2024-01-01T00:00:00Z",
///                "to": "2024-01-07T18:00:00Z", "everyHours": 6},
///  "hours": -72, "vertical": "data", "integrator": "heun", "ensemble": false,
///  "outputIntervalMinutes": 60}
/// ```
///
/// Heights are metres above ground (above sea level with `"msl": true`); `topAGL` is metres
/// above ground. The keys `heightM`, `heightsM` and `topM` of earlier plans are still read.
///
/// Limits (``RunLimits``), checked before any start is made: `hours` at most 87,660 either way,
/// at most 87,660 output intervals per trajectory, and at most `maxStarts` trajectories (starts ×
/// 27 with the ensemble; default 10,000,000), counted arithmetically by ``startCount()``. A plan
/// may set `"maxStarts"` higher or lower; the service sets its own.
public struct RunPlan: Sendable, Equatable, Codable {
    /// Where the plan's met comes from: files/globs (CLI, library) or a dataset id (service).
    /// Opened with `MetSource.open(_:mapping:)` (UpwindMeteo).
    public struct Met: Sendable, Equatable, Codable {
        /// Files or glob patterns.
        public var files: [String]?
        /// A dataset id registered with the service.
        public var dataset: String?
        /// Creates a source.
        public init(files: [String]? = nil, dataset: String? = nil) { self.files = files; self.dataset = dataset }
    }

    /// One explicit start.
    public struct Start: Sendable, Equatable, Codable {
        /// Site name.
        public var site: String
        /// Latitude, degrees north.
        public var latitude: Double
        /// Longitude, degrees east.
        public var longitude: Double
        /// Start height, m (AGL unless the plan says `msl`).
        public var height: Double
        /// Start time (UTC).
        public var time: UTCTime
        /// Creates a start.
        public init(site: String, latitude: Double, longitude: Double, height: Double, time: UTCTime) {
            self.site = site; self.latitude = latitude; self.longitude = longitude; self.height = height; self.time = time
        }
        /// Creates a start (the old label of ``init(site:latitude:longitude:height:time:)``).
        @available(*, deprecated, renamed: "init(site:latitude:longitude:height:time:)")
        public init(site: String, latitude: Double, longitude: Double, heightM: Double, time: UTCTime) {
            self.init(site: site, latitude: latitude, longitude: longitude, height: heightM, time: time)
        }
        /// Start height, m: the old name of ``height``.
        @available(*, deprecated, renamed: "height")
        public var heightM: Double { get { height } set { height = newValue } }

        enum CodingKeys: String, CodingKey { case site, latitude, longitude, height, heightM, time }
        /// Decodes a start; `heightM` (earlier plans) is read when `height` is absent.
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            site = try c.decode(String.self, forKey: .site)
            latitude = try c.decode(Double.self, forKey: .latitude)
            longitude = try c.decode(Double.self, forKey: .longitude)
            if let h = try c.decodeIfPresent(Double.self, forKey: .height) { height = h } else { height = try c.decode(Double.self, forKey: .heightM) }
            time = try c.decode(UTCTime.self, forKey: .time)
        }
        /// Encodes a start with the current keys.
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(site, forKey: .site)
            try c.encode(latitude, forKey: .latitude)
            try c.encode(longitude, forKey: .longitude)
            try c.encode(height, forKey: .height)
            try c.encode(time, forKey: .time)
        }
    }

    /// A receptor site for the generator.
    public struct Site: Sendable, Equatable, Codable {
        /// Site name.
        public var site: String
        /// Latitude, degrees north.
        public var latitude: Double
        /// Longitude, degrees east.
        public var longitude: Double
        /// Creates a site.
        public init(site: String, latitude: Double, longitude: Double) { self.site = site; self.latitude = latitude; self.longitude = longitude }
    }

    /// Sites × heights × start times every `everyHours` from `from` to `to` (inclusive).
    public struct Generator: Sendable, Equatable, Codable {
        /// Receptor sites.
        public var sites: [Site]
        /// Start heights, m (AGL unless the plan says `msl`).
        public var heights: [Double]
        /// First start time (UTC).
        public var from: UTCTime
        /// Last start time (UTC), inclusive when on the cadence.
        public var to: UTCTime
        /// Hours between start times.
        public var everyHours: Int
        /// Creates a generator.
        public init(sites: [Site], heights: [Double], from: UTCTime, to: UTCTime, everyHours: Int) {
            self.sites = sites; self.heights = heights; self.from = from; self.to = to; self.everyHours = everyHours
        }
        /// Creates a generator (the old label of ``init(sites:heights:from:to:everyHours:)``).
        @available(*, deprecated, renamed: "init(sites:heights:from:to:everyHours:)")
        public init(sites: [Site], heightsM: [Double], from: UTCTime, to: UTCTime, everyHours: Int) {
            self.init(sites: sites, heights: heightsM, from: from, to: to, everyHours: everyHours)
        }
        /// Start heights, m: the old name of ``heights``.
        @available(*, deprecated, renamed: "heights")
        public var heightsM: [Double] { get { heights } set { heights = newValue } }

        enum CodingKeys: String, CodingKey { case sites, heights, heightsM, from, to, everyHours }
        /// Decodes a generator; `heightsM` (earlier plans) is read when `heights` is absent.
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            sites = try c.decode([Site].self, forKey: .sites)
            if let h = try c.decodeIfPresent([Double].self, forKey: .heights) { heights = h } else { heights = try c.decode([Double].self, forKey: .heightsM) }
            from = try c.decode(UTCTime.self, forKey: .from)
            to = try c.decode(UTCTime.self, forKey: .to)
            everyHours = try c.decode(Int.self, forKey: .everyHours)
        }
        /// Encodes a generator with the current keys.
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(sites, forKey: .sites)
            try c.encode(heights, forKey: .heights)
            try c.encode(from, forKey: .from)
            try c.encode(to, forKey: .to)
            try c.encode(everyHours, forKey: .everyHours)
        }
    }

    /// The met source.
    public var met: Met

    /// The old name of ``Met``.
    @available(*, deprecated, renamed: "Met")
    public typealias MetSource = Met
    /// Explicit starts.
    public var starts: [Start]?
    /// Generated starts (added after the explicit ones).
    public var generator: Generator?
    /// Run length in hours (negative: backward).
    public var hours: Int
    /// Vertical motion (default `data`).
    public var vertical: VerticalMode?
    /// Integrator (default `heun`).
    public var integrator: Integrator?
    /// HYSPLIT's 27-member met ensemble per start (default false).
    public var ensemble: Bool?
    /// Minutes between endpoints (default 60).
    public var outputIntervalMinutes: Int?
    /// Fixed time step in minutes (default: the TRATIO rule).
    public var stepMinutes: Int?
    /// TRATIO (default 0.75).
    public var tratio: Double?
    /// Model top, m AGL (default 10,000).
    public var topAGL: Double?
    /// Ground rule (default `clip`).
    public var ground: GroundRule?
    /// Start heights above mean sea level (default false).
    public var msl: Bool?
    /// Run the valid starts and report the others (default false).
    public var skipInvalidStarts: Bool?
    /// The most trajectories (starts × ensemble members) the plan may expand to (default
    /// ``RunLimits/defaultMaxStarts``, 10,000,000). Counted arithmetically before any start is
    /// made; a service sets it from its configuration.
    public var maxStarts: Int?

    /// Model top, m AGL: the old name of ``topAGL``.
    @available(*, deprecated, renamed: "topAGL")
    public var topM: Double? { get { topAGL } set { topAGL = newValue } }

    enum CodingKeys: String, CodingKey {
        case met, starts, generator, hours, vertical, integrator, ensemble, outputIntervalMinutes, stepMinutes, tratio, topAGL, topM, ground, msl, skipInvalidStarts
        case maxStarts
    }

    /// Decodes a plan; `topM` (earlier plans) is read when `topAGL` is absent.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        met = try c.decode(Met.self, forKey: .met)
        starts = try c.decodeIfPresent([Start].self, forKey: .starts)
        generator = try c.decodeIfPresent(Generator.self, forKey: .generator)
        hours = try c.decode(Int.self, forKey: .hours)
        vertical = try c.decodeIfPresent(VerticalMode.self, forKey: .vertical)
        integrator = try c.decodeIfPresent(Integrator.self, forKey: .integrator)
        ensemble = try c.decodeIfPresent(Bool.self, forKey: .ensemble)
        outputIntervalMinutes = try c.decodeIfPresent(Int.self, forKey: .outputIntervalMinutes)
        stepMinutes = try c.decodeIfPresent(Int.self, forKey: .stepMinutes)
        tratio = try c.decodeIfPresent(Double.self, forKey: .tratio)
        topAGL = try c.decodeIfPresent(Double.self, forKey: .topAGL) ?? c.decodeIfPresent(Double.self, forKey: .topM)
        ground = try c.decodeIfPresent(GroundRule.self, forKey: .ground)
        msl = try c.decodeIfPresent(Bool.self, forKey: .msl)
        skipInvalidStarts = try c.decodeIfPresent(Bool.self, forKey: .skipInvalidStarts)
        maxStarts = try c.decodeIfPresent(Int.self, forKey: .maxStarts)
    }

    /// Encodes a plan with the current keys (absent options are left out).
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(met, forKey: .met)
        try c.encodeIfPresent(starts, forKey: .starts)
        try c.encodeIfPresent(generator, forKey: .generator)
        try c.encode(hours, forKey: .hours)
        try c.encodeIfPresent(vertical, forKey: .vertical)
        try c.encodeIfPresent(integrator, forKey: .integrator)
        try c.encodeIfPresent(ensemble, forKey: .ensemble)
        try c.encodeIfPresent(outputIntervalMinutes, forKey: .outputIntervalMinutes)
        try c.encodeIfPresent(stepMinutes, forKey: .stepMinutes)
        try c.encodeIfPresent(tratio, forKey: .tratio)
        try c.encodeIfPresent(topAGL, forKey: .topAGL)
        try c.encodeIfPresent(ground, forKey: .ground)
        try c.encodeIfPresent(msl, forKey: .msl)
        try c.encodeIfPresent(skipInvalidStarts, forKey: .skipInvalidStarts)
        try c.encodeIfPresent(maxStarts, forKey: .maxStarts)
    }

    /// Creates a plan.
    public init(met: Met, starts: [Start]? = nil, generator: Generator? = nil, hours: Int, vertical: VerticalMode? = nil,
                integrator: Integrator? = nil, ensemble: Bool? = nil, outputIntervalMinutes: Int? = nil) {
        self.met = met; self.starts = starts; self.generator = generator; self.hours = hours; self.vertical = vertical
        self.integrator = integrator; self.ensemble = ensemble; self.outputIntervalMinutes = outputIntervalMinutes
    }

    /// The plan's integration options.
    public var options: TrajectoryOptions {
        TrajectoryOptions(hours: hours, verticalMode: vertical ?? .data, integrator: integrator ?? .heun, fixedStepMinutes: stepMinutes,
                          tratio: tratio ?? 0.75, topAGL: topAGL ?? 10_000, ground: ground ?? .clip,
                          outputIntervalMinutes: outputIntervalMinutes ?? 60, skipInvalidStarts: skipInvalidStarts ?? false)
    }

    /// The number of start times the generator makes: every ``Generator/everyHours`` from
    /// ``Generator/from`` to ``Generator/to`` inclusive, computed arithmetically (nothing is made).
    /// - Throws: ``TrajectoryError/invalidOptions(_:)`` for a step that is not positive or too large,
    ///   or `from` after `to`.
    static func timeCount(_ g: Generator) throws(TrajectoryError) -> Int {
        guard g.everyHours > 0 else { throw .invalidOptions("generator.everyHours must be positive, got \(g.everyHours)") }
        guard g.from <= g.to else { throw .invalidOptions("generator.from (\(g.from.iso8601)) is after generator.to (\(g.to.iso8601))") }
        let (stepSeconds, stepOverflow) = Int64(g.everyHours).multipliedReportingOverflow(by: 3600)
        let (span, spanOverflow) = g.to.secondsSince1970.subtractingReportingOverflow(g.from.secondsSince1970)
        // A step longer than any representable span makes one time (`from`).
        if stepOverflow { return 1 }
        guard !spanOverflow else { throw .invalidOptions("generator.from (\(g.from.iso8601)) to generator.to (\(g.to.iso8601)) is too long a span") }
        return Int(span / stepSeconds) + 1
    }

    /// The number of starts the plan expands to (explicit starts plus sites × heights × times),
    /// computed arithmetically with overflow checks: nothing is made.
    /// - Throws: ``TrajectoryError/invalidOptions(_:)`` for a bad generator or a count beyond `Int`.
    public func startCount() throws(TrajectoryError) -> Int {
        var total = starts?.count ?? 0
        if let g = generator {
            guard !g.sites.isEmpty, !g.heights.isEmpty else { throw .invalidOptions("generator needs at least one site and one height") }
            let times = try Self.timeCount(g)
            let (perTime, o1) = g.sites.count.multipliedReportingOverflow(by: g.heights.count)
            let (generated, o2) = perTime.multipliedReportingOverflow(by: times)
            let (sum, o3) = total.addingReportingOverflow(generated)
            guard !o1, !o2, !o3 else {
                throw .invalidOptions("the generator makes \(g.sites.count) sites × \(g.heights.count) heights × \(times) times, more starts than can be counted; \(Self.raiseHint)")
            }
            total = sum
        }
        return total
    }

    /// How to get a plan under ``maxStarts``.
    static let raiseHint = "split the plan (fewer sites, heights or start times, or a larger generator.everyHours) or raise \"maxStarts\" in the plan"

    /// Checks, before anything is made, that the plan's trajectories (``startCount()`` ×
    /// ``RunLimits/ensembleMembers`` with the ensemble, else × 1) are at most ``maxStarts``
    /// (default ``RunLimits/defaultMaxStarts``) and that its options pass
    /// ``TrajectoryOptions/validate()``.
    /// - Parameter ensemble: whether each start runs the ensemble; nil takes the plan's ``ensemble``.
    /// - Returns: the number of starts.
    /// - Throws: ``TrajectoryError`` naming the count, the limit and how to raise it.
    @discardableResult
    public func checkLimits(ensemble: Bool? = nil) throws(TrajectoryError) -> Int {
        let limit = maxStarts ?? RunLimits.defaultMaxStarts
        guard limit >= 1 else { throw .invalidOption(option: "maxStarts", value: "\(limit)", requirement: "must be at least 1") }
        try options.validate()
        let count = try startCount()
        let members = (ensemble ?? self.ensemble ?? false) ? RunLimits.ensembleMembers : 1
        let (trajectories, overflow) = count.multipliedReportingOverflow(by: members)
        guard !overflow, trajectories <= limit else {
            let what = members == 1 ? "\(count) starts" : "\(count) starts × \(members) ensemble members = \(overflow ? "more than \(Int.max)" : "\(trajectories)") trajectories"
            throw .invalidOptions("the plan expands to \(what), more than the limit of \(limit) (maxStarts); \(Self.raiseHint)")
        }
        return count
    }

    /// Every start: the explicit ones, then sites × heights × times from the generator, made
    /// only after ``checkLimits(ensemble:)`` has counted them.
    /// - Throws: ``TrajectoryError/invalidOptions(_:)`` for an empty plan, a bad generator or
    ///   more trajectories than ``maxStarts``; ``TrajectoryError/invalidOption(option:value:requirement:)``
    ///   for options out of range.
    public func expandedStarts() throws -> [TrajectoryStart] {
        // Counted (and refused when too many) before a single start is made.
        let count = try checkLimits()
        guard count > 0 else { throw TrajectoryError.invalidOptions("the plan has no starts: give \"starts\" or a \"generator\"") }
        let isMSL = msl ?? false
        var out = (starts ?? []).map {
            TrajectoryStart(site: $0.site, latitude: $0.latitude, longitude: $0.longitude, height: $0.height, heightIsMSL: isMSL, time: $0.time)
        }
        out.reserveCapacity(count)
        if let g = generator {
            // Overflows only when the step exceeds any span, and then there is one time.
            let step = Int64(g.everyHours).multipliedReportingOverflow(by: 3600).partialValue
            var t = g.from
            for k in 0 ..< Self.timeCountChecked(g) {
                if k > 0 { t = t + step }
                for site in g.sites {
                    for h in g.heights {
                        out.append(TrajectoryStart(site: site.site, latitude: site.latitude, longitude: site.longitude, height: h, heightIsMSL: isMSL, time: t))
                    }
                }
            }
        }
        return out
    }

    /// ``timeCount(_:)`` of a generator already checked (0 if it is not valid).
    private static func timeCountChecked(_ g: Generator) -> Int { (try? timeCount(g)) ?? 0 }
}
