import ArgumentParser
import Foundation
import Upwind

/// Met files of one run, opened as ARL or CF NetCDF (told apart by content), with what the
/// outputs need to know about them.
struct OpenedMet {
    /// The two kinds of met file.
    enum Kind: String { case arl = "ARL packed", netcdf = "NetCDF" }

    /// The files' kind.
    let kind: Kind
    /// The field the engine integrates through.
    let field: any WindField
    /// Diagnostics the met can give (CSV columns).
    let diagnostics: DiagnosticColumns
    /// tdump record 2: one met grid per ARL file (as HYSPLIT writes one per CONTROL met file),
    /// else one for the whole dataset; each with the model id and its first time.
    let grids: [TdumpMetGrid]
    /// First valid time of every entry of ``grids``.
    let gridStarts: [UTCTime]

    /// The kind of every path or pattern (its first file), all the same.
    /// - Throws: ``MetKindMismatch`` when ARL and non-ARL files are mixed.
    static func kind(of patterns: [String]) throws -> Kind {
        var arl: String?
        var other: String?
        for pattern in patterns {
            guard let path = ARLDataset.firstPath(of: pattern), FileManager.default.fileExists(atPath: path) else { continue }
            if ARLDataset.isARL(path: path) { arl = arl ?? path } else { other = other ?? path }
        }
        if let arl, let other { throw MetKindMismatch(arlPath: arl, otherPath: other) }
        return arl != nil ? .arl : .netcdf
    }

    /// Opens `patterns` (files or globs) as one field. `mapping` applies to NetCDF only.
    /// - Throws: ``MetKindMismatch``, `ValidationError` for `--map` with ARL files, and the
    ///   readers' errors (`ARLError`, `MetError`).
    static func open(_ patterns: [String], mapping: MetVariableMapping) throws -> OpenedMet {
        switch try kind(of: patterns) {
        case .arl:
            guard mapping.names.isEmpty else {
                throw ValidationError("--map applies to NetCDF met only; ARL files use HYSPLIT's fixed variable names (UWND, VWND, WWND, TEMP, HGTS, …)")
            }
            let field = try ARLWindField(paths: patterns)
            let d = field.dataset
            var diagnostics: DiagnosticColumns = []
            if d.variables["SHGT"] != nil || d.variables["HGTS"] != nil { diagnostics.insert(.terrain) }
            if d.variables["TEMP"] != nil { diagnostics.formUnion([.temperature, .theta]) }
            if d.variables["PBLH"] != nil { diagnostics.insert(.mixingDepth) }
            if d.variables["RELH"] != nil { diagnostics.insert(.relativeHumidity) }
            var starts: [UTCTime] = []
            if d.paths.count > 1 {
                for p in d.paths {
                    if let first = try ARLDataset(paths: [p]).times.first { starts.append(first) }
                }
            } else if let first = field.times.first {
                starts.append(first)
            }
            let forecastHour = d.firstIndex.forecastHour
            let grids = starts.map { grid(model: field.modelID, time: $0, forecastHour: forecastHour >= 0 && forecastHour < 1000 ? forecastHour : 0) }
            return OpenedMet(kind: .arl, field: field, diagnostics: diagnostics, grids: grids, gridStarts: starts)
        case .netcdf:
            let dataset = try MetDataset(paths: patterns, mapping: mapping)
            let field = try MetWindField(dataset)
            var diagnostics: DiagnosticColumns = []
            let v = dataset.variables
            if v[.orography] != nil || v[.geopotential] != nil || v[.geopotentialHeight] != nil { diagnostics.insert(.terrain) }
            if v[.temperature] != nil { diagnostics.formUnion([.temperature, .theta]) }
            if v[.boundaryLayerHeight] != nil { diagnostics.insert(.mixingDepth) }
            if v[.relativeHumidity] != nil { diagnostics.insert(.relativeHumidity) }
            let starts = field.times.first.map { [$0] } ?? []
            return OpenedMet(kind: .netcdf, field: field, diagnostics: diagnostics,
                             grids: starts.map { grid(model: field.modelID, time: $0, forecastHour: 0) }, gridStarts: starts)
        }
    }

    static func grid(model: String?, time: UTCTime, forecastHour: Int) -> TdumpMetGrid {
        let c = time.components
        return TdumpMetGrid(modelField: TdumpLabels.modelField(model), year: c.year % 100, month: c.month, day: c.day, hour: c.hour,
                            forecastHour: forecastHour)
    }

    /// The 1-based met grid (file) an endpoint at `time` comes from: the grid with the latest
    /// first time not after `time` (grid 1 before every grid).
    func gridNumber(at time: UTCTime) -> Int {
        var best = 0
        for (n, start) in gridStarts.enumerated() where start <= time && (best == 0 || start >= gridStarts[best - 1]) { best = n + 1 }
        return max(best, 1)
    }

