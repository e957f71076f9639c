/// Why a trajectory stopped. Spelled the same in every output (`rawValue`).
public enum TerminationReason: String, Sendable, Codable, CaseIterable {
    /// Ran for the requested number of hours.
    case completed
    /// The interpolation stencil needed points outside a regional grid.
    case leftDomain
    /// Rose above the model top (default 10,000 m AGL) or above the data's top level.
    case hitTop
    /// Reached the ground with the stop-at-ground option.
    case hitGround
    /// Needed met data before the first or after the last time.
    case outOfMetTime
    /// A missing (NaN/fill) value was in the interpolation stencil.
    case missingData
}

/// When and why a trajectory ended.
public struct Termination: Sendable, Equatable, Codable {
    /// The reason.
    public var reason: TerminationReason
    /// The time (UTC) of the parcel's last valid position, when the reason arose.
    public var time: UTCTime
    /// Creates a termination record.
    public init(reason: TerminationReason, time: UTCTime) {
        self.reason = reason
        self.time = time
    }
}

/// Where and when a trajectory starts.
public struct TrajectoryStart: Sendable, Equatable, Codable {
    /// Site name (receptor); `S1`, `S2`… when the user gave none.
    public var site: String
    /// Latitude, degrees north.
    public var latitude: Double
    /// Longitude, degrees east (any range; outputs use −180…180).
    public var longitude: Double
    /// Start height in metres: above ground level, or above mean sea level when
    /// ``heightIsMSL`` is true (DESIGN decision 13: a height whose reference a flag chooses is
    /// `height`; one with a fixed reference says it, `heightAGL`, `heightMSL`).
    public var height: Double
    /// True when ``height`` is above mean sea level (`--msl`).
    public var heightIsMSL: Bool
    /// Start time (UTC).
    public var time: UTCTime

    /// Creates a start.
    public init(site: String, latitude: Double, longitude: Double, height: Double, heightIsMSL: Bool = false, time: UTCTime) {
        self.site = site
        self.latitude = latitude
        self.longitude = longitude
        self.height = height
        self.heightIsMSL = heightIsMSL
        self.time = time
    }
}

/// Optional per-endpoint diagnostics, present when the met has the fields.
public struct EndpointDiagnostics: Sendable, Equatable, Codable {
    /// Terrain height above mean sea level, m.
    public var terrainM: Double?
    /// Air temperature, K.
    public var temperatureK: Double?
    /// Potential temperature θ = T·(1000/p)^0.2857, K.
    public var thetaK: Double?
    /// Mixing (boundary-layer) depth, m.
    public var mixingDepthM: Double?
    /// Relative humidity, %.
    public var relativeHumidityPct: Double?

    /// Creates diagnostics; absent values are nil.
    public init(terrainM: Double? = nil, temperatureK: Double? = nil, thetaK: Double? = nil,
                mixingDepthM: Double? = nil, relativeHumidityPct: Double? = nil) {
        self.terrainM = terrainM
        self.temperatureK = temperatureK
        self.thetaK = thetaK
        self.mixingDepthM = mixingDepthM
        self.relativeHumidityPct = relativeHumidityPct
    }
}

/// One hourly (output-interval) position of a trajectory.
public struct TrajectoryEndpoint: Sendable, Equatable, Codable {
    /// Valid time (UTC).
    public var time: UTCTime
    /// Hours since the start: negative for backward runs.
    public var ageHours: Double
    /// Latitude, degrees north.
    public var latitude: Double
    /// Longitude, degrees east in [−180, 180).
    public var longitude: Double
    /// Height above ground level, m.
    public var heightAGL: Double
    /// Pressure, hPa (NaN when the met has no vertical coordinate).
    public var pressureHPa: Double
    /// Diagnostics sampled from the met at this point.
    public var diagnostics: EndpointDiagnostics

    /// Creates an endpoint.
    public init(time: UTCTime, ageHours: Double, latitude: Double, longitude: Double, heightAGL: Double,
                pressureHPa: Double, diagnostics: EndpointDiagnostics = EndpointDiagnostics()) {
        self.time = time
        self.ageHours = ageHours
        self.latitude = latitude
        self.longitude = longitude
        self.heightAGL = heightAGL
        self.pressureHPa = pressureHPa
        self.diagnostics = diagnostics
    }

