import Foundation
import UpwindCore

/// Options for ``TdumpWriter``.
public struct TdumpWriteOptions: Sendable {
    /// Met-grid records (record 2) to write; nil takes them from the trajectories (see ``TdumpWriter``).
    public var metGrids: [TdumpMetGrid]?
    /// Diagnostic labels (record 5) to write, in order, e.g. `["PRESSURE", "TERR_MSL"]`; nil
    /// takes them from the trajectories (see ``TdumpWriter``).
    public var diagnosticLabels: [String]?
    /// The met to describe in record 2 and in the endpoints' grid numbers; nil takes it from
    /// the trajectories' `TrajectoryProvenance/met` (see ``TdumpWriter``).
    public var met: MetProvenance?

    /// Creates options.
    public init(metGrids: [TdumpMetGrid]? = nil, diagnosticLabels: [String]? = nil, met: MetProvenance? = nil) {
        self.metGrids = metGrids
        self.diagnosticLabels = diagnosticLabels
        self.met = met
    }
}

/// Writes HYSPLIT trajectory endpoints files (`tdump`) in the exact layout of HYSPLIT v5.3.0
/// (HYSPLIT's description: https://www.ready.noaa.gov/hypub/trajinfo.html), which openair, pysplit, TrajStat and HYSPLIT's own plotting programs read.
///
/// Records, each ending in LF (the last too):
/// 1. `2I6`: number of met grids, format flag (1).
/// 2. per grid `A8,5I6`: model-id field (``TdumpLabels/modelField(_:)``), data start year (2
///    digits), month, day, hour, forecast hour.
/// 3. `I6,1X,A8,1X,A8`: number of trajectories, `FORWARD ` or `BACKWARD`, vertical label
///    (``TdumpLabels/verticalLabel(_:)``: `OMEGA`, `ISOBARIC`, `THETA`, `SIGMA`).
/// 4. per trajectory `4I6,2F9.3,F8.1`: start year (2 digits), month, day, hour, latitude,
///    longitude as given (e.g. 0–360), height m AGL.
/// 5. `I6,n(1X,A8)`: number of diagnostics and their labels, `PRESSURE` first.
/// 6. per endpoint `8I6,F8.1,2F9.3,1X,F8.1,n(1X,F8.1)`: trajectory number (1-based position in
///    the array), grid number, year (2 digits), month, day, hour, minute, forecast hour, age h
///    (negative backward), latitude, longitude in −180…180, height m AGL, diagnostics.
///    Records are interleaved by output step: every trajectory's first endpoint, then every
///    trajectory's second, and so on; a trajectory with fewer endpoints simply stops appearing.
///
/// Where the header comes from:
/// - Trajectories read by ``TdumpReader`` carry ``TdumpProvenance``. When every trajectory has it
///   and they agree on the file-level records (met grids, format flag, vertical label, labels),
///   those are written as read; each trajectory's start record is written as read when it still
///   parses to the trajectory's start (time, and position at print precision), and its
///   per-endpoint grid numbers, forecast hours and extra diagnostics are used when their counts
///   match the endpoints. So a file read and written back is byte-identical when it was in the
///   v5.3.0 layout, endpoint records interleaved as above (older layouts come back in the
///   current one).
/// - Otherwise, when the trajectories share their met provenance
///   (`TrajectoryProvenance/met`, stamped by the engine): one met grid per met file (ARL) or
///   one for the dataset (NetCDF), each with its model id, first time and forecast hour, as
///   HYSPLIT writes one per CONTROL met file; each endpoint's grid number is the file with the
///   latest first time not after the endpoint, and its forecast hour that file's.
/// - Otherwise: one met grid, model id from the first trajectory's
///   `TrajectoryProvenance/metModel`, data start at the earliest start or endpoint time
///   floored to the hour, forecast hour 0; grid number 1 and forecast hour 0 on every endpoint;
///   labels `PRESSURE`, then those of `THETA AIR_TEMP MIXDEPTH RELHUMID TERR_MSL` (HYSPLIT's
///   order) for which any endpoint has a value, then any extra diagnostics from tdump
///   provenance in HYSPLIT's order.
/// - ``TdumpWriteOptions`` overrides the met grids and labels.
///
/// Values: a NaN or absent value is written `     NaN` (as gfortran writes NaN); a value too
/// wide for its field is asterisks, as in Fortran. All trajectories must share one direction
/// and (without a shared tdump label) one vertical mode.
public enum TdumpWriter {
    /// The tdump text for `trajectories`; `path` is used in error messages only.
    /// - Throws: ``TdumpError`` (``TdumpError/noTrajectories(path:)``, ``TdumpError/mixedRuns(path:first:other:what:)``).
    public static func text(_ trajectories: [Trajectory], options: TdumpWriteOptions = TdumpWriteOptions(),
                            path: String = "<memory>") throws -> String {
        guard let first = trajectories.first else { throw TdumpError.noTrajectories(path: path) }
        if let other = trajectories.first(where: { $0.isBackward != first.isBackward }) {
            throw TdumpError.mixedRuns(path: path, first: first.id, other: other.id, what: "direction (forward/backward)")
        }
        let provenances = trajectories.map(\.provenance.tdump)  // decoded once per trajectory
        let shared = sharedProvenance(provenances)
        if shared == nil, let other = trajectories.first(where: { $0.verticalMode != first.verticalMode }) {
            throw TdumpError.mixedRuns(path: path, first: first.id, other: other.id, what: "vertical method")
        }
        let met = shared == nil ? (options.met ?? sharedMet(trajectories)).flatMap { $0.grids.isEmpty ? nil : $0 } : nil
        let grids = options.metGrids ?? shared?.metGrids ?? met.map(metGrids) ?? [defaultGrid(trajectories)]
        let labels = options.diagnosticLabels ?? shared?.diagnosticLabels ?? defaultLabels(trajectories)
        let formatFlag = shared.map { $0.formatFlag } ?? 1
        let verticalLabel = shared?.verticalLabel ?? TdumpLabels.verticalLabel(first.verticalMode)
        let fourDigitYears = shared?.fourDigitYears ?? false

        var out = ""
        out.reserveCapacity(256 + trajectories.reduce(0) { $0 + $1.endpoints.count } * (92 + 9 * labels.count))
        out += FortranText.i(grids.count, 6) + (formatFlag.map { FortranText.i($0, 6) } ?? "") + "\n"
        for g in grids {
            out += FortranText.a(g.modelField, 8) + FortranText.i(g.year, 6) + FortranText.i(g.month, 6)
                + FortranText.i(g.day, 6) + FortranText.i(g.hour, 6) + FortranText.i(g.forecastHour, 6) + "\n"
        }
        out += FortranText.i(trajectories.count, 6) + " " + (first.isBackward ? "BACKWARD" : "FORWARD ") + " "
            + FortranText.a(verticalLabel, 8) + "\n"
        for (t, p) in zip(trajectories, provenances) { out += startRecord(t, provenance: p) + "\n" }
        out += FortranText.i(labels.count, 6) + labels.map { " " + FortranText.a($0, 8) }.joined() + "\n"

        let fields = labels.map { TdumpParsing.Field(label: $0) }
        let steps = trajectories.map(\.endpoints.count).max() ?? 0
        for step in 0..<steps {
            for (position, t) in trajectories.enumerated() where step < t.endpoints.count {
                let e = t.endpoints[step]
                let p = provenances[position]
                let n = t.endpoints.count
                let metGrid = met.map { $0.grids.count > 1 ? $0.gridNumber(at: e.time) : 1 }
                let grid = p.flatMap { $0.gridNumbers.count == n ? $0.gridNumbers[step] : nil } ?? metGrid ?? 1
                let forecast = p.flatMap { $0.forecastHours.count == n ? $0.forecastHours[step] : nil }
                    ?? met.flatMap { m in metGrid.map { m.grids[$0 - 1].forecastHour } } ?? 0
                let c = e.time.components
                out += FortranText.i(position + 1, 6) + FortranText.i(grid, 6)
                out += FortranText.i(fourDigitYears ? c.year : c.year % 100, 6)
                out += FortranText.i(c.month, 6) + FortranText.i(c.day, 6) + FortranText.i(c.hour, 6)
                out += FortranText.i(c.minute, 6) + FortranText.i(forecast, 6)
                out += FortranText.f(e.ageHours + 0.0, 8, 1)  // + 0.0 turns an age of −0 into 0 ("0.0", as HYSPLIT writes)
                out += FortranText.f(e.latitude, 9, 3)
                out += FortranText.f(dataLongitude(e.longitude), 9, 3)
                out += " " + FortranText.f(e.heightAGL, 8, 1)
                for (label, field) in zip(labels, fields) {
                    out += " " + FortranText.f(value(field, label: label, endpoint: e, step: step, count: n, provenance: p), 8, 1)
                }
                out += "\n"
            }
        }
        return out
    }

