import Foundation
import UpwindCore

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

/// The parts of a HYSPLIT tdump that `Trajectory` has no field for, kept per trajectory.
///
/// File-level records (met grids, format flag, vertical label, diagnostic labels) are repeated
/// in every trajectory read from the same file. Per-endpoint arrays run parallel to
/// `Trajectory/endpoints` and are ignored by writers when their length differs.
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
    /// Per-endpoint values of diagnostics that `EndpointDiagnostics` has no field for
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

extension TrajectoryProvenance {
    /// What a HYSPLIT tdump file said beyond the trajectory's own fields (nil unless the
    /// trajectory was read from a tdump); lets ``TdumpWriter`` reproduce the file byte for byte.
    /// Stored in `TrajectoryProvenance/formatRecord` (format `tdump`, JSON).
    public var tdump: TdumpProvenance? {
        get {
            guard let record = formatRecord, record.format == TdumpProvenance.formatName else { return nil }
            return try? JSONDecoder().decode(TdumpProvenance.self, from: Data(record.json.utf8))
        }
        set {
            guard let newValue else {
                if formatRecord?.format == TdumpProvenance.formatName { formatRecord = nil }
                return
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
            formatRecord = (try? encoder.encode(newValue)).map { FormatRecord(format: TdumpProvenance.formatName, json: String(decoding: $0, as: UTF8.self)) }
        }
    }

    /// Provenance with a tdump record (as ``TdumpReader`` makes it).
    public init(metModel: String? = nil, usedStandardAtmosphere: Bool = false, tdump: TdumpProvenance?, met: MetProvenance? = nil) {
        self.init(metModel: metModel, usedStandardAtmosphere: usedStandardAtmosphere, met: met)
        self.tdump = tdump
    }
}

extension TdumpProvenance {
    /// The `FormatRecord/format` name of a tdump record.
    public static let formatName = "tdump"
}