    /// Pressure, hPa: the old name of ``pressureHPa``.
    @available(*, deprecated, renamed: "pressureHPa")
    public var pressure: Double {
        get { pressureHPa }
        set { pressureHPa = newValue }
    }
}

/// Where a trajectory's inputs came from, so outputs (e.g. HYSPLIT tdump) can say so.
public struct TrajectoryProvenance: Sendable, Equatable, Codable {
    /// Met model id (≤ 8 characters in tdump), e.g. `ERA5`, `GDAS`.
    public var metModel: String?
    /// True when start heights were converted with the standard atmosphere because the
    /// met had neither geopotential nor temperature with surface pressure.
    public var usedStandardAtmosphere: Bool
    /// What the file the trajectory was read from said beyond the trajectory's own fields (nil
    /// for computed trajectories); lets a writer of that format reproduce the file byte for byte
    /// (a HYSPLIT tdump's, through UpwindFormats' `tdump` property).
    public var formatRecord: FormatRecord?
    /// The met the engine integrated through (files and their first times), when the field
    /// said (``WindField/provenance``); a tdump writer takes its met grids from it.
    public var met: MetProvenance?
    /// Creates provenance.
    public init(metModel: String? = nil, usedStandardAtmosphere: Bool = false, formatRecord: FormatRecord? = nil,
                met: MetProvenance? = nil) {
        self.metModel = metModel
        self.usedStandardAtmosphere = usedStandardAtmosphere
        self.formatRecord = formatRecord
        self.met = met
    }
}

/// What an input file said that ``Trajectory`` has no field for, kept so that a writer of the
/// same format can reproduce the file. Core knows no file format: the record is the format's
/// own, encoded by its reader (UpwindFormats: `TrajectoryProvenance.tdump` reads and writes a
/// HYSPLIT tdump's), and opaque here.
public struct FormatRecord: Sendable, Equatable, Codable {
    /// The format's name, e.g. `tdump`.
    public var format: String
    /// The format's record as JSON (sorted keys, so equal records are equal text).
    public var json: String
    /// Creates a record.
    public init(format: String, json: String) {
        self.format = format
        self.json = json
    }
}

/// A computed (or imported) trajectory: its start, hourly endpoints and how it ended.
public struct Trajectory: Sendable, Equatable, Codable {
    /// Unique id per (start, member), 1-based.
    public var id: Int
    /// The start.
    public var start: TrajectoryStart
    /// Ensemble member 1–27, or 0 without an ensemble.
    public var member: Int
    /// True for backward runs.
    public var isBackward: Bool
    /// Vertical motion mode used.
    public var verticalMode: VerticalMode
    /// Endpoints at every output interval from the start (the first is the start itself).
    public var endpoints: [TrajectoryEndpoint]
    /// How the trajectory ended.
    public var termination: Termination
    /// Inputs' provenance.
    public var provenance: TrajectoryProvenance

    /// Creates a trajectory.
    public init(id: Int, start: TrajectoryStart, member: Int = 0, isBackward: Bool, verticalMode: VerticalMode,
                endpoints: [TrajectoryEndpoint], termination: Termination, provenance: TrajectoryProvenance = TrajectoryProvenance()) {
        self.id = id
        self.start = start
        self.member = member
        self.isBackward = isBackward
        self.verticalMode = verticalMode
        self.endpoints = endpoints
        self.termination = termination
        self.provenance = provenance
    }
}

/// How a parcel moves vertically (see the *Vertical motion* article in Upwind's documentation).
public enum VerticalMode: String, Sendable, Codable, CaseIterable {
    /// The data's vertical velocity (ω, or w converted to ω). HYSPLIT code 0.
    case data
    /// Constant pressure. HYSPLIT code 1.
    case isobaric
    /// Constant potential temperature. HYSPLIT code 2.
    case isentropic
    /// Constant height above ground.
    case height
}