    /// Writes `trajectories` to `path` through a temporary file renamed onto `path` when complete.
    /// - Throws: ``TdumpError``, ``TrajectoryOutputError``.
    public static func write(_ trajectories: [Trajectory], to path: String, options: TdumpWriteOptions = TdumpWriteOptions()) throws {
        let text = try text(trajectories, options: options, path: path)
        let file = try AtomicOutputFile(path: path)
        try file.append(text)
        try file.commit()
    }

    /// Writes `trajectories` to any sink (memory, a stream) and finishes it: the same bytes as
    /// `write(_:to:options:)` with a path.
    /// - Throws: ``TdumpError``, the sink's errors.
    public static func write(_ trajectories: [Trajectory], to sink: any ByteSink, options: TdumpWriteOptions = TdumpWriteOptions()) throws {
        try sink.write(Data(try text(trajectories, options: options, path: sink.name).utf8))
        try sink.finish()
    }

    /// The tdump provenance shared by all trajectories at file level, or nil.
    static func sharedProvenance(_ provenances: [TdumpProvenance?]) -> TdumpProvenance? {
        guard let first = provenances.first, let p = first else { return nil }
        for q in provenances.dropFirst() {
            guard let q, q.metGrids == p.metGrids, q.formatFlag == p.formatFlag,
                  q.verticalLabel == p.verticalLabel, q.diagnosticLabels == p.diagnosticLabels,
                  q.fourDigitYears == p.fourDigitYears else { return nil }
        }
        return p
    }

