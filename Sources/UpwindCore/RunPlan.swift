/// A batch of trajectories as one JSON document: the same plan runs from
/// `upwind trajectories --plan PLAN.json`, `upwind batch` and the HTTP service.
///
/// ```json
/// {"met": {"files": ["era5/2024-01-*.nc"]},
///  "generator": {"sites": [{"site": "ZZ", "latitude": 34.75, "longitude": 113.65}],
///                "heightsM": [100, 500, 1000], "from": "2024-01-01T00:00:00Z",
///                "to": "2024-01-07T18:00:00Z", "everyHours": 6},
///  "hours": -72, "vertical": "data", "integrator": "heun", "ensemble": false,
///  "outputIntervalMinutes": 60}
/// ```
public struct RunPlan: Sendable, Equatable, Codable {
    /// Where the met comes from: files/globs (CLI) or a dataset id (service).
    public struct MetSource: Sendable, Equatable, Codable {
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
        public var heightM: Double
        /// Start time (UTC).
        public var time: UTCTime
        /// Creates a start.
        public init(site: String, latitude: Double, longitude: Double, heightM: Double, time: UTCTime) {
            self.site = site; self.latitude = latitude; self.longitude = longitude; self.heightM = heightM; self.time = time
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
        /// Start heights, m.
        public var heightsM: [Double]
        /// First start time (UTC).
        public var from: UTCTime
        /// Last start time (UTC), inclusive when on the cadence.
        public var to: UTCTime
        /// Hours between start times.
        public var everyHours: Int
        /// Creates a generator.
        public init(sites: [Site], heightsM: [Double], from: UTCTime, to: UTCTime, everyHours: Int) {
            self.sites = sites; self.heightsM = heightsM; self.from = from; self.to = to; self.everyHours = everyHours
        }
    }

    /// The met source.
    public var met: MetSource
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
    public var topM: Double?
    /// Ground rule (default `clip`).
    public var ground: GroundRule?
    /// Start heights above mean sea level (default false).
    public var msl: Bool?
    /// Run the valid starts and report the others (default false).
    public var skipInvalidStarts: Bool?

    /// Creates a plan.
    public init(met: MetSource, starts: [Start]? = nil, generator: Generator? = nil, hours: Int, vertical: VerticalMode? = nil,
                integrator: Integrator? = nil, ensemble: Bool? = nil, outputIntervalMinutes: Int? = nil) {
        self.met = met; self.starts = starts; self.generator = generator; self.hours = hours; self.vertical = vertical
        self.integrator = integrator; self.ensemble = ensemble; self.outputIntervalMinutes = outputIntervalMinutes
    }

    /// The plan's integration options.
    public var options: TrajectoryOptions {
        TrajectoryOptions(hours: hours, verticalMode: vertical ?? .data, integrator: integrator ?? .heun, fixedStepMinutes: stepMinutes,
                          tratio: tratio ?? 0.75, topAGL: topM ?? 10_000, ground: ground ?? .clip,
                          outputIntervalMinutes: outputIntervalMinutes ?? 60, skipInvalidStarts: skipInvalidStarts ?? false)
    }

    /// Every start: the explicit ones, then sites × heights × times from the generator.
    /// - Throws: ``TrajectoryError/invalidOptions(_:)`` for an empty plan or a bad generator.
    public func expandedStarts() throws -> [TrajectoryStart] {
        let isMSL = msl ?? false
        var out = (starts ?? []).map {
            TrajectoryStart(site: $0.site, latitude: $0.latitude, longitude: $0.longitude, height: $0.heightM, heightIsMSL: isMSL, time: $0.time)
        }
        if let g = generator {
            guard g.everyHours > 0 else { throw TrajectoryError.invalidOptions("generator.everyHours must be positive, got \(g.everyHours)") }
            guard g.from <= g.to else { throw TrajectoryError.invalidOptions("generator.from (\(g.from.iso8601)) is after generator.to (\(g.to.iso8601))") }
            guard !g.sites.isEmpty, !g.heightsM.isEmpty else { throw TrajectoryError.invalidOptions("generator needs at least one site and one height") }
            var t = g.from
            while t <= g.to {
                for site in g.sites {
                    for h in g.heightsM {
                        out.append(TrajectoryStart(site: site.site, latitude: site.latitude, longitude: site.longitude, height: h, heightIsMSL: isMSL, time: t))
                    }
                }
                t = t + Int64(g.everyHours * 3600)
            }
        }
        guard !out.isEmpty else { throw TrajectoryError.invalidOptions("the plan has no starts: give \"starts\" or a \"generator\"") }
        return out
    }
}
