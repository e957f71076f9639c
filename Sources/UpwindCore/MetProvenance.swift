/// What outputs say about the met a run used: its format, model and files, with each file's
/// first valid time. A HYSPLIT tdump header lists one met grid per met file of a CONTROL (its
/// record 2) and numbers every endpoint's grid; CF outputs name the model. Readers fill it in
/// (``WindField/provenance``) and the engine stamps it on every trajectory
/// (``TrajectoryProvenance/met``), so any writer can reproduce the header the CLI writes.
public struct MetProvenance: Sendable, Equatable, Codable {
    /// One met file, or one whole dataset when its files form one grid (NetCDF).
    public struct Grid: Sendable, Equatable, Codable {
        /// The file's path as opened (nil for data held in memory).
        public var path: String?
        /// Model id (e.g. `GDAS`, `ERA5`), if known.
        public var modelID: String?
        /// The first valid time (UTC) in the file.
        public var firstTime: UTCTime
        /// Forecast hour of the data (0 for analyses).
        public var forecastHour: Int
        /// Creates a grid record.
        public init(path: String?, modelID: String?, firstTime: UTCTime, forecastHour: Int = 0) {
            self.path = path
            self.modelID = modelID
            self.firstTime = firstTime
            self.forecastHour = forecastHour
        }
    }

    /// The met's format in words, e.g. `ARL packed` or `NetCDF`.
    public var format: String
    /// The met's grids in file order: one per ARL file, one for a NetCDF dataset.
    public var grids: [Grid]

    /// Creates provenance.
    public init(format: String, grids: [Grid]) {
        self.format = format
        self.grids = grids
    }

    /// The 1-based grid an endpoint at `time` comes from: the grid with the latest first time
    /// not after `time` (grid 1 before every grid's first time).
    public func gridNumber(at time: UTCTime) -> Int {
        var best = 0
        for (n, g) in grids.enumerated() where g.firstTime <= time && (best == 0 || g.firstTime >= grids[best - 1].firstTime) {
            best = n + 1
        }
        return max(best, 1)
    }
}

/// Which optional per-endpoint diagnostics (``EndpointDiagnostics``) a met source can give or
/// a trajectory file carries. Trajectory CSV calls it `DiagnosticColumns` and writes the
/// columns in the order `terrain_m, temperature_k, theta_k, mixing_depth_m,
/// relative_humidity_pct`, whatever order the options were given in.
public struct DiagnosticSet: OptionSet, Sendable, Hashable, Codable {
    /// The raw bit mask.
    public let rawValue: Int
    /// Creates a set from a bit mask.
    public init(rawValue: Int) { self.rawValue = rawValue }

    /// Terrain height above mean sea level, m.
    public static let terrain = DiagnosticSet(rawValue: 1 << 0)
    /// Air temperature, K.
    public static let temperature = DiagnosticSet(rawValue: 1 << 1)
    /// Potential temperature, K.
    public static let theta = DiagnosticSet(rawValue: 1 << 2)
    /// Mixing (boundary-layer) depth, m.
    public static let mixingDepth = DiagnosticSet(rawValue: 1 << 3)
    /// Relative humidity, %.
    public static let relativeHumidity = DiagnosticSet(rawValue: 1 << 4)
    /// No diagnostics.
    public static let none: DiagnosticSet = []
    /// All five diagnostics.
    public static let all: DiagnosticSet = [.terrain, .temperature, .theta, .mixingDepth, .relativeHumidity]

    /// The diagnostics that any endpoint of `trajectories` has a value for.
    public static func present(in trajectories: [Trajectory]) -> DiagnosticSet {
        var set: DiagnosticSet = []
        for t in trajectories {
            for e in t.endpoints {
                let d = e.diagnostics
                if d.terrainM != nil { set.insert(.terrain) }
                if d.temperatureK != nil { set.insert(.temperature) }
                if d.thetaK != nil { set.insert(.theta) }
                if d.mixingDepthM != nil { set.insert(.mixingDepth) }
                if d.relativeHumidityPct != nil { set.insert(.relativeHumidity) }
            }
            if set == .all { break }
        }
        return set
    }
}