    /// The met provenance every trajectory carries, when they all carry the same.
    static func sharedMet(_ trajectories: [Trajectory]) -> MetProvenance? {
        guard let m = trajectories.first?.provenance.met else { return nil }
        for t in trajectories.dropFirst() where t.provenance.met != m { return nil }
        return m
    }

    /// Record 2 for each grid of `met`: model id, first time (2-digit year), forecast hour.
    static func metGrids(_ met: MetProvenance) -> [TdumpMetGrid] {
        met.grids.map { g in
            let c = g.firstTime.components
            return TdumpMetGrid(modelField: TdumpLabels.modelField(g.modelID), year: c.year % 100, month: c.month, day: c.day,
                                hour: c.hour, forecastHour: g.forecastHour)
        }
    }

    /// One grid: the first trajectory's model id, starting at the earliest time floored to the hour.
    static func defaultGrid(_ trajectories: [Trajectory]) -> TdumpMetGrid {
        var earliest = trajectories.first?.start.time ?? UTCTime(secondsSince1970: 0)
        for t in trajectories {
            earliest = min(earliest, t.start.time)
            for e in t.endpoints { earliest = min(earliest, e.time) }
        }
        let (hours, _) = earliest.secondsSince1970.quotientAndRemainderFlooredBy(3600)
        let c = UTCTime(secondsSince1970: hours * 3600).components
        return TdumpMetGrid(modelField: TdumpLabels.modelField(trajectories.first?.provenance.metModel),
                            year: c.year % 100, month: c.month, day: c.day, hour: c.hour, forecastHour: 0)
    }

    /// `PRESSURE`, then the diagnostics some endpoint has a value for in HYSPLIT's order
    /// (`THETA AIR_TEMP MIXDEPTH RELHUMID TERR_MSL`), then extra labels read from a tdump.
    public static func defaultLabels(_ trajectories: [Trajectory]) -> [String] {
        var present: Set<String> = ["PRESSURE"]
        var unknown: Set<String> = []
        for t in trajectories {
            for e in t.endpoints {
                let d = e.diagnostics
                if d.thetaK != nil { present.insert("THETA") }
                if d.temperatureK != nil { present.insert("AIR_TEMP") }
                if d.mixingDepthM != nil { present.insert("MIXDEPTH") }
                if d.relativeHumidityPct != nil { present.insert("RELHUMID") }
                if d.terrainM != nil { present.insert("TERR_MSL") }
            }
            for label in (t.provenance.tdump?.extraDiagnostics ?? [:]).keys {
                if TdumpLabels.diagnosticOrder.contains(label) { present.insert(label) } else { unknown.insert(label) }
            }
        }
        return TdumpLabels.diagnosticOrder.filter(present.contains) + unknown.sorted()
    }

    /// The record-4 line: as read when it still describes the start, else formatted.
    static func startRecord(_ t: Trajectory, provenance: TdumpProvenance?) -> String {
        let s = t.start
        let c = s.time.components
        if let raw = provenance?.startRecord, let r = TdumpParsing.start(raw),
           r.year % 100 == c.year % 100, r.month == c.month, r.day == c.day, r.hour == c.hour, c.minute == 0, c.second == 0,
           abs(r.latitude - s.latitude) < 0.0005, abs(r.longitude - s.longitude) < 0.0005, abs(r.height - s.height) < 0.05 {
            return raw
        }
        return FortranText.i(c.year % 100, 6) + FortranText.i(c.month, 6) + FortranText.i(c.day, 6) + FortranText.i(c.hour, 6)
            + FortranText.f(s.latitude, 9, 3) + FortranText.f(s.longitude, 9, 3) + FortranText.f(s.height, 8, 1)
    }

    /// Longitude for endpoint records: degrees east mapped into [−180, 180) (NaN stays NaN).
    static func dataLongitude(_ longitude: Double) -> Double {
        NumberText.normalizedLongitude(longitude)
    }

    private static func value(_ field: TdumpParsing.Field, label: String, endpoint e: TrajectoryEndpoint, step: Int,
                              count: Int, provenance p: TdumpProvenance?) -> Double {
        switch field {
        case .pressure: return e.pressureHPa
        case .theta: return e.diagnostics.thetaK ?? .nan
        case .temperature: return e.diagnostics.temperatureK ?? .nan
        case .mixingDepth: return e.diagnostics.mixingDepthM ?? .nan
        case .relativeHumidity: return e.diagnostics.relativeHumidityPct ?? .nan
        case .terrain: return e.diagnostics.terrainM ?? .nan
        case .other:
            guard let values = p?.extraDiagnostics[label], values.count == count else { return .nan }
            return values[step]
        }
    }
}

extension Int64 {
    /// Quotient and non-negative remainder (floor division).
    func quotientAndRemainderFlooredBy(_ d: Int64) -> (Int64, Int64) {
        var q = self / d, r = self % d
        if r < 0 { q -= 1; r += d }
        return (q, r)
    }
}
