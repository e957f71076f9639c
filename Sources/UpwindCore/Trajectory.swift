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
    /// What a HYSPLIT tdump file said beyond the trajectory's own fields (nil unless the
    /// trajectory was read from a tdump); lets a tdump writer reproduce the file byte for byte.
    public var tdump: TdumpProvenance?
    /// The met the engine integrated through (files and their first times), when the field
    /// said (``WindField/provenance``); a tdump writer takes its met grids from it.
    public var met: MetProvenance?
    /// Creates provenance.
    public init(metModel: String? = nil, usedStandardAtmosphere: Bool = false, tdump: TdumpProvenance? = nil,
                met: MetProvenance? = nil) {
        self.metModel = metModel
        self.usedStandardAtmosphere = usedStandardAtmosphere
        self.tdump = tdump
        self.met = met
    }
}

/// One met-grid record (record 2) of a HYSPLIT tdump header: `A8,5I6`.
public struct TdumpMetGrid: Sendable, Equatable, Codable {
    /// The 8-character model-id field exactly as written, e.g. `"    NGM "`, `"    GDAS"`.
    public var modelField: String
    /// Data start year as written (usually 2 digits; 1 or 4 digits in some files).
    public var year: Int
    /// Data start month, 1–12.
    public var month: Int
    /// Data start day of month, 1–31.
    public var day: Int
    /// Data start hour, UTC, 0–23.
    public var hour: Int
    /// Forecast hour of the data (0 for analyses).
    public var forecastHour: Int
    /// Creates a met-grid record.
    public init(modelField: String, year: Int, month: Int, day: Int, hour: Int, forecastHour: Int = 0) {
        self.modelField = modelField
        self.year = year
        self.month = month
        self.day = day
        self.hour = hour
        self.forecastHour = forecastHour
    }
}

/// The parts of a HYSPLIT tdump that ``Trajectory`` has no field for, kept per trajectory.
///
/// File-level records (met grids, format flag, vertical label, diagnostic labels) are repeated
/// in every trajectory read from the same file. Per-endpoint arrays run parallel to
/// ``Trajectory/endpoints`` and are ignored by writers when their length differs.
public struct TdumpProvenance: Sendable, Equatable, Codable {
    /// Record 2, one per met grid, in file order.
    public var metGrids: [TdumpMetGrid]
    /// Record 1's second value (1 = the post-2005 layout); nil when absent (old layout).
    public var formatFlag: Int?
    /// Record 3's vertical-motion label without padding, e.g. `OMEGA`, `ISOBARIC`.
    public var verticalLabel: String
    /// Record 5's diagnostic labels in file order (normally `PRESSURE` first).
    public var diagnosticLabels: [String]
    /// This trajectory's record 4 (start) line exactly as written, without the line end.
    public var startRecord: String
    /// Met-grid number of every endpoint (1-based).
    public var gridNumbers: [Int]
    /// Forecast hour of every endpoint.
    public var forecastHours: [Int]
    /// Per-endpoint values of diagnostics that ``EndpointDiagnostics`` has no field for
    /// (e.g. `RAINFALL` mm/h, `SPCHUMID` g/kg, `SUN_FLUX` W/m²), keyed by label; NaN where absent.
    public var extraDiagnostics: [String: [Double]]
    /// True when the endpoint records wrote 4-digit years.
    public var fourDigitYears: Bool
    /// Creates tdump provenance.
    public init(metGrids: [TdumpMetGrid], formatFlag: Int? = 1, verticalLabel: String, diagnosticLabels: [String],
                startRecord: String, gridNumbers: [Int] = [], forecastHours: [Int] = [],
                extraDiagnostics: [String: [Double]] = [:], fourDigitYears: Bool = false) {
        self.metGrids = metGrids
        self.formatFlag = formatFlag
        self.verticalLabel = verticalLabel
        self.diagnosticLabels = diagnosticLabels
        self.startRecord = startRecord
        self.gridNumbers = gridNumbers
        self.forecastHours = forecastHours
        self.extraDiagnostics = extraDiagnostics
        self.fourDigitYears = fourDigitYears
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

/// How a parcel moves vertically (methods.md §1.5).
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