    /// tdump diagnostic labels for a run without SETUP.CFG: `PRESSURE`, then those of `THETA
    /// AIR_TEMP MIXDEPTH RELHUMID TERR_MSL` some endpoint has a value for, in HYSPLIT's order.
    static func presentLabels(_ trajectories: [Trajectory]) -> [String] { TdumpWriter.defaultLabels(trajectories) }

    /// Trajectories ready for ``TdumpWriter``: with several met grids, each endpoint carries
    /// its grid number (tdump provenance), as HYSPLIT writes it.
    func forTdump(_ trajectories: [Trajectory], labels: [String]) -> [Trajectory] {
        guard grids.count > 1 else { return trajectories }
        return trajectories.map { t in
            var t = t
            t.provenance.tdump = TdumpProvenance(metGrids: grids, verticalLabel: TdumpLabels.verticalLabel(t.verticalMode),
                                                 diagnosticLabels: labels, startRecord: "",
                                                 gridNumbers: t.endpoints.map { gridNumber(at: $0.time) },
                                                 forecastHours: t.endpoints.map { _ in grids[0].forecastHour })
            return t
        }
    }
}

/// ARL and NetCDF met files in one run.
struct MetKindMismatch: Error, CustomStringConvertible {
    /// An ARL file of the run.
    let arlPath: String
    /// A non-ARL file of the same run.
    let otherPath: String
    var description: String {
        "met files of one run must all be ARL packed or all NetCDF: '\(arlPath)' is ARL but '\(otherPath)' is not; convert them to one kind or run them separately"
    }
}

/// A CONTROL run read from the current directory: the CONTROL, SETUP.CFG when present, and
/// what they ask for in engine terms.
struct ControlJob {
    /// The parsed CONTROL.
    let control: HysplitControl
    /// SETUP.CFG from the current directory, or HYSPLIT's defaults.
    let setup: HysplitSetup
    /// Met file paths (relative directories resolved against the current directory).
    let metPaths: [String]
    /// The output path: `--out` or the CONTROL's output directory and file.
    let outputPath: String
    /// Notes for settings Upwind reads but cannot honour (printed on stderr).
    let notes: [String]

    /// The diagnostics Upwind's engine computes, as tdump labels.
    static let computedLabels: Set<String> = ["PRESSURE", "THETA", "AIR_TEMP", "MIXDEPTH", "RELHUMID", "TERR_MSL"]

    /// tdump record 5: SETUP.CFG's labels that Upwind computes (`PRESSURE` first).
    var diagnosticLabels: [String] { setup.diagnosticLabels.filter(Self.computedLabels.contains) }

    /// Reads `controlPath` and `SETUP.CFG` (current directory) and checks the met files exist.
    /// - Throws: ``HysplitControlError``.
    static func load(controlPath: String, out: String?) throws -> ControlJob {
        let cwd = FileManager.default.currentDirectoryPath
        let control: HysplitControl
        do {
            control = try HysplitControl.read(path: controlPath)
        } catch HysplitControlError.fileNotFound(let path) {
            throw ValidationError("--control '\(path)' does not exist; give the path of a HYSPLIT CONTROL file")
        }
        let setupPath = URL(fileURLWithPath: cwd).appendingPathComponent("SETUP.CFG").path
        let setup = FileManager.default.fileExists(atPath: setupPath) ? try HysplitSetup.read(path: setupPath) : HysplitSetup()
        try control.checkMetFiles(workingDirectory: cwd)
        var notes: [String] = []
        let missing = setup.diagnosticLabels.filter { !computedLabels.contains($0) }
        if !missing.isEmpty {
            notes.append("\(setupPath) asks for \(missing.joined(separator: ", ")), which Upwind does not compute; those tdump columns are left out")
        }
        if let minimum = setup.minimumStepMinutes {
            notes.append("\(setupPath): delt = -\(minimum) (a minimum time step) is not supported; the TRATIO rule (steps of 1–60 min) is used")
        }
        return ControlJob(control: control, setup: setup, metPaths: control.metPaths(workingDirectory: cwd),
                          outputPath: out ?? control.outputPath(workingDirectory: cwd), notes: notes)
    }

    /// The starts and options once the met's period is known.
    func plan(field: any WindField, integrator: Integrator, ground: GroundRule, skipInvalidStarts: Bool) throws -> (starts: [TrajectoryStart], options: TrajectoryOptions) {
        guard let first = field.times.first, let last = field.times.last else {
            throw TrajectoryError.invalidOptions("the met has no times")
        }
        let time = control.resolvedStartTime(firstMetTime: first, lastMetTime: last)
        let options = TrajectoryOptions(hours: control.hours, verticalMode: control.verticalMode, integrator: integrator,
                                        fixedStepMinutes: setup.fixedStepMinutes, tratio: setup.tratio, topAGL: control.topAGL,
                                        ground: ground, outputIntervalMinutes: setup.tout, skipInvalidStarts: skipInvalidStarts)
        return (control.trajectoryStarts(time: time, heightIsMSL: setup.heightsAreMSL), options)
    }
}
